/*
 * Copyright The csv2 Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package org.csv2.core.userdata;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tiny, strict template language of user-data documents: {@code {{name}}} (spaces inside the
 * braces allowed) is replaced by the variable's value, verbatim. There is no logic, no filter, no
 * escaping and no default; anything else between <code>{{</code> and <code>}}</code> is an error.
 */
final class Template {
  static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Template() {}

  /**
   * The variables a template uses, in order of first use.
   *
   * @param document the document's name, for messages
   * @param template the template
   * @param problems where syntax problems go
   * @return the variable names
   */
  static Set<String> variables(String document, String template, List<String> problems) {
    Set<String> names = new LinkedHashSet<>();
    scan(document, template, problems, (name, line) -> names.add(name));
    return names;
  }

  /**
   * Renders a template.
   *
   * @param document the document's name, for messages
   * @param template the template
   * @param values the variables
   * @param problems where problems go (syntax and unknown variables)
   * @return the rendered text
   */
  static String render(String document, String template, Map<String, String> values, List<String> problems) {
    StringBuilder out = new StringBuilder(template.length() + 256);
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf("{{", i);
      if (open < 0) {
        out.append(template, i, template.length());
        break;
      }
      out.append(template, i, open);
      int close = template.indexOf("}}", open + 2);
      if (close < 0) {
        problems.add(unclosed(document, template, open));
        return out.toString();
      }
      String name = template.substring(open + 2, close).trim();
      if (!VARIABLE.matcher(name).matches()) {
        problems.add(notAName(document, template, open, name));
      } else if (!values.containsKey(name)) {
        problems.add(
            "user-data document '" + document + "', line " + line(template, open) + ": unknown variable '"
                + name + "'; available: " + String.join(", ", new java.util.TreeSet<>(values.keySet())));
      } else {
        out.append(values.get(name));
      }
      i = close + 2;
    }
    return out.toString();
  }

  private interface Visitor {
    void variable(String name, int line);
  }

  private static void scan(String document, String template, List<String> problems, Visitor visitor) {
    int i = 0;
    while (true) {
      int open = template.indexOf("{{", i);
      if (open < 0) {
        return;
      }
      int close = template.indexOf("}}", open + 2);
      if (close < 0) {
        problems.add(unclosed(document, template, open));
        return;
      }
      String name = template.substring(open + 2, close).trim();
      if (VARIABLE.matcher(name).matches()) {
        visitor.variable(name, line(template, open));
      } else {
        problems.add(notAName(document, template, open, name));
      }
      i = close + 2;
    }
  }

  private static String unclosed(String document, String template, int at) {
    return "user-data document '" + document + "', line " + line(template, at) + ": '{{' without '}}'";
  }

  private static String notAName(String document, String template, int at, String name) {
    String shown = name.length() > 40 ? name.substring(0, 37) + "..." : name;
    return "user-data document '" + document + "', line " + line(template, at) + ": '{{" + shown
        + "}}' is not a variable name (letters, digits, _); templates have no logic or filters";
  }

  static int line(String text, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}

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
package org.csv2.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in the string scalars of a YAML tree, before
 * binding. <code>$${</code> stands for a literal <code>${</code>. A variable that is unset (or empty, for the
 * {@code :-} form) takes the default; one without a default is a problem naming the variable and
 * the path. Values are not scanned again.
 */
final class EnvSubstitution {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Function<String, @Nullable String> env;
  private final Predicate<String> exempt;

  /**
   * Creates the substitution.
   *
   * @param env the environment
   * @param exempt paths whose values are left as they are
   */
  EnvSubstitution(Function<String, @Nullable String> env, Predicate<String> exempt) {
    this.env = env;
    this.exempt = exempt;
  }

  /**
   * Substitutes in place.
   *
   * @param node the tree
   * @param path its path
   * @param problems where problems go
   */
  void apply(JsonNode node, String path, List<String> problems) {
    if (node instanceof ObjectNode object) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(object.properties());
      for (Map.Entry<String, JsonNode> e : fields) {
        String at = RecordBinder.child(path, e.getKey());
        JsonNode replaced = substituteNode(e.getValue(), at, problems);
        if (replaced != e.getValue()) {
          object.set(e.getKey(), replaced);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode replaced = substituteNode(array.get(i), RecordBinder.index(path, i), problems);
        if (replaced != array.get(i)) {
          array.set(i, replaced);
        }
      }
    }
  }

  private JsonNode substituteNode(JsonNode node, String path, List<String> problems) {
    if (node.isContainerNode()) {
      apply(node, path, problems);
      return node;
    }
    if (!node.isTextual() || exempt.test(path)) {
      return node;
    }
    String text = node.asText();
    if (text.indexOf('$') < 0) {
      return node;
    }
    String result = substitute(text, path, problems);
    return result.equals(text) ? node : TextNode.valueOf(result);
  }

  /**
   * Substitutes one string.
   *
   * @param text the text
   * @param path its path, for messages
   * @param problems where problems go
   * @return the text with references replaced (references in error are left as they were)
   */
  String substitute(String text, String path, List<String> problems) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '$' && text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
        continue;
      }
      if (c != '$' || !text.startsWith("${", i)) {
        out.append(c);
        i++;
        continue;
      }
      int end = text.indexOf('}', i + 2);
      if (end < 0) {
        problems.add(path + ": unclosed '${' at character " + (i + 1) + "; write $${ for a literal ${");
        return text;
      }
      String body = text.substring(i + 2, end);
      int sep = body.indexOf(":-");
      String name = sep < 0 ? body : body.substring(0, sep);
      if (!NAME.matcher(name).matches()) {
        problems.add(
            path + ": '${" + body + "}' is not a variable reference; use ${NAME} or ${NAME:-default}"
                + " (NAME: letters, digits, _), or $${ for a literal ${");
        out.append(text, i, end + 1);
        i = end + 1;
        continue;
      }
      String value = env.apply(name);
      if (sep >= 0) {
        if (value == null || value.isEmpty()) {
          value = body.substring(sep + 2);
        }
      } else if (value == null) {
        problems.add(
            path + ": environment variable '" + name + "' is not set; set it or write ${" + name
                + ":-default}");
        value = "";
      }
      out.append(value);
      i = end + 1;
    }
    return out.toString();
  }
}

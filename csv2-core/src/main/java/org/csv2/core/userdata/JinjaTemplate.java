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

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csv2.model.UserDataDocument;

/**
 * User-data documents whose name ends in {@code .j2}, rendered as Jinja (as production's
 * operators write them: {@code if}, {@code for}, filters) by Jinjava, in a sandbox:
 *
 * <ul>
 *   <li>no file, URL or class-path access: {@code include}, {@code import}, {@code from} and
 *       {@code extends} find nothing (the resource locator refuses every name);
 *   <li>no class access: {@code class}/{@code getClass} and reflection entry points are restricted
 *       on every value (the values are strings anyway);
 *   <li>bounded: at most {@value #MAX_OUTPUT} characters of output, render depth 10, lists and maps
 *       of at most 10,000 entries;
 *   <li>strict: an unknown variable is an error naming it (as for the plain templates), so a typo
 *       does not boot a VM with an empty setting.
 * </ul>
 *
 * <p>The variables are the boot's ({@link BootVariables}), production's {@code cs_*} names
 * included. Values from a job or a cloud are checked by the same rule as for plain templates
 * (they are rendered only when safe for YAML, MIME and shell) because {@link #uses} reports their
 * use.
 *
 * <p><b>Thread safety:</b> thread-safe (one shared, configured engine; each render has its own
 * interpreter).
 */
final class JinjaTemplate {
  /** The suffix of Jinja documents' names. */
  static final String SUFFIX = ".j2";

  /** The most characters one document renders to. */
  static final long MAX_OUTPUT = 1L << 20;

  private static final Pattern TAG = Pattern.compile("\\{\\{(.*?)}}|\\{%(.*?)%}", Pattern.DOTALL);
  private static final Pattern SIMPLE = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(\\|[^}]*)?");
  private static final Jinjava JINJAVA = create();

  private JinjaTemplate() {}

  static boolean isJinja(UserDataDocument document) {
    return document.name().endsWith(SUFFIX);
  }

  private static Jinjava create() {
    JinjavaConfig config =
        JinjavaConfig.newBuilder()
            .withFailOnUnknownTokens(true)
            .withMaxOutputSize(MAX_OUTPUT)
            .withMaxStringLength(MAX_OUTPUT)
            .withMaxRenderDepth(10)
            .withMaxListSize(10_000)
            .withMaxMapSize(10_000)
            .withNestedInterpretationEnabled(false)
            .withEnableRecursiveMacroCalls(false)
            .withRestrictedMethods(
                Set.of("getClass", "forName", "getClassLoader", "getDeclaredMethods", "getMethods",
                    "getDeclaredFields", "getFields", "newInstance", "invoke", "wait", "notify", "notifyAll"))
            .withRestrictedProperties(Set.of("class", "classLoader", "declaringClass", "module"))
            .build();
    Jinjava jinjava = new Jinjava(config);
    jinjava.setResourceLocator(
        (name, encoding, interpreter) -> {
          throw new IOException(
              "user-data templates cannot read '" + bounded(name) + "': no file, URL or class path access");
        });
    return jinjava;
  }

  /**
   * Renders a Jinja document.
   *
   * @param document its name, for messages
   * @param template the template
   * @param values the variables
   * @param problems where every error goes, with the document's name and line
   * @return the output
   */
  static String render(String document, String template, Map<String, String> values, List<String> problems) {
    RenderResult result;
    try {
      result = JINJAVA.renderForResult(template, values);
    } catch (RuntimeException e) {
      problems.add("user-data document '" + document + "': cannot be rendered: " + bounded(String.valueOf(e.getMessage())));
      return "";
    }
    for (TemplateError e : result.getErrors()) {
      if (e.getSeverity() == TemplateError.ErrorType.WARNING) {
        continue;
      }
      problems.add(
          "user-data document '" + document + "', line " + Math.max(1, e.getLineno()) + ": "
              + bounded(String.valueOf(e.getMessage())));
    }
    return result.getOutput() == null ? "" : result.getOutput();
  }

  /**
   * The variables a Jinja document uses as plain substitutions ({@code {{ name }}}, with or
   * without filters), for the configuration check; names used only in {@code if} and {@code for}
   * tags are checked when the document is rendered. Syntax errors go to {@code problems}.
   */
  static Set<String> variables(String document, String template, List<String> problems) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = TAG.matcher(template);
    while (m.find()) {
      if (m.group(1) != null) {
        Matcher simple = SIMPLE.matcher(m.group(1));
        if (simple.matches()) {
          names.add(simple.group(1));
        }
      }
    }
    try {
      com.hubspot.jinjava.interpret.JinjavaInterpreter interpreter = JINJAVA.newInterpreter();
      interpreter.parse(template);
      for (TemplateError e : interpreter.getErrors()) {
        if (e.getSeverity() != TemplateError.ErrorType.WARNING) {
          problems.add(
              "user-data document '" + document + "', line " + Math.max(1, e.getLineno()) + ": "
                  + bounded(String.valueOf(e.getMessage())));
        }
      }
    } catch (RuntimeException e) {
      problems.add("user-data document '" + document + "': " + bounded(String.valueOf(e.getMessage())));
    }
    return names;
  }

  /**
   * Whether the document may use a variable: its name appears as a word inside any tag. It may
   * over-report (a word in a string literal), never under-report.
   */
  static boolean uses(String template, String variable) {
    Pattern word = Pattern.compile("(?<![A-Za-z0-9_.])" + Pattern.quote(variable) + "(?![A-Za-z0-9_])");
    Matcher m = TAG.matcher(template);
    while (m.find()) {
      String inside = m.group(1) != null ? m.group(1) : m.group(2);
      if (word.matcher(inside).find()) {
        return true;
      }
    }
    return false;
  }

  private static String bounded(String s) {
    String one = s.replaceAll("[\\r\\n\\t]+", " ");
    return one.length() <= 300 ? one : one.substring(0, 300) + "...";
  }
}

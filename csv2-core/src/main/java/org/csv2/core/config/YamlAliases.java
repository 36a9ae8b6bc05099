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

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Finds YAML aliases ({@code a: &x 5} then {@code b: *x}). The YAML reader the configuration is
 * bound with does not resolve them: an alias to a single value silently became the anchor's name
 * (issue 20), an alias to a mapping a confusing type error. Every alias is refused with its line
 * and what it refers to, so the operator writes the value.
 *
 * <p><b>Thread safety:</b> stateless.
 */
final class YamlAliases {
  private YamlAliases() {}

  /**
   * The problems: one per alias.
   *
   * @param yaml the configuration text
   * @param source where it comes from, for messages
   * @return the problems; empty when none (or when the text is not YAML: the reader says why)
   */
  static List<String> find(String yaml, String source) {
    if (yaml.indexOf('*') < 0) {
      return List.of();
    }
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(ConfigLoader.MAX_CONFIG_CHARS);
    Set<String> scalarAnchors = new HashSet<>();
    List<String> problems = new ArrayList<>();
    try {
      for (Event e : new Yaml(options).parse(new StringReader(yaml))) {
        if (e instanceof ScalarEvent s && s.getAnchor() != null) {
          scalarAnchors.add(s.getAnchor());
        } else if (e instanceof AliasEvent a) {
          int line = a.getStartMark() == null ? 0 : a.getStartMark().getLine() + 1;
          problems.add(
              source + ": line " + line + ": the alias *" + a.getAnchor() + " refers to "
                  + (scalarAnchors.contains(a.getAnchor()) ? "a single value" : "a mapping or a list")
                  + "; csv2 does not resolve YAML aliases: write the value itself");
        }
      }
    } catch (YAMLException e) {
      return List.of(); // not YAML: the configuration reader reports where and why
    }
    return problems;
  }
}

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

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The SSH key document's YAML quoting holds for text the key check would never let through. */
class SshKeyDocumentTest {
  @Test
  void quotingKeepsAnyTextOneScalar() {
    for (String text : List.of("a\"b", "back\\slash", "line\nbreak: [x]", "tab\there", "# not a comment", "key: value", "\u007f")) {
      Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load("k: " + SshKeyDocument.yamlQuoted(text));
      assertThat(parsed).as(text).isEqualTo(Map.of("k", text));
    }
  }
}

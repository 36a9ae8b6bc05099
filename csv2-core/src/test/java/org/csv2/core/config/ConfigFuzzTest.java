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

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.csv2.api.ConfigurationException;
import org.csv2.testkit.Hostile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing as a test (issue 20): the full example of docs/configuration.md, one value at any path
 * replaced by a hostile value (or removed). Seeded and bounded. Loading either gives a
 * configuration or a {@link ConfigurationException} whose problems name a path; never another
 * exception, never a stack trace for the operator.
 */
class ConfigFuzzTest {
  /** Cases; figures in docs/testing.md. */
  static final int EXAMPLES = 500;

  private static final YAMLMapper YAML = new YAMLMapper();

  static String fullExample() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    int section = doc.indexOf("## Full example");
    int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
    return doc.substring(start, doc.indexOf("```", start));
  }

  /** Every path to a value of the tree, as lists of field names and indexes. */
  private static void paths(JsonNode node, List<Object> at, List<List<Object>> out) {
    out.add(List.copyOf(at));
    if (node.isObject()) {
      node.fieldNames().forEachRemaining(name -> {
        at.add(name);
        paths(node.get(name), at, out);
        at.remove(at.size() - 1);
      });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        at.add(i);
        paths(node.get(i), at, out);
        at.remove(at.size() - 1);
      }
    }
  }

  private static JsonNode mutate(JsonNode root, List<Object> path, JsonNode value, boolean remove) {
    JsonNode copy = root.deepCopy();
    if (path.isEmpty()) {
      return value;
    }
    JsonNode parent = copy;
    for (Object step : path.subList(0, path.size() - 1)) {
      parent = step instanceof Integer i ? parent.get(i) : parent.get((String) step);
    }
    Object last = path.get(path.size() - 1);
    if (parent instanceof ObjectNode o) {
      if (remove) {
        o.remove((String) last);
      } else {
        o.set((String) last, value);
      }
    } else if (parent instanceof ArrayNode a) {
      if (remove) {
        a.remove((Integer) last);
      } else {
        a.set((Integer) last, value);
      }
    }
    return copy;
  }

  @TempDir Path dir;

  @Test
  void aMutatedConfigurationLoadsOrIsRefusedWithProblems() throws IOException {
    String example = fullExample();
    Map<String, String> env =
        Map.of("ATLAS_CONDOR_TOKEN", "t", "ARBUTUS_PASSWORD", "p", "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE",
            "AWS_SECRET_ACCESS_KEY", "s", "CSV2_DB_PASSWORD", "d");
    // the example's user-data file
    Files.createDirectories(dir.resolve("user-data"));
    Files.writeString(dir.resolve("user-data").resolve("gpu-drivers.sh"), "#!/bin/sh\necho gpu\n");
    ConfigLoader.parse(example, env::get, "example", dir);
    JsonNode root = YAML.readTree(example);
    List<List<Object>> all = new ArrayList<>();
    paths(root, new ArrayList<>(), all);
    int[] outcomes = new int[2];
    qt().withFixedSeed(20_261_204L)
        .withExamples(EXAMPLES)
        .forAll(integers().between(0, all.size() - 1), Hostile.json(), integers().between(0, 9))
        .checkAssert((pathIndex, value, removeRoll) -> {
          String yaml;
          try {
            yaml = YAML.writeValueAsString(mutate(root, all.get(pathIndex), value, removeRoll == 0));
          } catch (IOException e) {
            throw new AssertionError(e);
          }
          try {
            ConfigLoader.parse(yaml, env::get, "fuzz", dir);
            outcomes[0]++;
          } catch (ConfigurationException e) {
            assertThat(e.problems()).as("problems of %s", all.get(pathIndex)).isNotEmpty().allSatisfy(p -> assertThat(p).isNotBlank());
            outcomes[1]++;
          }
        });
    assertThat(outcomes[1]).as("hostile values are refused").isPositive();
  }
}

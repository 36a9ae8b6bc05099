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
package org.csv2.plugin.openstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.csv2.api.CloudException;
import org.csv2.model.Flavor;
import org.csv2.spi.CloudDriver;
import org.csv2.testkit.Hostile;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzing as a test (issue 20): Nova's flavor list from ../shared/data/openstack-samples, one
 * field of one flavor replaced by a hostile value (or removed), served by the sample server.
 * Seeded and bounded. The driver either reads the list or fails with a {@link CloudException}
 * (never another exception), and every flavor that was not touched is read exactly as before.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ReplyFuzzTest {
  /** Cases; figures in docs/testing.md. */
  static final int EXAMPLES = 300;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aMutatedFlavorNeverHidesTheOthers() throws Exception {
    try (OpenStackSampleServer server = new OpenStackSampleServer().start()) {
      TestPluginContext context = new TestPluginContext(Clock.systemUTC(), "engine1", "fuzz");
      CloudDriver driver =
          new OpenStackCloudDriverProvider().create(TestPluginConfig.of(SampleConfigs.password(server), "clouds[0].config"), context);
      try {
        Map<String, Flavor> before = driver.flavors().stream().collect(Collectors.toMap(f -> f.name().value(), f -> f));
        ObjectNode sample =
            (ObjectNode) JSON.readTree(Files.readString(OpenStackSampleServer.samplesDirectory().resolve("nova/flavors/flavors-detail-resp.json")));
        ArrayNode flavors = (ArrayNode) sample.get("flavors");
        List<String> fields = new ArrayList<>();
        flavors.get(0).fieldNames().forEachRemaining(fields::add);
        int[] outcomes = new int[3];
        qt().withFixedSeed(20_261_204L)
            .withExamples(EXAMPLES)
            .forAll(integers().between(0, flavors.size() - 1), integers().between(0, fields.size() - 1), Hostile.json(), integers().between(0, 9))
            .checkAssert((index, field, value, removeRoll) -> {
              ObjectNode mutated = sample.deepCopy();
              ObjectNode flavor = (ObjectNode) mutated.get("flavors").get(index);
              String touched = flavor.path("name").asText();
              if (removeRoll == 0) {
                flavor.remove(fields.get(field));
              } else {
                flavor.set(fields.get(field), value);
              }
              server.failNext("GET", "/flavors/detail$", 200, mutated.toString());
              List<Flavor> read;
              try {
                read = driver.flavors();
              } catch (CloudException e) {
                outcomes[2]++;
                return;
              } finally {
                server.reset();
              }
              Map<String, Flavor> byName = read.stream().collect(Collectors.toMap(f -> f.name().value(), f -> f, (a, b) -> a));
              before.forEach((name, f) -> {
                if (!name.equals(touched)) {
                  assertThat(byName.get(name)).as("untouched flavor %s", name).isEqualTo(f);
                }
              });
              outcomes[read.size() == before.size() ? 0 : 1]++;
            });
        System.out.printf("flavor fuzz: %d read whole, %d read without the bad flavor, %d refused%n",
            outcomes[0], outcomes[1], outcomes[2]);
        assertThat(outcomes[0] + outcomes[1]).as("most mutations leave a usable cloud").isGreaterThan(EXAMPLES / 2);
      } finally {
        driver.close();
      }
    }
  }
}

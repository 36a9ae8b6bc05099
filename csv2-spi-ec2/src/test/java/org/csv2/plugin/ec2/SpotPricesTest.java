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
package org.csv2.plugin.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.SpotPrice;

class SpotPricesTest {
  private static SpotPrice p(String type, String zone, String price, String at, String product) {
    return SpotPrice.builder()
        .instanceType(type)
        .availabilityZone(zone)
        .spotPrice(price)
        .timestamp(Instant.parse(at))
        .productDescription(product)
        .build();
  }

  private static final List<SpotPrice> HISTORY =
      List.of(
          p("m5.large", "us-east-1a", "0.040", "2025-03-01T10:00:00Z", "Linux/UNIX"),
          p("m5.large", "us-east-1a", "0.050", "2025-03-01T11:00:00Z", "Linux/UNIX"),
          p("m5.large", "us-east-1b", "0.045", "2025-03-01T09:00:00Z", "Linux/UNIX"),
          p("m5.large", "us-east-1c", "0.030", "2025-03-01T11:30:00Z", "Windows"),
          p("c5.xlarge", "us-east-1a", "0.070", "2025-03-01T11:00:00Z", "Linux/UNIX"),
          p("c5.xlarge", "us-east-1a", "garbage", "2025-03-01T11:59:00Z", "Linux/UNIX"));

  @Test
  void theLatestPerZoneCountsThenTheCheapestZone() {
    List<String> rejected = new java.util.ArrayList<>();
    Map<String, SpotPrices.ZonePrice> current =
        SpotPrices.current(HISTORY, "Linux/UNIX", null, (r, why) -> rejected.add(r + ": " + why));
    // us-east-1a's latest is 0.050 (0.040 is older); us-east-1b's 0.045 is the cheapest latest; Windows does not count
    assertThat(current.get("m5.large").price()).isEqualTo(0.045);
    assertThat(current.get("m5.large").zone()).isEqualTo("us-east-1b");
    assertThat(current.get("c5.xlarge").price()).as("an unreadable price is skipped").isEqualTo(0.070);
    assertThat(rejected).containsExactly("spot price of c5.xlarge in us-east-1a: price 'garbage' is not a number");
  }

  @Test
  void aPinnedZoneCountsAlone() {
    Map<String, SpotPrices.ZonePrice> current = SpotPrices.current(HISTORY, "Linux/UNIX", "us-east-1a", (r, why) -> {});
    assertThat(current.get("m5.large").price()).isEqualTo(0.050);
    assertThat(SpotPrices.current(HISTORY, "Linux/UNIX", "us-east-1d", (r, why) -> {})).isEmpty();
  }

  @Test
  void theProductDescriptionSelects() {
    assertThat(SpotPrices.current(HISTORY, "Windows", null, (r, why) -> {})).containsOnlyKeys("m5.large");
  }
}

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
package org.csv2.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.csv2.core.sim.TraceJob;
import org.csv2.model.Resources;
import org.junit.jupiter.api.Test;

/** The replay's catalog and workload mapping. */
class ReplayCatalogTest {
  private final Path data = SharedData.locate();

  @Test
  void threeCloudsOfDifferentPriorityAndPrice() {
    List<ReplayCatalog.CloudSpec> clouds = ReplayCatalog.clouds(data);
    assertThat(clouds).extracting(c -> c.name().value()).containsExactly("ec2-us-east-1", "ec2-ca-central-1", "rackspace");
    assertThat(clouds).extracting(ReplayCatalog.CloudSpec::priority).containsExactly(0, 1, 2);
    double p0 = ReplayCatalog.cheapestPerCore(List.of(clouds.get(0)));
    double p1 = ReplayCatalog.cheapestPerCore(List.of(clouds.get(1)));
    double p2 = ReplayCatalog.cheapestPerCore(List.of(clouds.get(2)));
    assertThat(p0).isLessThan(p1);
    assertThat(p1).isLessThan(p2);
    assertThat(ReplayCatalog.cheapestPerCore(clouds)).isEqualTo(p0);
    // the quotas together are below the LCG log's peak of 3,359 busy cores: they bind
    assertThat(clouds.stream().mapToInt(ReplayCatalog.CloudSpec::quotaCores).sum()).isLessThan(3_359);
    for (ReplayCatalog.CloudSpec c : clouds) {
      assertThat(c.flavors()).isNotEmpty().allMatch(f -> !f.name().value().startsWith("t2.") && f.resources().gpus() == 0
          && f.resources().ramMiB() >= 1000L * f.resources().cores() && f.pricePerHour() > 0);
    }
  }

  @Test
  void simulatedConfigHasTheKeysOfTheSimulatedDriver() {
    Map<String, Object> c = ReplayCatalog.clouds(data).get(2).simulatedConfig(0.01);
    assertThat(c).containsKeys("flavors", "images", "quota", "boot-delay", "failures");
    assertThat(c.get("boot-delay")).isEqualTo(Map.of("min", "60s", "max", "180s"));
    assertThat(c.get("failures")).isEqualTo(Map.of("error-rate-after-boot", 0.01));
    assertThat((List<?>) c.get("flavors")).hasSize(ReplayCatalog.clouds(data).get(2).flavors().size());
  }

  @Test
  void workloadKeepsBigGroupsAndMapsTheRestToOne() {
    List<TraceJob> trace =
        List.of(
            job(1, 0, 100, 1, 7), job(2, 5, 50, 2, 7), job(3, 9, 10, 1, 7), job(4, 2, 10, 1, 9));
    ReplayWorkload w = ReplayWorkload.of(trace);
    assertThat(w.jobs()).hasSize(4);
    assertThat(w.jobs()).extracting(j -> j.submit().toSeconds()).containsExactly(0L, 2L, 5L, 9L);
    assertThat(w.groups()).extracting(g -> g.value()).containsExactly("vo7", "vo9");
    assertThat(w.jobs().get(2).request()).isEqualTo(Resources.of(2, 2000));
    assertThat(w.coreHours()).isEqualTo((100 + 100 + 10 + 10) / 3600.0);
  }

  @Test
  void theWholeLcgLogIsReadAsSingleCoreJobs() {
    ReplayWorkload w = ReplayWorkload.read(data.resolve(SwfJobs.LCG), 0);
    // 188,041 records, 521 with a run time of 0 are skipped by the simulation's reader
    assertThat(w.jobs()).hasSize(187_520).allMatch(j -> j.request().cores() == 1 && j.request().ramMiB() == 1000);
    assertThat(w.groups()).hasSizeBetween(5, 30).extracting(g -> g.value()).contains("vo1", "vo-other");
  }

  private static TraceJob job(long n, long submit, long run, int procs, int group) {
    return new TraceJob(n, Duration.ofSeconds(submit), Duration.ofSeconds(run), procs, -1, 1, group, 1, 1);
  }
}

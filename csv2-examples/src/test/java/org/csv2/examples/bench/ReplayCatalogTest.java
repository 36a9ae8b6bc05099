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
  void eachCatalogKeepsExactlyTheseTypesAndNoAcceleratorOrBurstableFamily() {
    Map<String, List<String>> kept = new java.util.LinkedHashMap<>();
    for (ReplayCatalog.CloudSpec c : ReplayCatalog.clouds(data)) {
      kept.put(c.name().value(), c.flavors().stream().map(f -> f.name().value()).sorted().toList());
    }
    assertThat(kept.get("ec2-us-east-1"))
        .containsExactly(
            "c3.2xlarge", "c3.4xlarge", "c3.8xlarge", "c3.large", "c3.xlarge", "c4.2xlarge", "c4.4xlarge",
            "c4.8xlarge", "c4.large", "c4.xlarge", "c5.18xlarge", "c5.2xlarge", "c5.4xlarge", "c5.9xlarge",
            "c5.large", "c5.xlarge", "cc2.8xlarge", "cr1.8xlarge", "d2.2xlarge", "d2.4xlarge", "d2.8xlarge",
            "d2.xlarge", "hs1.8xlarge", "i2.2xlarge", "i2.4xlarge", "i2.8xlarge", "i2.xlarge", "i3.16xlarge",
            "i3.2xlarge", "i3.4xlarge", "i3.8xlarge", "i3.large", "i3.xlarge", "m1.large", "m1.medium",
            "m1.small", "m1.xlarge", "m2.2xlarge", "m2.4xlarge", "m2.xlarge", "m3.2xlarge", "m3.large",
            "m3.medium", "m3.xlarge", "m4.10xlarge", "m4.16xlarge", "m4.2xlarge", "m4.4xlarge", "m4.large",
            "m4.xlarge", "r3.2xlarge", "r3.4xlarge", "r3.8xlarge", "r3.large", "r3.xlarge", "r4.16xlarge",
            "r4.2xlarge", "r4.4xlarge", "r4.8xlarge", "r4.large", "r4.xlarge", "x1.16xlarge", "x1.32xlarge",
            "x1e.32xlarge");
    assertThat(kept.get("ec2-ca-central-1"))
        .containsExactly(
            "c4.2xlarge", "c4.4xlarge", "c4.8xlarge", "c4.large", "c4.xlarge", "c5.18xlarge", "c5.2xlarge",
            "c5.4xlarge", "c5.large", "c5.xlarge", "d2.2xlarge", "d2.4xlarge", "d2.8xlarge", "d2.xlarge",
            "i3.16xlarge", "i3.2xlarge", "i3.4xlarge", "i3.8xlarge", "i3.large", "i3.xlarge", "m4.10xlarge",
            "m4.16xlarge", "m4.2xlarge", "m4.4xlarge", "m4.large", "m4.xlarge", "r4.16xlarge", "r4.2xlarge",
            "r4.4xlarge", "r4.8xlarge", "r4.large", "r4.xlarge", "x1.16xlarge", "x1.32xlarge", "x1e.32xlarge");
    assertThat(kept.get("rackspace"))
        .containsExactly("15.5GB-slice", "1GB-slice", "2GB-slice", "30GB-slice", "4GB-slice", "8GB-slice");
    // the 2017 file records these accelerator types with GPU = 0: excluded by family, not by the column
    List<org.csv2.model.Flavor> all = Catalogs.ec2ByRegion(data).get("us-east-1");
    assertThat(all).extracting(f -> f.name().value()).contains("g2.2xlarge", "cg1.4xlarge", "f1.2xlarge");
    assertThat(all.stream().filter(f -> f.name().value().equals("f1.2xlarge")).findFirst().orElseThrow().resources().gpus())
        .isZero();
    assertThat(all.stream().filter(ReplayCatalog::accelerator).map(f -> f.name().value()).sorted().toList())
        .containsExactly(
            "cg1.4xlarge", "f1.16xlarge", "f1.2xlarge", "g2.2xlarge", "g2.8xlarge", "g3.16xlarge", "g3.4xlarge",
            "g3.8xlarge", "p2.16xlarge", "p2.8xlarge", "p2.xlarge", "p3.16xlarge", "p3.2xlarge", "p3.8xlarge");
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

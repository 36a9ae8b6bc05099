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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.csv2.core.sim.TraceJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay's figures on a tiny trace, through the real engine, with both policies. */
class ReplayBenchmarkTest {
  @TempDir Path out;

  @Test
  @SuppressWarnings("unchecked")
  void tinyTraceGivesEveryFigureForBothPolicies() throws Exception {
    List<TraceJob> trace = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      trace.add(new TraceJob(i + 1, Duration.ofSeconds(i * 30L), Duration.ofMinutes(20 + i % 7), 1, -1, i % 3, i % 2, 1, 1));
    }
    ReplayWorkload w = ReplayWorkload.of(trace);
    Map<String, Object> report =
        new ReplayBenchmark(SharedData.locate(), out).run("tiny", w, ReplayCatalog.clouds(SharedData.locate()), false);

    List<Map<String, Object>> runs = (List<Map<String, Object>>) report.get("runs");
    assertThat(runs).extracting(r -> r.get("policy")).containsExactly("default", "csv2-classic");
    for (Map<String, Object> r : runs) {
      assertThat(r.get("truncated")).isEqualTo(false);
      assertThat(r.get("jobsSubmitted")).isEqualTo(40L);
      assertThat(r.get("jobsCompleted")).isEqualTo(40L);
      double p50 = (double) r.get("waitP50s");
      double p95 = (double) r.get("waitP95s");
      double p99 = (double) r.get("waitP99s");
      assertThat(p50).isGreaterThanOrEqualTo(0);
      assertThat(p95).isGreaterThanOrEqualTo(p50);
      // the first job waits at least for a VM to boot (60 s) and register (30 s)
      assertThat(p99).isGreaterThanOrEqualTo(p95).isGreaterThanOrEqualTo(90);
      double used = (double) r.get("coreHoursUsed");
      assertThat(used).isCloseTo(w.coreHours(), org.assertj.core.data.Percentage.withPercentage(0.1));
      assertThat((double) r.get("provisionedPerUsed")).isGreaterThanOrEqualTo(1.0);
      assertThat((double) r.get("costPerLowerBound")).isGreaterThanOrEqualTo(1.0);
      assertThat((long) r.get("vmsBooted")).isPositive();
      assertThat((int) r.get("peakVms")).isPositive();
      assertThat((double) r.get("planTimeP99ms")).isGreaterThan(0);
      assertThat((double) r.get("wallSeconds")).isGreaterThan(0);
      assertThat(r).containsKeys("cores", "jvm", "bootFailuresInjected", "bootFailuresHealed", "loadAverageAtStart", "loadAverageAtEnd");
      // the cycles split by CPU time as by wall time: a cycle's CPU time never exceeds its wall time by more than the clocks' grain
      assertThat((double) r.get("cycleChangedCpuMeanMs")).isPositive().isLessThanOrEqualTo((double) r.get("cycleChangedMeanMs") * 1.05 + 0.01);
      assertThat((double) r.get("unchangedPerChangedCycleCpu")).isPositive();
      assertThat((double) r.get("waitMaxS")).isGreaterThanOrEqualTo(p99);
      assertThat(r.get("jobsNeverStarted")).isEqualTo(0L);
      assertThat((double) r.get("costLowerBound"))
          .isGreaterThanOrEqualTo((double) r.get("costLowerBoundShapeAware") - 1e-9)
          .isLessThanOrEqualTo((double) r.get("cost"));
      assertThat((double) r.get("costLowerBoundShapeAware"))
          .isGreaterThanOrEqualTo((double) r.get("costLowerBoundCheapestCore") - 1e-9);
    }
    // the tiny trace is serial and not the whole LCG log: utilisation (1.10), cost and wait bars and B2's no-change cycle
    // bar for each policy, no wall-time bar
    assertThat((List<Map<String, Object>>) report.get("bars"))
        .extracting(b -> (String) b.get("figure"))
        .containsExactly(
            "default, core-hours provisioned / used (serial trace)",
            "default, cost / shape- and quota-aware lower bound",
            "default vs csv2-classic, job wait p95",
            "cycle in which nothing changed / other cycles (mean wall time), default",
            "cycle in which nothing changed / other cycles (mean CPU time), default",
            "cycle in which nothing changed / other cycles (mean wall time), csv2-classic",
            "cycle in which nothing changed / other cycles (mean CPU time), csv2-classic");
    assertThat((List<String>) report.get("plots")).containsExactly("replay-tiny-default.png", "replay-tiny-csv2-classic.png");
    for (String plot : (List<String>) report.get("plots")) {
      assertThat(Files.size(out.resolve(plot))).isGreaterThan(1000);
    }
    String md = ReplayBenchmark.markdown(report);
    assertThat(md).contains("| job wait p95 (s) |", "| job wait max (s) |", "| cost / lower bound (shape- and quota-aware) |",
        "| bar | figure | met |");
  }

  @Test
  void jobsNoFlavorHoldsAreLeftOutWithTheReasonAndAWorkloadOfOnlySuchJobsIsRefused() {
    List<TraceJob> trace = new ArrayList<>();
    trace.add(new TraceJob(1, Duration.ZERO, Duration.ofMinutes(5), 1, -1, 1, 1, 1, 1));
    trace.add(new TraceJob(2, Duration.ofSeconds(10), Duration.ofMinutes(5), 256, -1, 1, 1, 1, 1));
    ReplayWorkload w = ReplayWorkload.of(trace);
    ReplayWorkload.Split split = w.splitRunnable(ReplayCatalog.clouds(SharedData.locate()));
    assertThat(split.runnable().jobs()).hasSize(1);
    assertThat(split.neverRun()).containsExactly(Map.entry("more cores than the largest flavor (128)", 1L));

    ReplayWorkload wide = ReplayWorkload.of(List.of(trace.get(1)));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new ReplayBenchmark(SharedData.locate(), out).run("wide", wide, ReplayCatalog.clouds(SharedData.locate()), false))
        .isInstanceOf(ReplayBenchmark.NothingToReplay.class)
        .hasMessageContaining("none of the 1 jobs can run")
        .hasMessageContaining("more cores than the largest flavor (128)");
    ReplayWorkload none = new ReplayWorkload(List.of(), List.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new ReplayBenchmark(SharedData.locate(), out).run("none", none, ReplayCatalog.clouds(SharedData.locate()), false))
        .isInstanceOf(ReplayBenchmark.NothingToReplay.class)
        .hasMessageContaining("no job accepted");
  }

  @Test
  @SuppressWarnings("unchecked")
  void emptyStretchesOfVirtualTimeAreSkipped() {
    // two jobs 30 days apart: without skipping, 259,200 cycles of 10 s; with it, a few hundred
    List<TraceJob> trace =
        List.of(
            new TraceJob(1, Duration.ZERO, Duration.ofMinutes(5), 1, -1, 1, 1, 1, 1),
            new TraceJob(2, Duration.ofDays(30), Duration.ofMinutes(5), 1, -1, 1, 1, 1, 1));
    Map<String, Object> report =
        new ReplayBenchmark(SharedData.locate(), out, List.of("default"))
            .run("gap", ReplayWorkload.of(trace), ReplayCatalog.clouds(SharedData.locate()), false);
    Map<String, Object> r = ((List<Map<String, Object>>) report.get("runs")).get(0);
    assertThat(r.get("jobsCompleted")).isEqualTo(2L);
    assertThat((int) r.get("cycles")).isLessThan(1_000);
    assertThat((long) r.get("idleCyclesSkipped")).isGreaterThan(250_000);
    assertThat((double) r.get("virtualDays")).isGreaterThan(30);
    // both jobs waited only for a VM (boot 60-180 s, registration 30 s), the second one too
    assertThat((double) r.get("waitMaxS")).isLessThan(300);
  }

  @Test
  void noBarIsMetOnZeroWorkAndResultNamesKeepTheWholeFileName() {
    Map<String, Object> idle = new java.util.LinkedHashMap<>();
    idle.put("policy", "default");
    idle.put("coreHoursUsed", 0.0);
    idle.put("provisionedPerUsed", 0.0);
    idle.put("costPerLowerBound", Double.NaN);
    List<Map<String, Object>> bars = ReplayBenchmark.bars(false, false, List.of(idle));
    assertThat(bars).isNotEmpty().allSatisfy(b -> assertThat(b.get("met")).isEqualTo(false));
    assertThat(bars.get(0).get("bar")).isEqualTo("<= 1.25");
    assertThat(ReplayBenchmark.shortName(Path.of("/x/NASA-iPSC-1993-3.1-cln.swf.gz"))).isEqualTo("NASA-iPSC-1993-3.1-cln");
    assertThat(ReplayBenchmark.shortName(Path.of("grid.2006.swf"))).isEqualTo("grid.2006");
  }

  @Test
  void percentileIsNearestRank() {
    long[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(ReplayRun.percentile(v, 50)).isEqualTo(5);
    assertThat(ReplayRun.percentile(v, 99)).isEqualTo(10);
    assertThat(ReplayRun.percentile(v, 10)).isEqualTo(1);
    assertThat(ReplayRun.percentile(new long[0], 99)).isZero();
  }
}

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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.csv2.core.planning.Planners;
import org.csv2.core.planning.Snapshot;
import org.csv2.model.Plan;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * B1 end to end: the heap a 100k-job snapshot holds, the JMH runs of {@link PlanningBenchmark}
 * and {@link SweepBenchmark} with the GC profiler, the fitted growth exponents, and the JSON and
 * Markdown reports.
 */
final class PlanningRun {
  /** The bars of PERFORMANCE.md, in ms per plan. */
  static final Map<String, Double> BARS_MS = Map.of("mixed-20k", 40.0, "htc-100k", 250.0);

  /** The bar on every sweep point, in ms per plan. */
  static final double SWEEP_BAR_MS = 250.0;

  /** Forks of the settling measurement ({@link Settle}). */
  private int settleForks = 3;
  private boolean settleOnly;

  /**
   * Measures only the settled steady state and cold plan of the scenarios (no JMH, no heap).
   *
   * @param only whether to
   * @return this
   */
  PlanningRun settleOnly(boolean only) {
    this.settleOnly = only;
    return this;
  }

  /** The scenarios measured by {@link Settle}. */
  private List<String> settleScenarios = List.of("mixed-20k", "htc-100k");

  /**
   * Which scenarios the settling measurement runs (sweep points by name, {@code
   * sweep-j<jobs>-c<clouds>-v<vms>}, whose bar is {@link #SWEEP_BAR_MS}).
   *
   * @param scenarios their names
   * @param forks forks per scenario, or 0 for the default (3, 2 with {@code --quick})
   * @return this
   */
  PlanningRun settleScenarios(List<String> scenarios, int forks) {
    scenarios.forEach(Scenarios::byName); // fails early on a bad name
    this.settleScenarios = List.copyOf(scenarios);
    if (forks > 0) {
      this.settleForks = forks;
      this.settleForksSet = true;
    }
    return this;
  }

  private boolean settleForksSet;

  /** The bar on the heap a 100k-job snapshot holds, in MiB. */
  static final long HEAP_BAR_MIB = 256;

  private final Path data;
  private final Path out;
  private final List<String> policies;
  private final boolean sweep;
  private final boolean quick;

  PlanningRun(Path data, Path out, List<String> policies, boolean sweep, boolean quick) {
    this.data = data;
    this.out = out;
    this.policies = List.copyOf(policies);
    this.sweep = sweep;
    this.quick = quick;
  }

  /** Runs everything and writes {@code planning.json} and {@code planning.md}. */
  Map<String, Object> run() throws RunnerException {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("machine", Machine.describe());
    report.put("settings", settings());
    report.put("loadAverageAtStart", loadAverage());
    List<Map<String, Object>> settled = new ArrayList<>();
    int forks = quick && !settleForksSet ? 2 : settleForks;
    for (String scenario : settleScenarios) {
      System.out.println("== " + scenario + ": warm-up until stable, " + forks + " forks, load average " + loadAverage());
      Map<String, Object> m = Settle.forks(scenario, "default", forks, data);
      double bar = BARS_MS.getOrDefault(scenario, SWEEP_BAR_MS);
      m.put("barMs", bar);
      m.put("met", (double) m.get("steadyMs") <= bar);
      m.put("metCpu", (double) m.get("steadyCpuMs") <= bar);
      m.put("loadAverageAfter", loadAverage());
      System.out.printf(Locale.ROOT, "   steady %.2f ms (CPU %.2f), spread %.0f %%, cold %.0f ms%n",
          (double) m.get("steadyMs"), (double) m.get("steadyCpuMs"), 100 * (double) m.get("spread"), (double) m.get("coldMs"));
      settled.add(m);
    }
    report.put("settled", settled);
    if (settleOnly) {
      report.put("loadAverageAtEnd", loadAverage());
      Json.write(out.resolve("planning-settled.json"), report);
      Json.text(out.resolve("planning-settled.md"), settledMarkdown(report));
      System.out.println(settledMarkdown(report));
      return report;
    }

    System.out.println("== heap held by the htc-100k snapshot (5 runs, median)");
    SnapshotHeap.Result heap =
        SnapshotHeap.measure(5, () -> Scenarios.build(Scenarios.HTC_100K, data, "default"));
    Map<String, Object> heapJson = new LinkedHashMap<>(Machine.describe());
    heapJson.put("scenario", "htc-100k snapshot");
    heapJson.put("medianMiB", mib(heap.medianBytes()));
    heapJson.put("runsMiB", heap.runsBytes().stream().map(PlanningRun::mib).toList());
    heapJson.put("barMiB", HEAP_BAR_MIB);
    heapJson.put("met", heap.medianBytes() <= HEAP_BAR_MIB * 1024 * 1024);
    report.put("snapshotHeap", heapJson);
    System.out.printf(Locale.ROOT, "   %.1f MiB (runs %s)%n", mib(heap.medianBytes()), heapJson.get("runsMiB"));

    List<Map<String, Object>> scenarios = new ArrayList<>();
    for (RunResult rr : jmh(PlanningBenchmark.class, policies, quick ? 1 : 2, quick ? 2 : 10, quick ? 3 : 5)) {
      String scenario = rr.getParams().getParam("scenario");
      String policy = rr.getParams().getParam("policy");
      Map<String, Object> row = result(rr, Scenarios.byName(scenario), policy);
      Double bar = BARS_MS.get(scenario);
      if (bar != null && policy.equals("default")) {
        row.put("barMs", bar);
        row.put("met", (double) row.get("medianMs") <= bar);
        row.put("metOnCpuTime", (double) row.get("cpuMedianMs") <= bar);
      }
      scenarios.add(row);
    }
    report.put("scenarios", scenarios);

    if (sweep) {
      List<Map<String, Object>> points = new ArrayList<>();
      for (RunResult rr : jmh(SweepBenchmark.class, List.of("default"), 1, quick ? 1 : 2, quick ? 2 : 3)) {
        points.add(result(rr, Scenarios.byName(rr.getParams().getParam("point")), "default"));
      }
      report.put("sweep", points);
      report.put("sweepExponents", exponents(points));
    }
    report.put("loadAverageAtEnd", loadAverage());
    Json.write(out.resolve("planning.json"), report);
    Json.text(out.resolve("planning.md"), markdown(report));
    System.out.println(markdown(report));
    System.out.println("written: " + out.resolve("planning.json") + ", " + out.resolve("planning.md"));
    return report;
  }

  private Map<String, Object> settings() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("scenarioForks", quick ? 1 : 2);
    s.put("scenarioWarmups", quick ? "2 x 1 s" : "10 x 1 s");
    s.put("scenarioIterations", quick ? "3 x 1 s" : "5 x 1 s");
    s.put("sweepForks", 1);
    s.put("sweepWarmups", quick ? "1 x 1 s" : "2 x 1 s");
    s.put("sweepIterations", quick ? "2 x 1 s" : "3 x 1 s");
    s.put("profiler", "gc");
    s.put("forkJvmArgs", List.of("-Xmx4g", "-D" + SharedData.PROPERTY + "=" + data));
    return s;
  }

  private Collection<RunResult> jmh(Class<?> benchmark, List<String> policyParams, int forks, int warmups, int iterations)
      throws RunnerException {
    ChainedOptionsBuilder o =
        new OptionsBuilder()
            .include("^" + java.util.regex.Pattern.quote(benchmark.getName()) + "\\.")
            .forks(forks)
            .warmupIterations(warmups)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(iterations)
            .measurementTime(TimeValue.seconds(1))
            .addProfiler(GCProfiler.class)
            .jvmArgsAppend("-Xmx4g", "-D" + SharedData.PROPERTY + "=" + data)
            .shouldFailOnError(true);
    if (benchmark == PlanningBenchmark.class) {
      o = o.param("policy", policyParams.toArray(String[]::new));
    }
    return new Runner(o.build()).run();
  }

  private Map<String, Object> result(RunResult rr, Scenarios.Spec spec, String policy) {
    double[] scores =
        rr.getBenchmarkResults().stream()
            .map(BenchmarkResult::getIterationResults)
            .flatMap(Collection::stream)
            .mapToDouble((IterationResult ir) -> ir.getPrimaryResult().getScore())
            .toArray();
    Arrays.sort(scores);
    double median =
        scores.length == 0 ? Double.NaN
            : scores.length % 2 == 1 ? scores[scores.length / 2]
            : (scores[scores.length / 2 - 1] + scores[scores.length / 2]) / 2;
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("scenario", spec.name());
    row.put("policy", policy);
    row.put("jobs", spec.jobs());
    row.put("clouds", spec.clouds());
    row.put("flavors", spec.clouds() * spec.flavorsPerCloud());
    row.put("vms", spec.vms());
    row.put("medianMs", median);
    row.put("meanMs", rr.getPrimaryResult().getScore());
    row.put("errorMs99", rr.getPrimaryResult().getScoreError());
    row.put("minMs", scores.length == 0 ? Double.NaN : scores[0]);
    row.put("maxMs", scores.length == 0 ? Double.NaN : scores[scores.length - 1]);
    row.put("iterations", scores.length);
    row.put("jobsPerSecond", spec.jobs() / (median / 1000.0));
    rr.getSecondaryResults()
        .forEach(
            (key, value) -> {
              if (key.endsWith("gc.alloc.rate.norm")) {
                row.put("allocBytesPerPlan", value.getScore());
              }
            });
    row.putAll(planShape(spec, policy));
    row.putAll(Machine.describe());
    return row;
  }

  /**
   * What the plan of the scenario does (a sanity check), and the median thread CPU time and wall
   * time of plans in this JVM after warm-up: CPU time does not count the time other processes of a
   * shared machine take the core, so it is the figure to read when the load average exceeds the
   * cores.
   */
  private Map<String, Object> planShape(Scenarios.Spec spec, String policy) {
    Snapshot s = Scenarios.build(spec, data, policy);
    org.csv2.core.planning.Planner planner = Planners.forPolicy(policy);
    Plan plan = planner.plan(s);
    int warm = spec.jobs() > 300_000 ? 3 : quick ? 5 : 15;
    int measured = spec.jobs() > 300_000 ? 5 : quick ? 7 : 21;
    for (int i = 0; i < warm; i++) {
      planner.plan(s);
    }
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long[] cpu = new long[measured];
    long[] wall = new long[measured];
    for (int i = 0; i < measured; i++) {
      long c0 = threads.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      planner.plan(s);
      wall[i] = System.nanoTime() - w0;
      cpu[i] = threads.getCurrentThreadCpuTime() - c0;
    }
    Arrays.sort(cpu);
    Arrays.sort(wall);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpuMedianMs", cpu[measured / 2] / 1e6);
    m.put("inProcessWallMedianMs", wall[measured / 2] / 1e6);
    m.put("inProcessPlans", measured);
    m.put("planBootActions", plan.boots().size());
    m.put("planVmsToBoot", plan.vmsToBoot());
    m.put("planJobsPlaced", plan.boots().stream().mapToInt(b -> b.jobs()).sum());
    m.put("planRetires", plan.retirements().size());
    m.put("planTerminates", plan.terminations().size());
    m.put("planAdopts", plan.adoptions().size());
    m.put("planNotes", plan.notes().size());
    return m;
  }

  static Map<String, Object> exponents(List<Map<String, Object>> points) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("jobs", fit(points, "jobs", p -> (int) p.get("clouds") == 10 && (int) p.get("vms") == 2000));
    out.put("clouds", fit(points, "clouds", p -> (int) p.get("jobs") == 20000 && (int) p.get("vms") == 2000));
    out.put("vms", fit(points, "vms", p -> (int) p.get("jobs") == 20000 && (int) p.get("clouds") == 10));
    return out;
  }

  private static Map<String, Object> fit(
      List<Map<String, Object>> points, String axis, java.util.function.Predicate<Map<String, Object>> onAxis) {
    List<Map<String, Object>> line = points.stream().filter(onAxis).toList();
    double[] x = line.stream().mapToDouble(p -> ((Number) p.get(axis)).doubleValue()).toArray();
    double[] y = line.stream().mapToDouble(p -> ((Number) p.get("medianMs")).doubleValue()).toArray();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("points", x.length);
    if (x.length >= 2) {
      GrowthFit f = GrowthFit.of(x, y);
      m.put("exponent", f.exponent());
      m.put("r2", f.r2());
      if (line.stream().allMatch(p -> p.get("cpuMedianMs") != null)) {
        double[] cpu = line.stream().mapToDouble(p -> ((Number) p.get("cpuMedianMs")).doubleValue()).toArray();
        GrowthFit c = GrowthFit.of(x, cpu);
        m.put("cpuExponent", c.exponent());
        m.put("cpuR2", c.r2());
      }
    }
    return m;
  }

  /** The system's one-minute load average (runnable processes; above the core count, they queue). */
  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  /** The settled figures as a table. */
  @SuppressWarnings("unchecked")
  static String settledMarkdown(Map<String, Object> report) {
    StringBuilder b = new StringBuilder();
    b.append("Machine: ").append(Machine.line()).append("\n\n");
    List<Map<String, Object>> settled = (List<Map<String, Object>>) report.get("settled");
    if (settled == null || settled.isEmpty()) {
      return b.toString();
    }
    b.append("Steady state (").append(settled.get(0).get("rule")).append("):\n\n");
    b.append("| scenario | forks | steady wall ms/plan (median of forks) | each fork's wall ms | wall spread | steady CPU ms/plan | each fork's CPU ms | CPU spread | cold first plan, wall / CPU ms (each fork) | settled forks | load after | bar | met (wall / CPU) |\n");
    b.append("|---|---:|---:|---|---:|---:|---|---:|---|---|---:|---|---|\n");
    for (Map<String, Object> m : settled) {
      List<Map<String, Object>> runs = (List<Map<String, Object>>) m.get("runs");
      double steady = (double) m.get("steadyMs");
      double cpu = (double) m.get("steadyCpuMs");
      double bar = (double) m.get("barMs");
      b.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %s | %.0f %%%s | %.2f | %s | %.0f %%%s | %s | %d of %d | %.1f | <= %.0f ms | %s / %s |%n",
          m.get("scenario"), (int) m.get("forks"), steady, each(runs, "steadyMs"),
          100 * (double) m.get("spread"), (boolean) m.get("wide") ? " (wide)" : "",
          cpu, each(runs, "steadyCpuMs"),
          100 * (double) m.get("spreadCpu"), (boolean) m.get("wideCpu") ? " (wide)" : "",
          runs.stream().map(r -> String.format(Locale.ROOT, "%.0f / %.0f", ((Number) r.get("coldMs")).doubleValue(), ((Number) r.get("coldCpuMs")).doubleValue())).toList(),
          ((Number) m.get("settledForks")).intValue(), runs.size(),
          ((Number) m.getOrDefault("loadAverageAfter", Double.NaN)).doubleValue(), bar,
          met(steady, bar), met(cpu, bar)));
    }
    return b.toString();
  }

  private static String each(List<Map<String, Object>> runs, String key) {
    return runs.stream().map(r -> String.format(Locale.ROOT, "%.1f", ((Number) r.get(key)).doubleValue())).toList().toString();
  }

  private static String met(double value, double bar) {
    return value <= bar ? "met" : String.format(Locale.ROOT, "NOT met (%.2fx)", value / bar);
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> report) {
    StringBuilder b = new StringBuilder();
    b.append(settledMarkdown(report)).append('\n');
    b.append(String.format(Locale.ROOT, "Load average (1 min) at start %.1f, at end %.1f, on %s cores.%n%n",
        ((Number) report.get("loadAverageAtStart")).doubleValue(),
        ((Number) report.getOrDefault("loadAverageAtEnd", Double.NaN)).doubleValue(),
        ((Map<String, Object>) report.get("machine")).get("cores")));
    b.append("| scenario | policy | jobs | clouds x flavors | VMs | median ms/plan (JMH) | jobs/s | CPU ms/plan | alloc MB/plan | bar | met (JMH wall / CPU) |\n");
    b.append("|---|---|---:|---|---:|---:|---:|---:|---:|---|---|\n");
    for (Map<String, Object> r : (List<Map<String, Object>>) report.get("scenarios")) {
      row(b, r, true);
    }
    Map<String, Object> heap = (Map<String, Object>) report.get("snapshotHeap");
    b.append(String.format(Locale.ROOT,
        "%nHeap held by the htc-100k snapshot: **%.1f MiB** median of %s MiB (bar <= %d MiB: %s)%n",
        (double) heap.get("medianMiB"), fmtList((List<Double>) heap.get("runsMiB")), HEAP_BAR_MIB,
        (boolean) heap.get("met") ? "met" : "NOT met"));
    List<Map<String, Object>> sweep = (List<Map<String, Object>>) report.get("sweep");
    if (sweep != null) {
      b.append("\nSweep (default policy):\n\n");
      b.append("| point | jobs | clouds x flavors | VMs | median ms/plan (JMH) | jobs/s | CPU ms/plan | alloc MB/plan |\n");
      b.append("|---|---:|---|---:|---:|---:|---:|---:|\n");
      for (Map<String, Object> r : sweep) {
        row(b, r, false);
      }
      Map<String, Object> ex = (Map<String, Object>) report.get("sweepExponents");
      b.append("\nFitted growth exponent k of time per plan = a x size^k (log-log least squares):\n\n");
      b.append("| axis | points | k, JMH wall time | r² | k, CPU time | r² |\n|---|---:|---:|---:|---:|---:|\n");
      for (String axis : List.of("jobs", "clouds", "vms")) {
        Map<String, Object> f = (Map<String, Object>) ex.get(axis);
        if (f.get("exponent") != null) {
          b.append(String.format(Locale.ROOT, "| %s | %d | **%.2f** | %.2f | **%s** | %s |%n", axis, (int) f.get("points"),
              (double) f.get("exponent"), (double) f.get("r2"),
              f.get("cpuExponent") == null ? "-" : String.format(Locale.ROOT, "%.2f", (double) f.get("cpuExponent")),
              f.get("cpuR2") == null ? "-" : String.format(Locale.ROOT, "%.2f", (double) f.get("cpuR2"))));
        }
      }
    }
    return b.toString();
  }

  private static void row(StringBuilder b, Map<String, Object> r, boolean withBar) {
    Object alloc = r.get("allocBytesPerPlan");
    String allocMb = alloc == null ? "n/a" : String.format(Locale.ROOT, "%.1f", ((Number) alloc).doubleValue() / 1e6);
    double cpu = ((Number) r.get("cpuMedianMs")).doubleValue();
    if (withBar) {
      Object bar = r.get("barMs");
      String met = "-";
      if (bar != null) {
        double b0 = (double) bar;
        met = verdict((boolean) r.get("met"), (double) r.get("medianMs") / b0)
            + " / " + verdict((boolean) r.get("metOnCpuTime"), cpu / b0);
      }
      b.append(String.format(Locale.ROOT, "| %s | %s | %,d | %d x %d | %,d | %.2f | %,.0f | %.2f | %s | %s | %s |%n",
          r.get("scenario"), r.get("policy"), (int) r.get("jobs"), (int) r.get("clouds"),
          (int) r.get("flavors") / (int) r.get("clouds"), (int) r.get("vms"), (double) r.get("medianMs"),
          (double) r.get("jobsPerSecond"), cpu, allocMb,
          bar == null ? "-" : String.format(Locale.ROOT, "<= %.0f ms", (double) bar), met));
    } else {
      b.append(String.format(Locale.ROOT, "| %s | %,d | %d x %d | %,d | %.2f | %,.0f | %.2f | %s |%n",
          r.get("scenario"), (int) r.get("jobs"), (int) r.get("clouds"),
          (int) r.get("flavors") / (int) r.get("clouds"), (int) r.get("vms"), (double) r.get("medianMs"),
          (double) r.get("jobsPerSecond"), cpu, allocMb));
    }
  }

  private static String verdict(boolean met, double ratio) {
    return met ? "met" : String.format(Locale.ROOT, "NOT met (%.1fx)", ratio);
  }

  private static String fmtList(List<Double> l) {
    return l.stream().map(d -> String.format(Locale.ROOT, "%.1f", d)).toList().toString();
  }
}

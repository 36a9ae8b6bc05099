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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.csv2.core.sim.TraceReplay;
import org.csv2.core.sim.WorkloadJob;

/**
 * B2: replays a trace through the simulated clouds and job source with both policies, one after
 * the other in the same run, and writes {@code replay-<trace>.json}, {@code replay-<trace>.md} and
 * one plot per policy.
 */
final class ReplayBenchmark {
  /** The policies compared. */
  static final List<String> POLICIES = List.of("default", "csv2-classic");

  /** The suffix of a policy's run with reservations. */
  static final String WITH_RESERVATIONS = "+reservations";

  /** The bar on the wall time of one whole LCG replay with the default policy, in seconds. */
  static final double WALL_BAR_S = 20;

  /** The bar on the wall time of one whole LCG replay with csv2-classic, in seconds. */
  static final double CLASSIC_WALL_BAR_S = 120;

  /** The bar on a cycle in which nothing changed, as a fraction of the other cycles' mean. */
  static final double NO_CHANGE_BAR = 0.05;

  /** The traces of the shared data folder by short name. */
  static final Map<String, String> TRACES =
      Map.of(
          "lcg", SwfJobs.LCG,
          "atlas", SwfJobs.ATLAS,
          "nasa", "traces/NASA-iPSC-1993-3.1-cln.swf.gz",
          "hpc2n", "traces/HPC2N-2002-2-alea-sample.swf.gz");

  /** A replay that has nothing to replay: no job accepted, or no job any flavor can hold. */
  static final class NothingToReplay extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NothingToReplay(String message) {
      super(message);
    }
  }

  private final Path data;
  private final Path out;
  private final List<String> policies;
  private boolean vcpuQuotas;
  private org.csv2.core.config.@org.jspecify.annotations.Nullable FlavorPolicy flavorPolicy;

  /**
   * Replays with the EC2 regions' quotas in vCPUs only ({@link ReplayCatalog#clouds(Path, boolean)}).
   *
   * @param vcpu whether to
   * @return this
   */
  ReplayBenchmark vcpuQuotas(boolean vcpu) {
    this.vcpuQuotas = vcpu;
    return this;
  }

  /**
   * Replays the {@code default} policy with another flavor policy than the engine's default.
   *
   * @param p the flavor policy, or null for the default
   * @return this
   */
  ReplayBenchmark flavorPolicy(org.csv2.core.config.@org.jspecify.annotations.Nullable FlavorPolicy p) {
    this.flavorPolicy = p;
    return this;
  }

  /**
   * Mixes reservations with the trace (issue 15): each policy is replayed without them, then with
   * them ({@code <policy>+reservations}), and the results are named {@code replay-<trace>-reservations.*}.
   *
   * @param spec {@code seeded:N} (N reservations from the seed 42, {@link ReplayReservations#seeded})
   *     or a file ({@link ReplayReservations#read}); null for none
   * @return this
   */
  ReplayBenchmark reservations(@org.jspecify.annotations.Nullable String spec) {
    if (spec != null && spec.startsWith("seeded:")) {
      try {
        Integer.parseInt(spec.substring("seeded:".length()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--reservations seeded:N needs a number, was '" + spec + "'");
      }
    } else if (spec != null && !java.nio.file.Files.isRegularFile(Path.of(spec))) {
      throw new IllegalArgumentException("--reservations: '" + spec + "' is neither seeded:N nor a file");
    }
    this.reservationsSpec = spec;
    return this;
  }

  private @org.jspecify.annotations.Nullable String reservationsSpec;

  /**
   * The reservations of the spec for a workload.
   *
   * @param spec {@code seeded:N} or a file
   * @param span the workload's span (its last submit)
   * @param clouds the catalog
   * @return the reservations
   */
  static ReplayReservations reservationsOf(String spec, Duration span, List<ReplayCatalog.CloudSpec> clouds) {
    if (spec.startsWith("seeded:")) {
      return ReplayReservations.seeded(
          Integer.parseInt(spec.substring("seeded:".length())), 42, span,
          clouds.stream().map(ReplayCatalog.CloudSpec::name).toList());
    }
    return ReplayReservations.read(Path.of(spec));
  }

  ReplayBenchmark(Path data, Path out) {
    this(data, out, POLICIES);
  }

  /**
   * A replay of some policies (the bars that compare two policies need both).
   *
   * @param data the shared data folder
   * @param out where results go
   * @param policies the policies to replay, in order
   */
  ReplayBenchmark(Path data, Path out, List<String> policies) {
    this.data = data;
    this.out = out;
    this.policies = List.copyOf(policies);
  }

  /**
   * Replays a trace.
   *
   * @param trace {@code lcg}, {@code atlas} or an SWF file
   * @param maxJobs the most jobs, 0 for all
   * @return the report
   */
  Map<String, Object> run(String trace, int maxJobs) {
    Path file = TRACES.containsKey(trace) ? data.resolve(TRACES.get(trace)) : Path.of(trace);
    String name = (TRACES.containsKey(trace) ? trace : shortName(file)) + (reservationsSpec == null ? "" : "-reservations");
    long t0 = System.nanoTime();
    ReplayWorkload workload = ReplayWorkload.read(file, maxJobs);
    double loadSeconds = (System.nanoTime() - t0) / 1e9;
    List<ReplayCatalog.CloudSpec> clouds = ReplayCatalog.clouds(data, vcpuQuotas);
    System.out.printf(Locale.ROOT, "== replay %s: %,d jobs, %d groups, %.0f core-hours of work (read in %.1f s)%n",
        name, workload.jobs().size(), workload.groups().size(), workload.coreHours(), loadSeconds);
    Map<String, Object> report = run(name, workload, clouds, trace.equals("lcg") && maxJobs <= 0 && reservationsSpec == null);
    report.put("ec2Quotas", vcpuQuotas ? "vCPUs only" : "instances and cores");
    report.put("defaultFlavorPolicy", flavorPolicy == null ? "engine default" : flavorPolicy.name());
    report.put("traceFile", file.toString());
    report.put("traceLoadSeconds", loadSeconds);
    Json.write(out.resolve("replay-" + name + ".json"), report);
    String md = markdown(report);
    Json.text(out.resolve("replay-" + name + ".md"), md);
    System.out.println(md);
    System.out.println("written: " + out.resolve("replay-" + name + ".json") + ", .md and plots " + report.get("plots"));
    return report;
  }

  /**
   * Replays a workload with both policies and compares them.
   *
   * @param name the trace's short name
   * @param workload the jobs
   * @param clouds the clouds
   * @param wholeLcg whether this is the whole LCG log (the wall-time bar applies)
   * @return the report (machine, catalog, one object per policy, bars)
   */
  Map<String, Object> run(
      String name, ReplayWorkload all, List<ReplayCatalog.CloudSpec> clouds, boolean wholeLcg) {
    TraceReplay.Counts counts = all.counts();
    Map<String, Long> skipped = counts.skippedByReason();
    if (!skipped.isEmpty()) {
      System.out.println("   records skipped: " + skipped);
    }
    counts.notes().forEach(n -> System.out.println("   note: " + n));
    if (all.jobs().isEmpty()) {
      throw new NothingToReplay(
          "replay " + name + ": no job accepted from " + counts.records() + " records (skipped: " + skipped + ")");
    }
    ReplayWorkload.Split split = all.splitRunnable(clouds);
    ReplayWorkload workload = split.runnable();
    if (!split.neverRun().isEmpty()) {
      System.out.printf(Locale.ROOT, "   WARNING: %,d of %,d jobs can never run on this catalog and are left out: %s%n",
          split.neverRunCount(), all.jobs().size(), split.neverRun());
    }
    if (workload.jobs().isEmpty()) {
      throw new NothingToReplay(
          "replay " + name + ": none of the " + all.jobs().size() + " jobs can run on this catalog: " + split.neverRun());
    }
    boolean serial = workload.jobs().stream().allMatch(j -> j.request().cores() == 1);
    long lastSubmit = workload.jobs().isEmpty() ? 0 : workload.jobs().get(workload.jobs().size() - 1).submit().toSeconds();
    long longest = workload.jobs().stream().map(WorkloadJob::runTime).mapToLong(Duration::toSeconds).max().orElse(0);
    Duration maxDuration = Duration.ofSeconds(lastSubmit + longest).plusDays(2);
    List<ReplayRun.Result> results = new ArrayList<>();
    List<Map<String, Object>> runs = new ArrayList<>();
    ReplayReservations resv =
        reservationsSpec == null ? null : reservationsOf(reservationsSpec, Duration.ofSeconds(lastSubmit), clouds);
    if (resv != null) {
      System.out.printf(Locale.ROOT, "   %d reservations (%s), each policy replayed without then with them%n",
          resv.planned().size(), reservationsSpec);
    }
    List<String> labels = new ArrayList<>();
    for (String policy : policies) {
      labels.add(policy);
      if (resv != null) {
        labels.add(policy + WITH_RESERVATIONS);
      }
    }
    for (String label : labels) {
      System.out.println("-- policy " + label);
      String policy = label.endsWith(WITH_RESERVATIONS) ? label.substring(0, label.length() - WITH_RESERVATIONS.length()) : label;
      ReplayRun.Result r =
          ReplayRun.run(policy, policy.equals("default") ? flavorPolicy : null, workload, clouds, 42, 30, maxDuration,
              label.equals(policy) ? null : resv);
      if (!label.equals(policy)) {
        r.figures().put("policy", label);
        r = new ReplayRun.Result(label, r.figures(), r.series());
        System.out.printf(Locale.ROOT, "   reservations: %s confirmed of %s, %s honoured, %s running by their start, start delay max %s s%n",
            r.figures().get("reservationsConfirmed"), r.figures().get("reservationsAsked"), r.figures().get("reservationsHonoured"),
            r.figures().get("reservationsRunningByStart"), r.figures().get("reservationStartDelayMaxS"));
        ((List<?>) r.figures().get("reservationsLate")).forEach(l -> System.out.println("   late: " + l));
      }
      String policyName = label;
      results.add(r);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("trace", name);
      row.put("jobs", workload.jobs().size());
      row.put("jobsNeverRunnable", split.neverRunCount());
      row.putAll(r.figures());
      row.putAll(Machine.describe());
      runs.add(row);
      System.out.printf(Locale.ROOT, "   %.1f s wall, %.1f s CPU, %d cycles, wait p95 %.0f s, max %.0f s (load average %.1f -> %.1f)%n",
          (double) row.get("wallSeconds"), (double) row.get("cpuSeconds"), (int) row.get("cycles"), (double) row.get("waitP95s"),
          (double) row.get("waitMaxS"), (double) row.get("loadAverageAtStart"), (double) row.get("loadAverageAtEnd"));
      System.out.printf(Locale.ROOT,
          "   %,d cycles in which nothing changed: %.3f ms wall, %.3f ms CPU (mean) against %.3f ms wall, %.3f ms CPU for the"
              + " others: %.3f of a cycle by wall time, %.3f by CPU time%n",
          (int) row.get("cyclesUnchanged"), (double) row.get("cycleUnchangedMeanMs"), (double) row.get("cycleUnchangedCpuMeanMs"),
          (double) row.get("cycleChangedMeanMs"), (double) row.get("cycleChangedCpuMeanMs"),
          (double) row.get("unchangedPerChangedCycle"), (double) row.get("unchangedPerChangedCycleCpu"));
      if ((boolean) row.get("truncated")) {
        System.out.printf(Locale.ROOT,
            "   WARNING: %s stopped at its horizon (%.1f days) with %,d jobs never started and %,d idle: its figures cover what ran%n",
            label, (double) row.get("virtualDays"), (long) row.get("jobsNeverStarted"), (int) row.get("jobsIdleAtEnd"));
      }
      // each policy's figures are kept as soon as its replay ends (a long replay may be stopped)
      Json.write(out.resolve("replay-" + name + "-" + policyName + ".json"), row);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("machine", Machine.describe());
    report.put("catalog", catalog(clouds));
    report.put("trace", name);
    report.put("serial", serial);
    report.put("records", counts.records());
    report.put("jobsAccepted", all.jobs().size());
    report.put("recordsSkipped", skipped);
    report.put("readerNotes", counts.notes());
    report.put("jobsNeverRunnable", split.neverRun());
    report.put("runs", runs);
    report.put("bars", bars(wholeLcg, serial, runs));
    report.put(
        "plots",
        ReplayPlots.write(out, name, results).stream().map(p -> p.getFileName().toString()).toList());
    return report;
  }

  private static List<Map<String, Object>> catalog(List<ReplayCatalog.CloudSpec> clouds) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ReplayCatalog.CloudSpec c : clouds) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cloud", c.name().value());
      m.put("priority", c.priority());
      m.put("flavors", c.flavors().size());
      m.put("cheapestPerCoreHour", ReplayCatalog.cheapestPerCore(List.of(c)));
      m.put("quotaCores", c.quotaCores());
      m.put("quotaInstances", c.quotaInstances());
      m.put("bootDelay", "60-180 s");
      m.put("bootFailureRate", ReplayRun.BOOT_FAILURE_RATE);
      out.add(m);
    }
    return out;
  }

  /**
   * The bars of PERFORMANCE.md B2 that belong to this replay: the wall-time bars only for the whole
   * LCG log; the policy bars for every trace, with the utilisation bar of its kind (serial 1.10,
   * parallel 1.25); and for every run, a cycle in which nothing changed against the others (mean
   * wall time, <= 0.05). With no work done (no core-hour used) no bar is met.
   *
   * @param wholeLcg whether this is the whole LCG log
   * @param serial whether every job has one core
   * @param runs the runs' figures
   * @return the bars
   */
  static List<Map<String, Object>> bars(boolean wholeLcg, boolean serial, List<Map<String, Object>> runs) {
    List<Map<String, Object>> bars = new ArrayList<>(policyBars(wholeLcg, serial, runs));
    for (Map<String, Object> r : runs) {
      // B2: a cycle in which nothing changed costs <= 5 % of one in which something did (means)
      double q = (double) r.getOrDefault("unchangedPerChangedCycle", Double.NaN);
      int n = (int) r.getOrDefault("cyclesUnchanged", 0);
      bars.add(bar("cycle in which nothing changed / other cycles (mean wall time), " + r.get("policy"), "<= 0.05",
          q, "", q <= NO_CHANGE_BAR, q / NO_CHANGE_BAR, n > 0 && !Double.isNaN(q)));
      // the same by the cycle thread's CPU time, which the machine's load does not inflate
      double qc = (double) r.getOrDefault("unchangedPerChangedCycleCpu", Double.NaN);
      bars.add(bar("cycle in which nothing changed / other cycles (mean CPU time), " + r.get("policy"), "<= 0.05",
          qc, "", qc <= NO_CHANGE_BAR, qc / NO_CHANGE_BAR, n > 0 && !Double.isNaN(qc)));
    }
    return bars;
  }

  private static List<Map<String, Object>> policyBars(boolean wholeLcg, boolean serial, List<Map<String, Object>> runs) {
    Map<String, Object> d = runs.stream().filter(r -> r.get("policy").equals("default")).findFirst().orElse(null);
    Map<String, Object> c = runs.stream().filter(r -> r.get("policy").equals("csv2-classic")).findFirst().orElse(null);
    List<Map<String, Object>> bars = new ArrayList<>();
    if (wholeLcg) {
      for (Map<String, Object> r : runs) {
        double wall = (double) r.get("wallSeconds");
        double limit = r.get("policy").equals("csv2-classic") ? CLASSIC_WALL_BAR_S : WALL_BAR_S;
        bars.add(bar("whole LCG replay wall time, " + r.get("policy"), String.format(Locale.ROOT, "<= %.0f s", limit),
            wall, "s", wall <= limit, wall / limit, true));
      }
    }
    if (d == null) {
      return bars;
    }
    boolean work = (double) d.get("coreHoursUsed") > 0;
    double ppuBar = serial ? 1.10 : 1.25;
    double ppu = (double) d.get("provisionedPerUsed");
    bars.add(bar("default, core-hours provisioned / used (" + (serial ? "serial" : "parallel") + " trace)",
        String.format(Locale.ROOT, "<= %.2f", ppuBar), ppu, "", ppu <= ppuBar, ppu / ppuBar, work));
    double dc = (double) d.get("costPerLowerBound");
    bars.add(bar("default, cost / shape- and quota-aware lower bound", "<= 1.15", dc, "", dc <= 1.15, dc / 1.15, work));
    if (c == null) {
      return bars;
    }
    double dw = (double) d.get("waitP95s");
    double cw = (double) c.get("waitP95s");
    double ratio = cw > 0 ? dw / cw : (dw == 0 ? 0 : Double.POSITIVE_INFINITY);
    String classicNote = ((long) c.get("jobsNeverStarted")) > 0
        ? String.format(Locale.ROOT, " (csv2-classic: %,d jobs never started, not in its p95)", (long) c.get("jobsNeverStarted"))
        : "";
    bars.add(bar("default vs csv2-classic, job wait p95" + classicNote, "<= 0.5x", ratio, "x", ratio <= 0.5, ratio / 0.5,
        work && (double) c.get("coreHoursUsed") > 0));
    return bars;
  }

  private static Map<String, Object> bar(
      String what, String bar, double value, String unit, boolean met, double factor, boolean work) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("figure", what);
    m.put("bar", bar);
    m.put("value", value);
    m.put("unit", unit);
    m.put("met", work && met && !Double.isNaN(value));
    m.put("evaluated", work);
    m.put("valueOverBar", factor);
    return m;
  }

  /**
   * The name of a trace's results: its file name without {@code .gz} and {@code .swf}
   * ({@code NASA-iPSC-1993-3.1-cln.swf.gz} gives {@code NASA-iPSC-1993-3.1-cln}).
   *
   * @param file the trace
   * @return the name
   */
  static String shortName(Path file) {
    String n = file.getFileName().toString();
    for (String ext : new String[] {".gz", ".swf"}) {
      if (n.length() > ext.length() && n.toLowerCase(Locale.ROOT).endsWith(ext)) {
        n = n.substring(0, n.length() - ext.length());
      }
    }
    return n;
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> report) {
    List<Map<String, Object>> runs = (List<Map<String, Object>>) report.get("runs");
    StringBuilder b = new StringBuilder();
    b.append("Machine: ").append(Machine.line()).append("\n\n");
    if (report.containsKey("records")) {
      b.append(String.format(Locale.ROOT, "Trace %s: %,d records, %,d jobs accepted; skipped: %s; can never run on this catalog: %s%n",
          report.get("trace"), (long) report.get("records"), (int) report.get("jobsAccepted"),
          ((Map<?, ?>) report.get("recordsSkipped")).isEmpty() ? "none" : report.get("recordsSkipped"),
          ((Map<?, ?>) report.get("jobsNeverRunnable")).isEmpty() ? "none" : report.get("jobsNeverRunnable")));
      for (Object note : (List<?>) report.get("readerNotes")) {
        b.append("Note: ").append(note).append('\n');
      }
      b.append('\n');
    }
    b.append("| figure |");
    runs.forEach(r -> b.append(' ').append(r.get("policy")).append(" |"));
    b.append("\n|---|");
    runs.forEach(r -> b.append("---:|"));
    b.append('\n');
    String[][] rows = {
      {"jobs submitted / started / completed", "jobsSubmitted", "jobsStarted", "jobsCompleted"},
      {"job wait p50 (s)", "waitP50s"},
      {"job wait p95 (s)", "waitP95s"},
      {"job wait p99 (s)", "waitP99s"},
      {"job wait max (s)", "waitMaxS"},
      {"jobs never started", "jobsNeverStarted"},
      {"core-hours used", "coreHoursUsed"},
      {"core-hours provisioned", "coreHoursProvisioned"},
      {"provisioned / used", "provisionedPerUsed"},
      {"cost", "cost"},
      {"cost lower bound: shape- and quota-aware / shape-aware / cheapest core", "costLowerBound", "costLowerBoundShapeAware", "costLowerBoundCheapestCore"},
      {"cost / lower bound (shape- and quota-aware)", "costPerLowerBound"},
      {"cost / cheapest-core bound (the first bound)", "costPerCheapestCoreBound"},
      {"VMs booted", "vmsBooted"},
      {"peak VMs", "peakVms"},
      {"boot failures injected / healed", "bootFailuresInjected", "bootFailuresHealed"},
      {"plan time p50 / p99 (ms)", "planTimeP50ms", "planTimeP99ms"},
      {"cycles (empty cycles skipped)", "cycles", "idleCyclesSkipped"},
      {"replay wall time (s)", "wallSeconds"},
      {"replay CPU time of the cycle thread (s)", "cpuSeconds"},
      {"load average (1 min) at start / end", "loadAverageAtStart", "loadAverageAtEnd"},
      {"wall time per cycle (µs)", "wallMicrosPerCycle"},
      {"cycles in which nothing changed", "cyclesUnchanged"},
      {"cycle wall time, nothing changed / other: mean (ms)", "cycleUnchangedMeanMs", "cycleChangedMeanMs"},
      {"cycle wall time, nothing changed / other: p50 (ms)", "cycleUnchangedP50ms", "cycleChangedP50ms"},
      {"cycle CPU time, nothing changed / other: mean (ms)", "cycleUnchangedCpuMeanMs", "cycleChangedCpuMeanMs"},
      {"cycle CPU time, nothing changed / other: p50 (ms)", "cycleUnchangedCpuP50ms", "cycleChangedCpuP50ms"},
      {"nothing-changed cycle / other cycle (means): wall / CPU", "unchangedPerChangedCycle", "unchangedPerChangedCycleCpu"},
    };
    List<String[]> all = new ArrayList<>(List.of(rows));
    if (runs.stream().anyMatch(r -> r.containsKey("reservationsAsked"))) {
      all.addAll(List.of(new String[][] {
        {"reservations asked / confirmed / refused", "reservationsAsked", "reservationsConfirmed", "reservationsRefused"},
        {"reservations honoured / running by their start / failed", "reservationsHonoured", "reservationsRunningByStart", "reservationsFailed"},
        {"reservation start delay max / p95 (s)", "reservationStartDelayMaxS", "reservationStartDelayP95S"},
        {"reserved core-hours booked", "reservationCoreHoursBooked"},
      }));
    }
    for (String[] row : all) {
      b.append("| ").append(row[0]).append(" |");
      for (Map<String, Object> r : runs) {
        List<String> vals = new ArrayList<>();
        for (int i = 1; i < row.length; i++) {
          vals.add(r.containsKey(row[i]) ? fmt(r.get(row[i])) : "-");
        }
        b.append(' ').append(String.join(" / ", vals)).append(" |");
      }
      b.append('\n');
    }
    for (Map<String, Object> r : runs) {
      if (r.containsKey("reservationsAsked")) {
        b.append('\n').append(r.get("policy")).append(": reservations refused by reason: ")
            .append(((Map<?, ?>) r.get("reservationsRefusedBy")).isEmpty() ? "none" : r.get("reservationsRefusedBy")).append('\n');
        for (Object late : (List<?>) r.get("reservationsLate")) {
          b.append("- late: ").append(late).append('\n');
        }
      }
    }
    b.append("\n| bar | figure | met |\n|---|---:|---|\n");
    for (Map<String, Object> bar : (List<Map<String, Object>>) report.get("bars")) {
      boolean met = (boolean) bar.get("met");
      boolean evaluated = !Boolean.FALSE.equals(bar.get("evaluated"));
      b.append(String.format(Locale.ROOT, "| %s %s | %s%s | %s |%n", bar.get("figure"), bar.get("bar"),
          fmt(bar.get("value")), bar.get("unit"),
          !evaluated ? "not evaluated: no work done"
              : met ? "met" : String.format(Locale.ROOT, "NOT met (%.2fx the bar)", (double) bar.get("valueOverBar"))));
    }
    return b.toString();
  }

  private static String fmt(Object v) {
    if (v instanceof Double d) {
      return Math.abs(d) >= 1000 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.3g", d);
    }
    if (v instanceof Number n) {
      return String.format(Locale.ROOT, "%,d", n.longValue());
    }
    return String.valueOf(v);
  }
}

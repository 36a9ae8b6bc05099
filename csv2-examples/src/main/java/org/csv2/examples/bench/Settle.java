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

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csv2.core.planning.Planner;
import org.csv2.core.planning.Planners;
import org.csv2.core.planning.Snapshot;

/**
 * B1 that settles: one plan scenario measured in several fresh JVMs (forks), each warming up until
 * its figure is stable, then measuring the steady state; the first, cold plan of each fork is
 * reported separately, and so is the spread across forks.
 *
 * <p><b>When a fork is settled:</b> plans run in windows of {@link #WINDOW} plans; a window's figure
 * is the median thread CPU time of its plans (the work a plan does, which the JIT's warm-up
 * changes and other processes on a shared machine do not: on wall time, forks at a load average
 * of 30 never settled). The fork is settled when the last {@link #STABLE_WINDOWS}
 * window medians lie within {@link #TOLERANCE} of each other (max / min - 1), after at least
 * {@link #MIN_WARMUP_PLANS} plans (so that the JIT's tiers have had their chance to compile the
 * planner). A fork that has not settled after {@link #MAX_WARMUP_SECONDS} of warm-up is measured
 * anyway and marked {@code settled = false}. Then {@link #MEASURED} plans are timed: the steady
 * state is their median wall and thread CPU time.
 *
 * <p><b>Spread across forks:</b> {@code max / min - 1} of the forks' steady medians; above {@link
 * #WIDE_SPREAD} the figure is reported as wide (the report gives every fork's median, not a median
 * alone).
 */
final class Settle {
  static final int WINDOW = 5;
  static final int STABLE_WINDOWS = 3;
  static final double TOLERANCE = 0.05;
  static final int MIN_WARMUP_PLANS = 30;
  static final double MAX_WARMUP_SECONDS = 120;
  static final int MEASURED = 21;
  static final double WIDE_SPREAD = 0.10;

  private Settle() {}

  /**
   * Measures one scenario in this JVM (the body of a fork): prints one JSON object on stdout.
   *
   * @param args scenario, policy
   */
  public static void main(String[] args) throws IOException {
    Map<String, Object> r = measure(Scenarios.byName(args[0]), SharedData.locate(), args[1]);
    System.out.println("SETTLE " + new ObjectMapper().writeValueAsString(r));
  }

  static Map<String, Object> measure(Scenarios.Spec spec, Path data, String policy) {
    Snapshot s = Scenarios.build(spec, data, policy);
    Planner planner = Planners.forPolicy(policy);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long c0 = threads.getCurrentThreadCpuTime();
    long w0 = System.nanoTime();
    planner.plan(s);
    double coldMs = (System.nanoTime() - w0) / 1e6;
    double coldCpuMs = (threads.getCurrentThreadCpuTime() - c0) / 1e6;

    List<Double> windows = new ArrayList<>();
    List<Double> wallWindows = new ArrayList<>();
    int plans = 0;
    long warm0 = System.nanoTime();
    boolean settled = false;
    while ((System.nanoTime() - warm0) / 1e9 < MAX_WARMUP_SECONDS) {
      double[] w = new double[WINDOW];
      double[] wc = new double[WINDOW];
      for (int i = 0; i < WINDOW; i++) {
        long tc = threads.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        planner.plan(s);
        w[i] = (System.nanoTime() - t) / 1e6;
        wc[i] = (threads.getCurrentThreadCpuTime() - tc) / 1e6;
      }
      plans += WINDOW;
      windows.add(median(wc));
      wallWindows.add(median(w));
      if (plans >= MIN_WARMUP_PLANS && stable(windows)) {
        settled = true;
        break;
      }
    }
    double warmupSeconds = (System.nanoTime() - warm0) / 1e9;

    double[] wall = new double[MEASURED];
    double[] cpu = new double[MEASURED];
    for (int i = 0; i < MEASURED; i++) {
      long tc = threads.getCurrentThreadCpuTime();
      long tw = System.nanoTime();
      planner.plan(s);
      wall[i] = (System.nanoTime() - tw) / 1e6;
      cpu[i] = (threads.getCurrentThreadCpuTime() - tc) / 1e6;
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("coldMs", coldMs);
    r.put("coldCpuMs", coldCpuMs);
    r.put("settled", settled);
    r.put("warmupPlans", plans);
    r.put("warmupSeconds", warmupSeconds);
    r.put("windowCpuMedians", last(windows, 12));
    r.put("windowWallMedians", last(wallWindows, 12));
    r.put("steadyMs", median(wall));
    r.put("steadyCpuMs", median(cpu));
    r.put("steadyMinMs", Arrays.stream(wall).min().orElse(Double.NaN));
    r.put("steadyMaxMs", Arrays.stream(wall).max().orElse(Double.NaN));
    r.put("steadyMinCpuMs", Arrays.stream(cpu).min().orElse(Double.NaN));
    r.put("steadyMaxCpuMs", Arrays.stream(cpu).max().orElse(Double.NaN));
    return r;
  }

  private static List<Double> last(List<Double> l, int n) {
    return new ArrayList<>(l.size() > n ? l.subList(l.size() - n, l.size()) : l);
  }

  /** {@code max / min - 1} of the values. */
  static double spread(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN) / Arrays.stream(v).min().orElse(Double.NaN) - 1;
  }

  static boolean stable(List<Double> windows) {
    if (windows.size() < STABLE_WINDOWS) {
      return false;
    }
    List<Double> last = windows.subList(windows.size() - STABLE_WINDOWS, windows.size());
    double min = last.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = last.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return max / min - 1 <= TOLERANCE;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /**
   * Runs a scenario in {@code forks} fresh JVMs, one after the other, and sums them up.
   *
   * @param scenario the scenario
   * @param policy the policy
   * @param forks how many JVMs
   * @param data the shared data folder
   * @return steady median (median of the forks' steady medians), spread, cold plans, each fork
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> forks(String scenario, String policy, int forks, Path data) {
    List<Map<String, Object>> runs = new ArrayList<>();
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int f = 0; f < forks; f++) {
      ProcessBuilder pb =
          new ProcessBuilder(
              javaBin, "-Xmx4g", "-D" + SharedData.PROPERTY + "=" + data, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
              "-cp", System.getProperty("java.class.path"), Settle.class.getName(), scenario, policy);
      pb.redirectErrorStream(true);
      try {
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        String line = out.lines().filter(l -> l.startsWith("SETTLE ")).findFirst().orElse(null);
        if (exit != 0 || line == null) {
          throw new IllegalStateException("settle fork of " + scenario + " failed (exit " + exit + "): " + out);
        }
        runs.add(new ObjectMapper().readValue(line.substring(7), Map.class));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    double[] steady = runs.stream().mapToDouble(r -> ((Number) r.get("steadyMs")).doubleValue()).toArray();
    double[] steadyCpu = runs.stream().mapToDouble(r -> ((Number) r.get("steadyCpuMs")).doubleValue()).toArray();
    double[] cold = runs.stream().mapToDouble(r -> ((Number) r.get("coldMs")).doubleValue()).toArray();
    double[] coldCpu = runs.stream().mapToDouble(r -> ((Number) r.get("coldCpuMs")).doubleValue()).toArray();
    double min = Arrays.stream(steady).min().orElse(Double.NaN);
    double max = Arrays.stream(steady).max().orElse(Double.NaN);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scenario", scenario);
    m.put("policy", policy);
    m.put("forks", forks);
    m.put("steadyMs", median(steady));
    m.put("steadyCpuMs", median(steadyCpu));
    m.put("spread", max / min - 1);
    m.put("spreadCpu", spread(steadyCpu));
    m.put("wide", max / min - 1 > WIDE_SPREAD);
    m.put("wideCpu", spread(steadyCpu) > WIDE_SPREAD);
    m.put("allSettled", runs.stream().allMatch(r -> Boolean.TRUE.equals(r.get("settled"))));
    m.put("settledForks", runs.stream().filter(r -> Boolean.TRUE.equals(r.get("settled"))).count());
    m.put("coldMs", median(cold));
    m.put("coldCpuMs", median(coldCpu));
    m.put("coldSpread", spread(cold));
    m.put("runs", runs);
    m.put("rule", String.format(java.util.Locale.ROOT,
        "settled when the thread-CPU medians of the last %d windows of %d plans are within %.0f %% (after >= %d plans, at most %.0f s);"
            + " then %d plans measured; spread = max/min - 1 of the forks' steady medians, wide above %.0f %%",
        STABLE_WINDOWS, WINDOW, TOLERANCE * 100, MIN_WARMUP_PLANS, MAX_WARMUP_SECONDS, MEASURED, WIDE_SPREAD * 100));
    return m;
  }
}

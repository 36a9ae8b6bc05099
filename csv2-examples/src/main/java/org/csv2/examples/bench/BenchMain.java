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
import java.util.List;
import java.util.Map;

/**
 * The one entry point of the benchmarks ({@code java -jar csv2-examples/target/benchmarks.jar}):
 *
 * <pre>
 * planning [--quick] [--no-sweep] [--settle-only] [--scenarios a,b] [--forks N] [--policies default,csv2-classic] [--out DIR]   B1
 * replay   [--trace lcg|atlas|nasa|hpc2n|FILE] [--jobs N] [--policies P,Q] [--out DIR]        B2
 *          [--catalog instance-quotas|vcpu-quotas] [--flavor-policy least-expected-cost]
 *          [--reservations seeded:N|FILE]
 * jmh      [JMH options]                                    the plain JMH command line
 * </pre>
 *
 * <p>Results go to {@code bench-results/} (or {@code --out}) as JSON and Markdown; the shared data
 * folder is found as {@link SharedData} says.
 */
public final class BenchMain {
  private BenchMain() {}

  /**
   * Runs a benchmark.
   *
   * @param args the command and its options
   * @throws Exception when a benchmark fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
      usage();
      return;
    }
    // The engine logs every cycle at INFO: a replay of 100,000 cycles would time the logger.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.setProperty("java.awt.headless", "true");
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    if (!args[0].equals("jmh") && (rest.contains("-h") || rest.contains("--help"))) {
      usage();
      return;
    }
    try {
      System.exit(command(args[0], rest));
    } catch (ReplayBenchmark.NothingToReplay e) {
      System.err.println("error: " + e.getMessage());
      System.exit(3);
    } catch (IllegalArgumentException | IllegalStateException | org.csv2.api.ConfigurationException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
  }

  /**
   * Runs one command.
   *
   * @return the exit status: 0, or 4 when a replay stopped at its horizon with jobs never started
   */
  @SuppressWarnings("unchecked")
  private static int command(String command, List<String> rest) throws Exception {
    switch (command) {
      case "planning" -> {
        Path out = Path.of(option(rest, "--out", "bench-results"));
        List<String> policies = List.of(option(rest, "--policies", "default").split(","));
        boolean quick = rest.remove("--quick");
        boolean sweep = !rest.remove("--no-sweep");
        boolean settleOnly = rest.remove("--settle-only");
        String scenarios = option(rest, "--scenarios", "mixed-20k,htc-100k");
        int forks = Integer.parseInt(option(rest, "--forks", "0"));
        unknown(rest);
        new PlanningRun(SharedData.locate(), out, policies, sweep, quick)
            .settleOnly(settleOnly)
            .settleScenarios(List.of(scenarios.split(",")), forks)
            .run();
      }
      case "replay" -> {
        Path out = Path.of(option(rest, "--out", "bench-results"));
        String trace = option(rest, "--trace", "lcg");
        int jobs = Integer.parseInt(option(rest, "--jobs", "0"));
        List<String> policies =
            List.of(option(rest, "--policies", String.join(",", ReplayBenchmark.POLICIES)).split(","));
        String catalog = option(rest, "--catalog", "instance-quotas");
        if (!catalog.equals("instance-quotas") && !catalog.equals("vcpu-quotas")) {
          throw new IllegalArgumentException("--catalog is instance-quotas or vcpu-quotas, not '" + catalog + "'");
        }
        String flavorPolicy = option(rest, "--flavor-policy", "");
        String reservations = option(rest, "--reservations", "");
        unknown(rest);
        Map<String, Object> report =
            new ReplayBenchmark(SharedData.locate(), out, policies)
                .vcpuQuotas(catalog.equals("vcpu-quotas"))
                .flavorPolicy(flavorPolicy.isEmpty() ? null : flavorPolicy(flavorPolicy))
                .reservations(reservations.isEmpty() ? null : reservations)
                .run(trace, jobs);
        boolean truncated =
            ((List<Map<String, Object>>) report.get("runs")).stream().anyMatch(r -> (boolean) r.get("truncated"));
        return truncated ? 4 : 0;
      }
      case "jmh" -> org.openjdk.jmh.Main.main(rest.toArray(String[]::new));
      default -> {
        System.err.println("unknown command '" + command + "'");
        usage();
        return 2;
      }
    }
    return 0;
  }

  private static String option(List<String> args, String name, String fallback) {
    int i = args.indexOf(name);
    if (i < 0) {
      return fallback;
    }
    if (i + 1 >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    String v = args.get(i + 1);
    args.subList(i, i + 2).clear();
    return v;
  }

  /** A flavor policy by its configuration name ({@code least-expected-cost}). */
  private static org.csv2.core.config.FlavorPolicy flavorPolicy(String name) {
    List<String> names = new ArrayList<>();
    for (org.csv2.core.config.FlavorPolicy p : org.csv2.core.config.FlavorPolicy.values()) {
      String n = p.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      if (n.equals(name)) {
        return p;
      }
      names.add(n);
    }
    throw new IllegalArgumentException("--flavor-policy is one of " + names + ", not '" + name + "'");
  }

  private static void unknown(List<String> rest) {
    if (!rest.isEmpty()) {
      throw new IllegalArgumentException("unknown options " + rest + ": see --help");
    }
  }

  private static void usage() {
    System.out.println(
        String.join(
            "\n",
            "usage: java -jar benchmarks.jar COMMAND [OPTIONS]",
            "  planning [--quick] [--no-sweep] [--settle-only] [--scenarios a,b] [--forks N] [--policies default,csv2-classic] [--out DIR]",
            "           B1: steady state (warm-up until stable, 3 forks), cold plan and spread of mixed-20k and",
            "           htc-100k; JMH plan time of the scenarios and the sweep; snapshot heap",
            "           (--settle-only: the steady state and cold plan alone, planning-settled.*)",
            "           (--scenarios a,b: what the settling step measures, sweep-j<jobs>-c<clouds>-v<vms> too; --forks N)",
            "  replay [--trace lcg|atlas|nasa|hpc2n|FILE] [--jobs N] [--policies default,csv2-classic] [--out DIR]",
            "         [--catalog instance-quotas|vcpu-quotas] [--flavor-policy least-cost-per-job|least-expected-cost|learned-run-times|smallest-fit]",
            "           (--flavor-policy applies to the default policy only)",
            "         [--reservations seeded:N|FILE]   mix N seeded reservations (or a file's: see ReplayReservations)",
            "           with the trace: each policy runs without then with them; results replay-<trace>-reservations.*",
            "           B2: replay a trace through the engine with both policies; results are named after the",
            "           trace (replay-lcg.*, replay-NASA-iPSC-1993-3.1-cln.*). Exit status: 0 done; 2 bad options;",
            "           3 nothing to replay (no job accepted, or none can run on the catalog); 4 a policy stopped",
            "           at its horizon with jobs never started",
            "  jmh [JMH options]   the JMH command line (e.g. jmh PlanningBenchmark -prof gc)",
            "The shared data folder is ../shared/data or -Dcsv2.shared.data=DIR."));
  }
}

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
package org.csv2.examples.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.core.Csv2Scheduler;
import org.csv2.core.sim.SimulatedCloud;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.api.CloudException;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.InstanceState;
import org.csv2.model.UserData;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Csv2Tags;

/**
 * The engine process of {@link CrashSafetyIT}: the real engine ({@link Csv2Scheduler}) with the
 * {@code jdbc} store on a server database, one simulated cloud whose instances outlive the process
 * ({@code state-file}) and a simulated pool, in virtual time that also outlives the process.
 *
 * <p>Arguments, {@code key=value}: {@code dir} (the run's directory: the cloud's state file {@value
 * #CLOUD_FILE}, the clock file {@value #CLOCK_FILE}, the instance ledger {@value #LEDGER_FILE}),
 * {@code seed}, {@code start} (how many engine processes ran before this one), {@code db-url},
 * {@code db-user}, {@code max-cycles}, {@code strays} (instances to boot behind the engine's back
 * at start, see {@link #bootStray}). The database password comes from the environment variable
 * {@value #PASSWORD_ENV}.
 *
 * <p><b>Time.</b> A {@link VirtualClock} moves {@value #STEP_SECONDS} s (the configured cycle) per
 * cycle. Before each cycle the child writes the cycle's time to the clock file (atomically); a new
 * child starts one step after the time it finds there, so time never goes backwards across kills
 * and the engine's timers (come-alive, keep-alive, the two-cycle grace of a REQUESTED VM) see the
 * downtime as a single cycle. A run is therefore fast and, apart from where the kills land,
 * deterministic.
 *
 * <p><b>Demand across restarts.</b> The simulated pool lives in the process, so a new child starts
 * with an empty pool and submits the same synthetic workload again (same seed; jobs arrive over the
 * next {@value #ARRIVAL_WINDOW} from the child's start): jobs killed with their engine are simply
 * submitted again, as a batch system whose schedd lost its queue would see them resubmitted. The
 * instances the previous children left in the cloud become workers of the new pool again
 * (register-delay after they became ACTIVE), as real startds re-advertise to a restarted
 * collector. The world's seed is {@code seed * 1000 + start}, so every child draws other boot
 * delays and failures. Convergence is well defined because the last child is never killed: it
 * runs its workload to completion, and the engine must then retire and terminate everything,
 * including what earlier children left behind.
 *
 * <p><b>Failures injected:</b> lost boot replies and time-outs (the cloud creates the instances
 * and the call fails: the engine must match them by name), boot errors, instances that go to
 * ERROR, and, when asked, strays: instances tagged as the engine's that the store has no record of
 * (the engine must adopt them).
 *
 * <p>Standard output, one line each: {@code stray <name>} per stray, {@code started <time>},
 * {@code cycle <n> <time> <vms by state> wall+<ms since started>}, then {@code CONVERGED cycle=<n> ...} (exit 0) or
 * {@code NOT-CONVERGED ...} (exit 3). The engine's log goes to standard error.
 */
public final class CrashChild {
  static final String CLOUD_FILE = "cloud.json";
  static final String CLOCK_FILE = "clock.txt";
  static final String LEDGER_FILE = "ledger.txt";
  static final String PASSWORD_ENV = "CSV2_CRASH_DB_PASSWORD";
  static final String CLOUD = "sim";
  static final long STEP_SECONDS = 10;
  static final String ARRIVAL_WINDOW = "3m";
  static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
  static final String MARKER_CONVERGED = "CONVERGED";
  static final String MARKER_NOT_CONVERGED = "NOT-CONVERGED";

  private CrashChild() {}

  /** The engine instance id of a seed's runs. */
  static String instanceId(long seed) {
    return "crash" + seed;
  }

  /**
   * Runs the child.
   *
   * @param args {@code key=value} arguments, see the class comment
   */
  public static void main(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("argument '" + arg + "' is not key=value");
      }
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    Path dir = Path.of(require(a, "dir"));
    long seed = Long.parseLong(require(a, "seed"));
    int start = Integer.parseInt(require(a, "start"));
    int maxCycles = Integer.parseInt(a.getOrDefault("max-cycles", "1500"));
    Duration step = Duration.ofSeconds(STEP_SECONDS);

    Instant t = readClock(dir.resolve(CLOCK_FILE));
    VirtualClock clock = new VirtualClock(t == null ? START : t.plus(step));
    SimulatedWorld world = new SimulatedWorld(clock, seed * 1000 + start);
    String yaml = config(dir, seed, require(a, "db-url"), require(a, "db-user"));
    Scheduler engine =
        Csv2Scheduler.builder()
            .configYaml(yaml)
            .clock(clock)
            .addCloudDriverProvider(new LedgerCloudDriverProvider(world.cloudProvider(), dir.resolve(LEDGER_FILE)))
            .addJobSourceProvider(world.jobSourceProvider())
            .build();
    int strays = Integer.parseInt(a.getOrDefault("strays", "0"));
    SimulatedCloud cloud = world.cloud(CloudName.of(CLOUD)).orElseThrow();
    for (int i = 0; i < strays; i++) {
      bootStray(cloud, seed, start, i);
    }
    long wallStart = System.nanoTime();
    System.out.println("started " + clock.instant());
    System.out.flush();
    for (int cycle = 1; cycle <= maxCycles; cycle++) {
      writeClock(dir.resolve(CLOCK_FILE), clock.instant());
      CycleReport report = engine.runOnce();
      Map<VmState, Integer> byState = new TreeMap<>(report.vmsByState());
      System.out.println("cycle " + cycle + " " + report.at() + " " + byState + " wall+"
          + (System.nanoTime() - wallStart) / 1_000_000 + "ms");
      System.out.flush();
      if (converged(world, byState)) {
        System.out.println(
            MARKER_CONVERGED + " cycle=" + cycle + " at=" + clock.instant() + " vms=" + byState
                + " stats=" + world.statistics());
        System.out.flush();
        engine.close();
        System.exit(0);
      }
      clock.advance(step);
    }
    System.out.println(
        MARKER_NOT_CONVERGED + " after " + maxCycles + " cycles: status=" + engine.status()
            + " pool finished=" + world.pool().finished() + " jobs=" + world.pool().jobs()
            + " instances=" + cloud.instances());
    System.out.flush();
    engine.close();
    System.exit(3);
  }

  /**
   * Boots an instance tagged as this engine's behind the engine's back, with a VM name the store
   * has never seen: what a store restored from an older backup, or a store write lost after the
   * boot, leaves behind. The engine must adopt it, record its history and eventually terminate it.
   * The cloud's injected failures apply to this boot too (nothing or an instance may come of it).
   */
  private static void bootStray(SimulatedCloud cloud, long seed, int start, int n) {
    VmId name = VmId.of(GroupName.of("atlas"), CloudName.of(CLOUD), instanceId(seed), "stray" + start + "x" + n);
    BootRequest request = new BootRequest(
        GroupName.of("atlas"), FlavorName.of("c2-8gb"), "alma9", List.of(name), UserData.EMPTY,
        Map.of(Csv2Tags.INSTANCE_ID, instanceId(seed), Csv2Tags.GROUP, "atlas", Csv2Tags.CLOUD, CLOUD),
        VmDefaults.NONE, 0);
    try (CloudDriver driver = cloud.driver(instanceId(seed))) {
      driver.boot(request);
      System.out.println("stray " + name);
    } catch (CloudException e) {
      System.out.println("stray " + name + " boot failed: " + e.getMessage());
    }
  }

  /** The workload is done, no VM of the engine holds capacity and no instance is left. */
  private static boolean converged(SimulatedWorld world, Map<VmState, Integer> byState) {
    if (!world.pool().finished()) {
      return false;
    }
    for (Map.Entry<VmState, Integer> e : byState.entrySet()) {
      if (e.getKey() != VmState.TERMINATED && e.getValue() > 0) {
        return false;
      }
    }
    return world.cloud(CloudName.of(CLOUD)).orElseThrow().instances().stream()
        .allMatch(i -> i.state() == InstanceState.TERMINATED);
  }

  static String config(Path dir, long seed, String dbUrl, String dbUser) {
    String stateFile = dir.resolve(CLOUD_FILE).toAbsolutePath().toString();
    return """
        engine:
          instance-id: %s
          call-timeout: 20s
          breaker-failures: 3
          breaker-open-for: 30s
          lease-ttl: 60s
        timers:
          cycle: %ds
          keep-alive: 60s
          keep-alive-floor: 10s
          come-alive: 300s
          job-alive: 120s
          error-delay: 30s
          retire-interval: 60s
          flavor-refresh: 300s
        groups:
          - name: atlas
            vm-defaults: { image: alma9 }
          - name: belle2
            vm-defaults: { image: alma9 }
        clouds:
          - name: %s
            driver: simulated
            config:
              state-file: "%s"
              quota: { cores: 16, instances: 10 }
              boot-delay: { min: 10s, max: 60s }
              failures:
                lost-reply-rate: 0.25
                timeout-rate: 0.05
                boot-error-rate: 0.05
                error-rate-after-boot: 0.05
              flavors:
                - { name: c2-8gb, cores: 2, ram-mib: 8000, disk-gib: 40, price-per-hour: 0.1 }
                - { name: c4-16gb, cores: 4, ram-mib: 16000, disk-gib: 80, price-per-hour: 0.2 }
        allocations:
          - { group: atlas, cloud: %s }
          - { group: belle2, cloud: %s }
        job-source:
          driver: simulated
          config:
            register-delay: 20s
            workload:
              synthetic:
                jobs: 16
                seed: %d
                groups: [atlas, belle2]
                cores: [1, 2]
                weights: [3, 1]
                ram-mib-per-core: 2000
                duration: { min: 2m, max: 6m }
                arrival-window: %s
        state-store:
          driver: jdbc
          config:
            url: "%s"
            user: "%s"
            password: "${%s}"
            pool-size: 2
            connect-timeout: 10s
        """
        .formatted(
            instanceId(seed), STEP_SECONDS, CLOUD, stateFile, CLOUD, CLOUD, seed, ARRIVAL_WINDOW, dbUrl, dbUser,
            PASSWORD_ENV);
  }

  private static String require(Map<String, String> args, String key) {
    String v = args.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("missing argument " + key + "=...");
    }
    return v;
  }

  static Instant readClock(Path file) {
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return Instant.parse(Files.readString(file, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the clock file " + file, e);
    }
  }

  private static void writeClock(Path file, Instant t) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, t.toString(), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the clock file " + file, e);
    }
  }
}

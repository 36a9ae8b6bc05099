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
package org.csv2.examples.clouds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.core.Csv2Scheduler;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.VmState;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;

/**
 * Drives the real engine ({@link Csv2Scheduler}) with a real cloud driver, a {@link MachinePool}
 * as its job source and an {@link InMemoryStateStore} the test keeps, in virtual time: one {@code
 * runOnce()} per cycle, the clock advanced by the cycle period after each, until the pool has no job
 * left, the engine no VM that holds capacity and the cloud no instance of the engine.
 */
final class EngineRun {
  /**
   * What a run did.
   *
   * @param cycles cycles run
   * @param wall wall time
   * @param failures every failure the cycles reported, for the failure message
   * @param booted VMs the cycles' plans asked to boot
   * @param peak the most VMs holding capacity after a cycle
   */
  record Result(int cycles, Duration wall, List<String> failures, int booted, int peak) {}

  private EngineRun() {}

  static StateStoreProvider memoryStore(InMemoryStateStore store) {
    return new StateStoreProvider() {
      @Override
      public String name() {
        return "memory";
      }

      @Override
      public StateStore create(PluginConfig config, PluginContext context) {
        return store;
      }
    };
  }

  /**
   * Runs the engine until everything is over, or fails after {@code maxCycles}.
   *
   * @param yaml the configuration (job source {@value MachinePool#NAME}, state store {@code memory})
   * @param clock the engine's clock
   * @param cycle the configured cycle period
   * @param pool the job source
   * @param store the state store
   * @param afterCycle called after every cycle (the test looks at the cloud)
   * @param cloudEmpty whether the cloud has no instance of the engine left
   * @param maxCycles the most cycles
   * @return what the run did
   */
  static Result run(
      String yaml,
      VirtualClock clock,
      Duration cycle,
      MachinePool pool,
      InMemoryStateStore store,
      Runnable afterCycle,
      BooleanSupplier cloudEmpty,
      int maxCycles) {
    long t0 = System.nanoTime();
    List<String> failures = new ArrayList<>();
    int booted = 0;
    int peak = 0;
    List<String> lastNotes = List.of();
    try (Scheduler engine =
        Csv2Scheduler.builder()
            .configYaml(yaml)
            .clock(clock)
            .addJobSourceProvider(pool)
            .addStateStoreProvider(memoryStore(store))
            .build()) {
      for (int n = 1; n <= maxCycles; n++) {
        CycleReport r = engine.runOnce();
        lastNotes = r.plan().notes();
        r.failures().forEach(f -> failures.add("cycle " + r.cycle() + ": " + f));
        booted += r.plan().boots().stream().mapToInt(b -> b.count()).sum();
        Map<VmState, Integer> live = new EnumMap<>(VmState.class);
        r.vmsByState().forEach((s, c) -> {
          if (s != VmState.TERMINATED && c > 0) {
            live.put(s, c);
          }
        });
        peak = Math.max(peak, live.values().stream().mapToInt(Integer::intValue).sum());
        afterCycle.run();
        if (booted > 0 && pool.finished() && live.isEmpty() && cloudEmpty.getAsBoolean()) {
          return new Result(n, Duration.ofNanos(System.nanoTime() - t0), failures, booted, peak);
        }
        clock.advance(cycle);
      }
      throw new AssertionError(
          "the engine did not finish within " + maxCycles + " cycles: status " + engine.status()
              + "; pool finished " + pool.finished() + "; VMs " + store.vms() + "; failures " + failures
              + "; last plan's notes " + lastNotes);
    }
  }

  /**
   * The configuration both real-driver runs share: short timers, one group whose user data
   * carries the worker attributes, one cloud with the given driver, the test job source and the
   * memory store.
   *
   * @param driverConfig the driver's {@code config:} lines, each a {@code key: value}
   */
  static String config(
      String engineId, String callTimeout, String image, String flavor, String cloud, String driver,
      java.util.List<String> driverConfig) {
    String lines = String.join("\n", driverConfig.stream().map(line -> "      " + line).toList());
    return """
        engine:
          instance-id: %s
          call-timeout: %s
        timers:
          cycle: 10s
          keep-alive: 30s
          keep-alive-floor: 10s
          come-alive: 300s
          job-alive: 60s
          error-delay: 30s
          retire-interval: 60s
          flavor-refresh: 300s
        groups:
          - name: atlas
            vm-defaults: { image: "%s", flavor: %s }
            variables: { condor_host: condor.example.org }
            user-data:
              - name: worker.yaml
                template: |
                  #cloud-config
                  write_files:
                    - path: /etc/condor/config.d/50-csv2.config
                      content: |
                        CONDOR_HOST = {{condor_host}}
                        Csv2VmName = "{{vm_name}}"
                        Csv2Group = "{{group}}"
                        Csv2Cloud = "{{cloud}}"
                        Csv2InstanceId = "{{instance_id}}"
        clouds:
          - name: %s
            driver: %s
            config:
        %s
        allocations:
          - { group: atlas, cloud: %s }
        job-source:
          driver: %s
        state-store:
          driver: memory
        """
        .formatted(engineId, callTimeout, image, flavor, cloud, driver, lines, cloud, MachinePool.NAME);
  }

}

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
}

package org.csv2.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.csv2.model.Plan;
import org.csv2.model.VmState;

/**
 * What one cycle saw and did.
 *
 * @param cycle the cycle's number, from 1
 * @param at when it started (engine clock)
 * @param plan the plan it made and carried out
 * @param planTime how long planning took (wall time, not engine time)
 * @param idleJobs idle jobs seen
 * @param runningJobs running jobs seen
 * @param vmsByState the engine's VMs by state after the cycle
 * @param failures what failed during the cycle (cloud calls, job source), for people
 */
public record CycleReport(
    long cycle,
    Instant at,
    Plan plan,
    Duration planTime,
    int idleJobs,
    int runningJobs,
    Map<VmState, Integer> vmsByState,
    List<String> failures) {
  /** Validates and copies. */
  public CycleReport {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(planTime, "planTime");
    vmsByState = Map.copyOf(vmsByState);
    failures = List.copyOf(failures);
  }
}

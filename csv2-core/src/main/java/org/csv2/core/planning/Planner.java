package org.csv2.core.planning;

import org.csv2.model.Plan;

/**
 * A planning policy: a pure, deterministic function from a snapshot to the actions of one cycle.
 * It reads no clock, calls no plugin and keeps no state between calls, so that planning the same
 * snapshot twice gives the same plan and a dry run is free of side effects.
 *
 * <p><b>Thread safety:</b> implementations are stateless and may be called from any thread.
 */
public interface Planner {
  /**
   * Plans one cycle.
   *
   * @param snapshot what the engine observed
   * @return the actions, each with its reason
   */
  Plan plan(Snapshot snapshot);
}

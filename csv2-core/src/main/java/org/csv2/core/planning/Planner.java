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
package org.csv2.core.planning;

import org.csv2.model.Plan;

/**
 * A planning policy: a pure, deterministic function from a snapshot to the actions of one cycle.
 * It reads no clock, calls no plugin and keeps no state between calls that changes a plan (it may
 * keep work to reuse, as {@link DefaultPlanner} keeps its index, when the plan is the one it would
 * make without), so that planning the same snapshot twice gives the same plan and a dry run is free
 * of side effects.
 *
 * <p><b>Thread safety:</b> implementations may be called from any thread.
 */
public interface Planner {
  /**
   * Plans one cycle.
   *
   * @param snapshot what the engine observed
   * @return the actions, each with its reason
   */
  Plan plan(Snapshot snapshot);

  /**
   * Plans one cycle and says until when the plan holds: a snapshot that differs from this one only
   * in its time and in the store versions of its VM records ({@code Vm.version()}, which no plan
   * may read), earlier than {@link Timed#until()}, gives the same actions and notes, so the
   * engine may reuse the plan instead of planning again (a cycle in which nothing changed). A
   * planner that does not know (the default) promises nothing, and is asked every cycle.
   *
   * @param snapshot what the engine observed
   * @return the plan, and until when it holds
   */
  default Timed planTimed(Snapshot snapshot) {
    return new Timed(plan(snapshot), null);
  }

  /**
   * A plan and the first instant at which the same inputs may plan otherwise (a timer that did not
   * fire at the plan's time may fire).
   *
   * @param plan the plan
   * @param until that instant; null when the planner promises nothing
   */
  record Timed(Plan plan, java.time.@org.jspecify.annotations.Nullable Instant until) {}
}

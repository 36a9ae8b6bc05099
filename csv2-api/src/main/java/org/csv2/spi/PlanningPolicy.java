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
package org.csv2.spi;

import org.csv2.model.Plan;

/**
 * A planning policy: a pure, deterministic function from a cycle's view to that cycle's actions.
 * It reads no clock but {@link PlanningView#now()}, calls no plugin and keeps no state between
 * calls, so planning one view twice gives one plan and a dry run is free of side effects. The
 * engine executes the plan; actions on groups not in {@link PlanningView#groups()} are dropped.
 *
 * <p>What {@code org.csv2.testkit.PlannerContract} checks: deterministic, never boots beyond a
 * cloud's quota or an allocation's caps, never acts on a manual VM, plans nothing again for what
 * its own applied plan already does, and gives every action a reason.
 *
 * <p><b>Thread safety:</b> stateless; may be called from any thread.
 */
public interface PlanningPolicy {
  /**
   * Plans one cycle.
   *
   * @param view what the engine observed
   * @return the actions, each with its reason for people
   */
  Plan plan(PlanningView view);
}

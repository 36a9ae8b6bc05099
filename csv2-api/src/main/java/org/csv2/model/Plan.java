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
package org.csv2.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The actions of one cycle, in the order the engine carries them out, and the notes explaining
 * what the planner did not do (a throttle that held boots back, a job shape no cloud fits).
 *
 * @param at the time the plan was made for
 * @param actions the actions
 * @param notes explanations, for people
 */
public record Plan(Instant at, List<PlanAction> actions, List<String> notes) {
  /** Validates and copies. */
  public Plan {
    Objects.requireNonNull(at, "at");
    actions = List.copyOf(actions);
    notes = List.copyOf(notes);
  }

  /**
   * An empty plan.
   *
   * @param at its time
   * @return a plan with no actions
   */
  public static Plan empty(Instant at) {
    return new Plan(at, List.of(), List.of());
  }

  /**
   * The boot actions.
   *
   * @return boots, in order
   */
  public List<Boot> boots() {
    return actions.stream().filter(Boot.class::isInstance).map(Boot.class::cast).toList();
  }

  /**
   * The retire actions.
   *
   * @return retirements, in order
   */
  public List<Retire> retirements() {
    return actions.stream().filter(Retire.class::isInstance).map(Retire.class::cast).toList();
  }

  /**
   * The terminate actions.
   *
   * @return terminations, in order
   */
  public List<Terminate> terminations() {
    return actions.stream().filter(Terminate.class::isInstance).map(Terminate.class::cast).toList();
  }

  /**
   * The adopt actions.
   *
   * @return adoptions, in order
   */
  public List<Adopt> adoptions() {
    return actions.stream().filter(Adopt.class::isInstance).map(Adopt.class::cast).toList();
  }

  /**
   * How many VMs the plan boots.
   *
   * @return the sum of the boots' counts
   */
  public int vmsToBoot() {
    return boots().stream().mapToInt(Boot::count).sum();
  }

  /**
   * Whether the plan does nothing.
   *
   * @return true when there is no action
   */
  public boolean isEmpty() {
    return actions.isEmpty();
  }
}

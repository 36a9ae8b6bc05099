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
package org.csv2.api;

import org.csv2.api.ops.Operations;
import org.csv2.model.Plan;

/**
 * The engine as an embedder sees it: reads demand, plans, boots and retires VMs, one cycle at a
 * time. Obtain one from {@code csv2-core}'s {@code Csv2Scheduler.builder()}.
 *
 * <p><b>Thread safety:</b> every method may be called from any thread. Cycles never overlap:
 * {@link #runOnce()} waits for a cycle the background loop is running, and vice versa.
 *
 * <p><b>Lifecycle:</b> a new scheduler has created its plugins but called no cloud. {@link
 * #start()} starts a background loop that runs a cycle every configured period (and early when a
 * plugin signals a change); without it, the embedder drives cycles with {@link #runOnce()}, as
 * tests and simulations do. {@link #close()} stops the loop, waits a bounded time for a running
 * cycle, and closes the plugins in the reverse order of their creation. After {@code close()} every
 * method but {@code close()} and {@link #status()} throws {@link IllegalStateException}.
 */
public interface Scheduler extends AutoCloseable {
  /**
   * Starts the background cycle loop. Calling it twice has no further effect.
   *
   * @throws IllegalStateException if closed
   */
  void start();

  /**
   * Runs one whole cycle now: observe, plan, act, record.
   *
   * @return what the cycle saw and did
   * @throws IllegalStateException if closed
   */
  CycleReport runOnce();

  /**
   * Plans a cycle without acting: a dry run that calls no mutating cloud or job source verb and
   * writes nothing to the state store.
   *
   * @return the plan a cycle would carry out now
   * @throws IllegalStateException if closed
   */
  Plan plan();

  /**
   * The scheduler's current status.
   *
   * @return the status
   */
  SchedulerStatus status();

  /**
   * The operator verbs over this scheduler's state store: intents stored there are carried out by
   * this engine (or whichever holds the group's lease) at its next cycle.
   *
   * @return the operations
   * @throws UnsupportedOperationException if this scheduler offers none (the default)
   */
  default Operations operations() {
    throw new UnsupportedOperationException(getClass().getName() + " offers no operations");
  }

  /**
   * Adds a listener.
   *
   * @param listener the listener
   */
  void addListener(SchedulerListener listener);

  /**
   * Removes a listener added before.
   *
   * @param listener the listener
   */
  void removeListener(SchedulerListener listener);

  /** Stops the loop and closes every plugin. Idempotent. */
  @Override
  void close();
}

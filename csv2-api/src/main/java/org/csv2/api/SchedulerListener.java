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

import org.csv2.model.VmEvent;

/**
 * Receives a scheduler's events. Every method has an empty default.
 *
 * <p><b>Thread safety:</b> called from the engine's cycle thread, one call at a time; a listener
 * must return quickly and must not call {@link Scheduler#runOnce()}. An exception thrown by a
 * listener is logged and does not stop the engine.
 *
 * <p><b>Lifecycle:</b> registered with {@link Scheduler#addListener} at any time, before or after
 * {@link Scheduler#start()}; it is called from the next cycle that ends after it was added, and no
 * longer once {@link Scheduler#removeListener} has returned (a cycle already notifying it may
 * finish doing so). Within a cycle it first receives every {@link #vmChanged} of that cycle, in the
 * order the transitions happened, then one {@link #cycleCompleted}. A dry run ({@link
 * Scheduler#plan()}) notifies nobody. After {@link Scheduler#close()} no method is called again;
 * the scheduler keeps no reference that needs releasing.
 */
public interface SchedulerListener {
  /**
   * A cycle ended.
   *
   * @param report what it saw and did
   */
  default void cycleCompleted(CycleReport report) {}

  /**
   * A VM changed state.
   *
   * @param event the transition
   */
  default void vmChanged(VmEvent event) {}
}

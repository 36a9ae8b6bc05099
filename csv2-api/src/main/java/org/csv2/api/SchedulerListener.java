package org.csv2.api;

import org.csv2.model.VmEvent;

/**
 * Receives a scheduler's events. Every method has an empty default.
 *
 * <p><b>Thread safety:</b> called from the engine's cycle thread, one call at a time; a listener
 * must return quickly and must not call {@link Scheduler#runOnce()}. An exception thrown by a
 * listener is logged and does not stop the engine.
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

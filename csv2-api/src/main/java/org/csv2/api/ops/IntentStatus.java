package org.csv2.api.ops;

/** Where an {@link Intent} stands. */
public enum IntentStatus {
  /** Stored; the engine holding the group's lease carries it out at its next cycle. */
  PENDING,
  /** Carried out. */
  DONE,
  /** Could not be carried out; the message says why. */
  FAILED,
  /** Its VM was gone when the engine came to it: reported, never silently dropped. */
  VANISHED;

  /**
   * Whether the intent is finished.
   *
   * @return true for every status but {@link #PENDING}
   */
  public boolean isFinal() {
    return this != PENDING;
  }
}

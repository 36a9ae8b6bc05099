package org.csv2.model;

/** Where a job is in its batch system. */
public enum JobState {
  /** Waiting for a slot: the demand csv2 serves. */
  IDLE,
  /** Running (or transferring, or suspended) on a worker. */
  RUNNING,
  /** Held by the batch system or its owner; not demand. */
  HELD,
  /** Finished. */
  COMPLETED,
  /** Removed by its owner or an administrator. */
  REMOVED
}

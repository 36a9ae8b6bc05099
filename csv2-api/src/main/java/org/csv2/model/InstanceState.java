package org.csv2.model;

/** The state of an instance as its cloud reports it, mapped from the cloud's own words. */
public enum InstanceState {
  /** Being built (Nova BUILD, EC2 pending). */
  PENDING,
  /** Running (Nova ACTIVE, EC2 running). */
  ACTIVE,
  /** Failed (Nova ERROR); {@link Instance#fault()} says why. */
  ERROR,
  /** Stopped, paused, suspended or shelved: holds quota, runs nothing. */
  STOPPED,
  /** Being deleted (EC2 shutting-down, Nova deleting task). */
  TERMINATING,
  /** Deleted (Nova DELETED, EC2 terminated). */
  TERMINATED,
  /** Any state the driver cannot map. */
  UNKNOWN
}

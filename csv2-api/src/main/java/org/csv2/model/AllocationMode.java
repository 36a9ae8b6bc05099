package org.csv2.model;

/** How a group uses a cloud it shares with others. */
public enum AllocationMode {
  /** The group's own capacity: it may take back what opportunistic groups use. */
  PREFERRED,
  /** The group uses idle capacity and gives it back when a preferred group needs it. */
  OPPORTUNISTIC
}

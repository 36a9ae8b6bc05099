package org.csv2.api;

/** The state of a cloud's circuit breaker. */
public enum BreakerState {
  /** Calls go through. */
  CLOSED,
  /** Calls are refused until the retry time, after repeated failures. */
  OPEN,
  /** One trial call is let through to see whether the cloud is back. */
  HALF_OPEN
}

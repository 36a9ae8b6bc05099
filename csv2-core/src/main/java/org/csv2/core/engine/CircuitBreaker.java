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
package org.csv2.core.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.csv2.api.BreakerState;
import org.jspecify.annotations.Nullable;

/**
 * One cloud's circuit breaker. It opens after {@code failureThreshold} consecutive failures and
 * then refuses calls for {@code openFor}; when that time has passed it lets a trial through
 * (HALF_OPEN). A successful trial closes it; a failed one opens it again for twice as long, up to
 * 2^16 times the base period. Time comes from the caller (the engine clock), so the breaker works
 * in virtual time.
 *
 * <p><b>Thread safety:</b> safe for concurrent use (a private lock).
 */
public final class CircuitBreaker {
  private static final int MAX_DOUBLINGS = 16;

  private final Object lock = new Object();
  private final int failureThreshold;
  private final Duration baseOpenFor;
  private BreakerState state = BreakerState.CLOSED;
  private int consecutiveFailures;
  private int doublings;
  private @Nullable Instant retryAt;
  private String reason = "";

  /**
   * Creates a closed breaker.
   *
   * @param failureThreshold consecutive failures that open it (at least 1)
   * @param openFor how long it first stays open
   */
  public CircuitBreaker(int failureThreshold, Duration openFor) {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failure threshold must be >= 1, was " + failureThreshold);
    }
    this.failureThreshold = failureThreshold;
    this.baseOpenFor = Objects.requireNonNull(openFor, "openFor");
  }

  /**
   * Whether a call may go out now. An open breaker whose time has come turns HALF_OPEN and lets
   * the caller make the trial.
   *
   * @param now the engine's time
   * @return true if the caller may call the cloud
   */
  public boolean allows(Instant now) {
    synchronized (lock) {
      switch (state) {
        case CLOSED:
        case HALF_OPEN:
          return true;
        case OPEN:
          if (retryAt != null && !now.isBefore(retryAt)) {
            state = BreakerState.HALF_OPEN;
            return true;
          }
          return false;
      }
      throw new IllegalStateException("unknown breaker state " + state);
    }
  }

  /**
   * Whether {@link #allows} would let a call go out now, without changing the breaker (a dry run
   * must not turn an open breaker HALF_OPEN).
   *
   * @param now the engine's time
   * @return true if a call may go out
   */
  public boolean wouldAllow(Instant now) {
    synchronized (lock) {
      return state != BreakerState.OPEN || (retryAt != null && !now.isBefore(retryAt));
    }
  }

  /** Records a successful call: the breaker closes. */
  public void succeeded() {
    synchronized (lock) {
      state = BreakerState.CLOSED;
      consecutiveFailures = 0;
      doublings = 0;
      retryAt = null;
      reason = "";
    }
  }

  /**
   * Records a failed call.
   *
   * @param now the engine's time
   * @param why the failure, for status pages
   */
  public void failed(Instant now, String why) {
    synchronized (lock) {
      consecutiveFailures++;
      reason = why;
      switch (state) {
        case HALF_OPEN:
          doublings = Math.min(doublings + 1, MAX_DOUBLINGS);
          open(now);
          break;
        case CLOSED:
          if (consecutiveFailures >= failureThreshold) {
            doublings = 0;
            open(now);
          }
          break;
        case OPEN:
          break;
      }
    }
  }

  /**
   * The breaker's current state, as of the last call to {@link #allows} or a result.
   *
   * @return a snapshot
   */
  public View view() {
    synchronized (lock) {
      return new View(state, consecutiveFailures, retryAt, reason);
    }
  }

  private void open(Instant now) {
    state = BreakerState.OPEN;
    retryAt = now.plus(baseOpenFor.multipliedBy(1L << doublings));
  }

  /**
   * A snapshot of a breaker.
   *
   * @param state its state
   * @param consecutiveFailures failures since the last success
   * @param retryAt when an open breaker lets a trial through, or null
   * @param reason the last failure, or empty
   */
  public record View(
      BreakerState state, int consecutiveFailures, @Nullable Instant retryAt, String reason) {}
}

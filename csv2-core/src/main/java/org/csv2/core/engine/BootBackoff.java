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
import org.jspecify.annotations.Nullable;

/**
 * Holds boots back on a cloud whose boots keep failing, with a bounded exponential back-off.
 *
 * <p>A cloud may answer every list call and refuse every boot (a bad image, a flavor it no longer
 * offers, a project out of quota): its circuit breaker never opens, since its reads succeed.
 * Without this, the engine would ask again every cycle or two, forever. After {@link #THRESHOLD}
 * failed boot calls in a row (refused, no reply, or every instance in ERROR), boots on that cloud
 * are held for {@link #FIRST}, then twice as long after each further failure, at most {@link #MAX};
 * one boot that the cloud accepts ends the back-off. While boots are held, the planner sees the
 * cloud as disabled for boots (its VMs are still read, retired and terminated), the executor skips
 * any boot planned there anyway, and each cycle's failures (the status's problems) name the cloud,
 * the time boots resume and the last failure. The count lives in the engine's memory: a restart
 * tries again at once.
 *
 * <p><b>Thread safety:</b> its methods are synchronized; used by the cycle thread, read by status.
 */
public final class BootBackoff {
  /** Failed boot calls in a row before boots are held. */
  public static final int THRESHOLD = 2;
  /** The first hold. */
  public static final Duration FIRST = Duration.ofMinutes(1);
  /** The longest hold. */
  public static final Duration MAX = Duration.ofMinutes(30);

  private int failures;
  private @Nullable Instant heldUntil;
  private String lastFailure = "";

  /** A cloud with no failed boot. */
  public BootBackoff() {}

  /**
   * Counts a failed boot call and, from the {@link #THRESHOLD}th in a row, holds boots.
   *
   * @param now the engine's time
   * @param why the failure, for the status (kept short)
   */
  public synchronized void failed(Instant now, String why) {
    failures++;
    lastFailure = why.length() > 200 ? why.substring(0, 200) + "..." : why;
    if (failures >= THRESHOLD) {
      heldUntil = now.plus(hold(failures));
    }
  }

  /** A boot the cloud accepted: ends the back-off. */
  public synchronized void succeeded() {
    failures = 0;
    heldUntil = null;
    lastFailure = "";
  }

  /**
   * The hold after {@code n} failures in a row: none below {@link #THRESHOLD}, then {@link #FIRST}
   * doubled per further failure, at most {@link #MAX}.
   *
   * @param n failures in a row
   * @return the hold
   */
  static Duration hold(int n) {
    if (n < THRESHOLD) {
      return Duration.ZERO;
    }
    int doublings = Math.min(n - THRESHOLD, 30);
    Duration d = FIRST.multipliedBy(1L << doublings);
    return d.compareTo(MAX) > 0 ? MAX : d;
  }

  /**
   * Why boots are held now, or null when they are not.
   *
   * @param now the engine's time
   * @return a sentence naming when boots resume, how many failed in a row and the last failure
   */
  public synchronized @Nullable String heldBecause(Instant now) {
    Instant until = heldUntil;
    if (until == null || !now.isBefore(until)) {
      return null;
    }
    return "boots held back until " + until + " (back-off after " + failures + " failed boot calls in a row; last: "
        + lastFailure + ")";
  }

  /**
   * Failed boot calls in a row.
   *
   * @return the count
   */
  public synchronized int consecutiveFailures() {
    return failures;
  }
}

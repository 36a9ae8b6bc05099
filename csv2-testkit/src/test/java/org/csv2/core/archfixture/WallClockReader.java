package org.csv2.core.archfixture;

import java.time.Instant;

/** Breaks the core rule on purpose: the testkit's tests prove the rule catches it. */
public final class WallClockReader {
  private WallClockReader() {}

  /** @return the wall-clock time, which core must never read */
  public static Instant now() {
    return Instant.now();
  }
}

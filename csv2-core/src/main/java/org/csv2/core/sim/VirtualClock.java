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
package org.csv2.core.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told to: simulations and tests advance it explicitly. It never goes
 * backwards. Its zone is UTC; {@link #withZone(ZoneId)} returns a view in another zone that shares
 * this clock's time.
 *
 * <p><b>Thread safety:</b> safe for concurrent use; reads and updates are atomic.
 */
public final class VirtualClock extends Clock {
  /** Where a clock made with {@link #VirtualClock()} starts: 2024-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2024-01-01T00:00:00Z");

  private final AtomicReference<Instant> now;

  /** A clock at {@link #DEFAULT_START}. */
  public VirtualClock() {
    this(DEFAULT_START);
  }

  /**
   * A clock at a given instant.
   *
   * @param start the clock's first time
   */
  public VirtualClock(Instant start) {
    this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
  }

  /**
   * Moves the clock forward.
   *
   * @param step how far; zero is allowed
   * @return the new time
   * @throws IllegalArgumentException if {@code step} is negative
   */
  public Instant advance(Duration step) {
    Objects.requireNonNull(step, "step");
    if (step.isNegative()) {
      throw new IllegalArgumentException("a virtual clock never goes backwards: step " + step);
    }
    return now.updateAndGet(t -> t.plus(step));
  }

  /**
   * Sets the clock to a time at or after its current one.
   *
   * @param time the new time
   * @throws IllegalArgumentException if {@code time} is before the current time
   */
  public void set(Instant time) {
    Objects.requireNonNull(time, "time");
    now.updateAndGet(
        t -> {
          if (time.isBefore(t)) {
            throw new IllegalArgumentException(
                "a virtual clock never goes backwards: it is " + t + ", asked to set " + time);
          }
          return time;
        });
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public long millis() {
    return now.get().toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    if (zone.equals(ZoneOffset.UTC)) {
      return this;
    }
    return new ZonedView(this, zone);
  }

  @Override
  public String toString() {
    return "VirtualClock[" + now.get() + "]";
  }

  /** This clock's time seen in another zone. */
  private static final class ZonedView extends Clock {
    private final VirtualClock base;
    private final ZoneId zone;

    ZonedView(VirtualClock base, ZoneId zone) {
      this.base = base;
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
      return base.withZone(z);
    }

    @Override
    public Instant instant() {
      return base.instant();
    }

    @Override
    public String toString() {
      return "VirtualClock[" + base.instant() + ", " + zone + "]";
    }
  }
}

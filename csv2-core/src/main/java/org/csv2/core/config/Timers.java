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
package org.csv2.core.config;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The engine's timers. Defaults are the production system's.
 *
 * @param cycle time between cycles (10 s)
 * @param keepAlive how long a VM that ran jobs may stay idle before it is retired (300 s), unless
 *     its jobs or group say otherwise
 * @param keepAliveFloor the least keep-alive any job or group may ask for (120 s)
 * @param comeAlive how long a booted VM may take to register with the batch system (7200 s)
 * @param jobAlive how long a registered VM may stay without ever running a job (1800 s)
 * @param errorDelay how long a VM may stay in ERROR before it is terminated (300 s)
 * @param retireInterval how long before a drain that has not finished is asked again (1024 s)
 * @param flavorRefresh how often flavors and images are read again from each cloud (300 s)
 * @param giveBackGrace how long an OPPORTUNISTIC VM drained to give capacity back to a preferred
 *     group that waits for it may keep running jobs before it is terminated; null (the default)
 *     never terminates it: its jobs end first (docs/opportunistic.md)
 * @param reservationWarning how long before a reservation's end its owner is warned (1 h;
 *     docs/reservations.md)
 */
public record Timers(
    Duration cycle,
    Duration keepAlive,
    Duration keepAliveFloor,
    Duration comeAlive,
    Duration jobAlive,
    Duration errorDelay,
    Duration retireInterval,
    Duration flavorRefresh,
    @Nullable Duration giveBackGrace,
    Duration reservationWarning) {
  /** The production system's values. */
  public static final Timers DEFAULTS =
      new Timers(
          Duration.ofSeconds(10),
          Duration.ofSeconds(300),
          Duration.ofSeconds(120),
          Duration.ofSeconds(7200),
          Duration.ofSeconds(1800),
          Duration.ofSeconds(300),
          Duration.ofSeconds(1024),
          Duration.ofSeconds(300),
          null,
          Duration.ofHours(1));

  /** Validates. */
  public Timers {
    Objects.requireNonNull(cycle, "cycle");
    Objects.requireNonNull(keepAlive, "keepAlive");
    Objects.requireNonNull(keepAliveFloor, "keepAliveFloor");
    Objects.requireNonNull(comeAlive, "comeAlive");
    Objects.requireNonNull(jobAlive, "jobAlive");
    Objects.requireNonNull(errorDelay, "errorDelay");
    Objects.requireNonNull(retireInterval, "retireInterval");
    Objects.requireNonNull(flavorRefresh, "flavorRefresh");
    positive("cycle", cycle);
    // a zero deadline or interval is a mistake, never a wish (issue 20): every call would time
    // out at once, or the timer would fire every cycle; keep-alive 0 (retire at once) is allowed
    positive("come-alive", comeAlive);
    positive("job-alive", jobAlive);
    positive("error-delay", errorDelay);
    positive("retire-interval", retireInterval);
    positive("flavor-refresh", flavorRefresh);
    Objects.requireNonNull(reservationWarning, "reservationWarning");
    if (reservationWarning.isNegative()) {
      throw new IllegalArgumentException("reservation-warning must not be negative, was " + reservationWarning);
    }
    if (giveBackGrace != null && giveBackGrace.isNegative()) {
      throw new IllegalArgumentException("give-back-grace must not be negative, was " + giveBackGrace);
    }
  }

  /**
   * Refuses a duration that is zero or negative.
   *
   * @param name the setting's name, for the message
   * @param value the duration
   * @throws IllegalArgumentException naming the setting
   */
  static void positive(String name, Duration value) {
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /**
   * The timers without a give-back grace (opportunistic VMs given back are only drained).
   *
   * @param cycle time between cycles
   * @param keepAlive idle time before retirement
   * @param keepAliveFloor the least keep-alive
   * @param comeAlive time to register
   * @param jobAlive time to a first job
   * @param errorDelay time in ERROR
   * @param retireInterval time between drain requests
   * @param flavorRefresh catalog refresh period
   */
  public Timers(
      Duration cycle,
      Duration keepAlive,
      Duration keepAliveFloor,
      Duration comeAlive,
      Duration jobAlive,
      Duration errorDelay,
      Duration retireInterval,
      Duration flavorRefresh) {
    this(cycle, keepAlive, keepAliveFloor, comeAlive, jobAlive, errorDelay, retireInterval, flavorRefresh, null);
  }

  /**
   * Timers with the default reservation warning (1 hour).
   *
   * @param cycle the cycle period
   * @param keepAlive how long an idle VM is kept
   * @param keepAliveFloor the least keep-alive
   * @param comeAlive how long a VM may take to register
   * @param jobAlive how long a registered VM may go without a job
   * @param errorDelay how long before a failed action is tried again
   * @param retireInterval how often retirements are re-sent
   * @param flavorRefresh how often flavors and images are read
   * @param giveBackGrace how long a preferred group waits for opportunistic VMs, or null
   */
  public Timers(
      Duration cycle,
      Duration keepAlive,
      Duration keepAliveFloor,
      Duration comeAlive,
      Duration jobAlive,
      Duration errorDelay,
      Duration retireInterval,
      Duration flavorRefresh,
      @Nullable Duration giveBackGrace) {
    this(cycle, keepAlive, keepAliveFloor, comeAlive, jobAlive, errorDelay, retireInterval, flavorRefresh,
        giveBackGrace, Duration.ofHours(1));
  }

  /**
   * These timers with another give-back grace.
   *
   * @param grace the grace, or null to drain only
   * @return the copy
   */
  public Timers withGiveBackGrace(@Nullable Duration grace) {
    return new Timers(
        cycle, keepAlive, keepAliveFloor, comeAlive, jobAlive, errorDelay, retireInterval, flavorRefresh, grace,
        reservationWarning);
  }
}

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
import java.util.regex.Pattern;

/**
 * The engine-wide settings.
 *
 * @param instanceId this engine's csv2 instance id: tags its instances and workers
 * @param policy the planning policy: {@code default} or {@code csv2-classic}
 * @param flavorPolicy how flavors are ordered within a priority tier
 * @param timers the timers
 * @param throttles the throttles
 * @param callTimeout the deadline of one cloud or job source call
 * @param breakerFailures consecutive failures after which a cloud's circuit breaker opens
 * @param breakerOpenFor how long an open breaker refuses calls before a trial call (doubles on
 *     each failed trial, up to 16 times)
 * @param leaseTtl how long a group lease holds (several engines on one store)
 * @param credentialWarn how long before a cloud's credentials expire the engine warns
 * @param credentialStop how long before a cloud's credentials expire the engine boots nothing more
 *     there (running VMs stay)
 */
public record EngineSettings(
    String instanceId,
    String policy,
    FlavorPolicy flavorPolicy,
    Timers timers,
    Throttles throttles,
    Duration callTimeout,
    int breakerFailures,
    Duration breakerOpenFor,
    Duration leaseTtl,
    Duration credentialWarn,
    Duration credentialStop) {
  /** Default of {@code engine.credential-warn}: warn 28 days before a cloud's credentials expire. */
  public static final Duration CREDENTIAL_WARN = Duration.ofDays(28);

  /** Default of {@code engine.credential-stop}: boot nothing more on a cloud 7 days before. */
  public static final Duration CREDENTIAL_STOP = Duration.ofDays(7);

  private static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?");

  /** The default settings for an engine with the given instance id. */
  public static EngineSettings defaults(String instanceId) {
    return new EngineSettings(
        instanceId,
        "default",
        FlavorPolicy.LEAST_COST_PER_JOB,
        Timers.DEFAULTS,
        Throttles.DEFAULTS,
        Duration.ofSeconds(60),
        3,
        Duration.ofSeconds(60),
        Duration.ofSeconds(60));
  }

  /**
   * Settings with the default credential thresholds (28 and 7 days).
   *
   * @param instanceId the engine's csv2 instance id
   * @param policy the planning policy's name
   * @param flavorPolicy how flavors are ordered
   * @param timers the timers
   * @param throttles the throttles
   * @param callTimeout the deadline of one plugin call
   * @param breakerFailures failures that open a cloud's breaker
   * @param breakerOpenFor how long an open breaker refuses calls
   * @param leaseTtl how long a group lease holds
   */
  public EngineSettings(
      String instanceId,
      String policy,
      FlavorPolicy flavorPolicy,
      Timers timers,
      Throttles throttles,
      Duration callTimeout,
      int breakerFailures,
      Duration breakerOpenFor,
      Duration leaseTtl) {
    this(instanceId, policy, flavorPolicy, timers, throttles, callTimeout, breakerFailures, breakerOpenFor, leaseTtl,
        CREDENTIAL_WARN, CREDENTIAL_STOP);
  }

  /** Validates. */
  public EngineSettings {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(flavorPolicy, "flavorPolicy");
    Objects.requireNonNull(timers, "timers");
    Objects.requireNonNull(throttles, "throttles");
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(breakerOpenFor, "breakerOpenFor");
    Objects.requireNonNull(leaseTtl, "leaseTtl");
    Objects.requireNonNull(credentialWarn, "credentialWarn");
    Objects.requireNonNull(credentialStop, "credentialStop");
    if (credentialWarn.isNegative() || credentialStop.isNegative()) {
      throw new IllegalArgumentException("credential-warn and credential-stop must not be negative");
    }
    if (!ID.matcher(instanceId).matches() || instanceId.contains("--")) {
      throw new IllegalArgumentException(
          "instance id '" + instanceId + "' is invalid: 1-32 lower-case letters, digits and single dashes");
    }
    if (breakerFailures < 1) {
      throw new IllegalArgumentException("breaker failures must be >= 1");
    }
    Timers.positive("call-timeout", callTimeout);
    Timers.positive("breaker-open-for", breakerOpenFor);
    Timers.positive("lease-ttl", leaseTtl);
  }

  /**
   * These settings with other throttles.
   *
   * @param t the throttles
   * @return the copy
   */
  public EngineSettings withThrottles(Throttles t) {
    return new EngineSettings(
        instanceId, policy, flavorPolicy, timers, t, callTimeout, breakerFailures, breakerOpenFor, leaseTtl,
        credentialWarn, credentialStop);
  }

  /**
   * These settings with another flavor policy.
   *
   * @param f the flavor policy
   * @return the copy
   */
  public EngineSettings withFlavorPolicy(FlavorPolicy f) {
    return new EngineSettings(
        instanceId, policy, f, timers, throttles, callTimeout, breakerFailures, breakerOpenFor, leaseTtl,
        credentialWarn, credentialStop);
  }

  /**
   * These settings with another policy.
   *
   * @param p the policy name
   * @return the copy
   */
  public EngineSettings withPolicy(String p) {
    return new EngineSettings(
        instanceId, p, flavorPolicy, timers, throttles, callTimeout, breakerFailures, breakerOpenFor, leaseTtl,
        credentialWarn, credentialStop);
  }

  /**
   * These settings with other timers.
   *
   * @param t the timers
   * @return the copy
   */
  public EngineSettings withTimers(Timers t) {
    return new EngineSettings(
        instanceId, policy, flavorPolicy, t, throttles, callTimeout, breakerFailures, breakerOpenFor, leaseTtl,
        credentialWarn, credentialStop);
  }
}

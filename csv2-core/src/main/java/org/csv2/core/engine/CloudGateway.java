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
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.function.LongSupplier;
import org.csv2.api.BreakerState;
import org.csv2.api.CloudException;
import org.csv2.api.CloudStatus;
import org.csv2.model.Cloud;
import org.csv2.model.CloudCapacity;
import org.csv2.model.Flavor;
import org.csv2.model.Image;
import org.csv2.spi.CloudDriver;
import org.jspecify.annotations.Nullable;

/**
 * The engine's door to one cloud: its driver behind a {@link CallGuard} (one call at a time, each
 * with a deadline) and a {@link CircuitBreaker}, plus what was last read from it (flavors and
 * images are read again only every {@code flavorRefresh}).
 *
 * <p><b>Thread safety:</b> used by the cycle thread; {@link #status} may be called from any
 * thread.
 */
public final class CloudGateway implements AutoCloseable {
  private volatile long latencyNanos = -1;
  private volatile @org.jspecify.annotations.Nullable Integer credentialDays;
  private volatile @org.jspecify.annotations.Nullable Instant credentialExpiry;
  private final Cloud cloud;
  private final CloudDriver driver;
  private final CallGuard guard;
  private final CircuitBreaker breaker;
  private final BootBackoff bootBackoff = new BootBackoff();
  private final Duration flavorRefresh;
  private volatile List<Flavor> flavors = List.of();
  private volatile List<Image> images = List.of();
  private volatile @Nullable Instant catalogReadAt;
  private volatile CloudCapacity capacity = CloudCapacity.UNLIMITED;
  private volatile org.csv2.model.OpportunisticPolicy policy = org.csv2.model.OpportunisticPolicy.NONE;

  /**
   * Creates the gateway.
   *
   * @param cloud the cloud
   * @param driver its driver
   * @param executor where calls run
   * @param callTimeout each call's deadline
   * @param breaker its breaker
   * @param flavorRefresh how often flavors and images are read again
   * @param nanoTime the monotonic time of deadlines
   */
  public CloudGateway(
      Cloud cloud,
      CloudDriver driver,
      ExecutorService executor,
      Duration callTimeout,
      CircuitBreaker breaker,
      Duration flavorRefresh,
      LongSupplier nanoTime) {
    this.cloud = Objects.requireNonNull(cloud, "cloud");
    this.driver = Objects.requireNonNull(driver, "driver");
    this.breaker = Objects.requireNonNull(breaker, "breaker");
    this.flavorRefresh = Objects.requireNonNull(flavorRefresh, "flavorRefresh");
    this.guard =
        new CallGuard(
            "cloud " + cloud.name(),
            executor,
            callTimeout,
            nanoTime,
            m -> new CloudException(CloudException.Reason.UNAVAILABLE, m));
  }

  /**
   * Whether a failure of this reason says the cloud cannot be talked to (it feeds the breaker),
   * as opposed to a refusal of one request by a cloud that answered.
   *
   * @param reason the failure's reason
   * @return true for UNAVAILABLE (timeouts included) and AUTHENTICATION
   */
  public static boolean isCloudFailure(CloudException.Reason reason) {
    return switch (reason) {
      case UNAVAILABLE, AUTHENTICATION -> true;
      case NOT_FOUND, QUOTA_EXCEEDED, CAPACITY_UNAVAILABLE, INVALID_REQUEST -> false;
    };
  }

  /**
   * The cloud.
   *
   * @return the configured cloud
   */
  public Cloud cloud() {
    return cloud;
  }

  /**
   * The driver (for wiring and tests; the engine calls it only through {@link #guard()}).
   *
   * @return the driver
   */
  public CloudDriver driver() {
    return driver;
  }

  /**
   * The guard through which every call to the driver goes.
   *
   * @return the guard
   */
  public CallGuard guard() {
    return guard;
  }

  /**
   * The breaker.
   *
   * @return the breaker
   */
  public CircuitBreaker breaker() {
    return breaker;
  }

  /**
   * The back-off of failing boots on this cloud.
   *
   * @return the back-off
   */
  public BootBackoff bootBackoff() {
    return bootBackoff;
  }

  /**
   * Whether flavors and images must be read again.
   *
   * @param now the engine's time
   * @return true when never read or older than the refresh period
   */
  public boolean catalogStale(Instant now) {
    Instant at = catalogReadAt;
    return at == null || !now.isBefore(at.plus(flavorRefresh));
  }

  /**
   * Caches freshly read flavors and images.
   *
   * @param f the flavors
   * @param i the images
   * @param now the engine's time
   */
  public void catalogRead(List<Flavor> f, List<Image> i, Instant now) {
    flavors = List.copyOf(f);
    images = List.copyOf(i);
    catalogReadAt = now;
  }

  /**
   * Takes note of how long a successful read took.
   *
   * @param nanos the call's round trip
   */
  public void latencyMeasured(long nanos) {
    latencyNanos = nanos;
  }

  /**
   * The round trip of the last successful read, or null before the first.
   *
   * @return the latency
   */
  public java.time.@org.jspecify.annotations.Nullable Duration lastLatency() {
    long n = latencyNanos;
    return n < 0 ? null : java.time.Duration.ofNanos(n);
  }

  /**
   * Takes note of when the cloud's credentials expire, as far as the driver knows.
   *
   * @param daysLeft whole days left (0 or less: expired), or null if unknown
   */
  public void credentialDaysLeft(@org.jspecify.annotations.Nullable Integer daysLeft) {
    credentialDays = daysLeft;
  }

  /**
   * Takes note of when the cloud's credentials expire, as the driver said.
   *
   * @param at the expiry, or null when unknown or never
   * @param now the cycle's time (days left are counted from it, rounded down)
   */
  public void credentialsExpireAt(@org.jspecify.annotations.Nullable Instant at, Instant now) {
    credentialExpiry = at;
    credentialDays = at == null ? null : CredentialExpiry.daysLeft(at, now);
  }

  /**
   * When the cloud's credentials expire, or null if unknown.
   *
   * @return the expiry
   */
  public @org.jspecify.annotations.Nullable Instant credentialsExpireAt() {
    return credentialExpiry;
  }

  /**
   * Days until the cloud's credentials expire, or null if unknown.
   *
   * @return the days left
   */
  public @org.jspecify.annotations.Nullable Integer credentialDaysLeft() {
    return credentialDays;
  }

  /**
   * Caches freshly read capacity.
   *
   * @param c the capacity
   */
  public void capacityRead(CloudCapacity c) {
    capacity = c;
  }

  /**
   * The last flavors read.
   *
   * @return the flavors
   */
  public List<Flavor> flavors() {
    return flavors;
  }

  /**
   * The last images read.
   *
   * @return the images
   */
  public List<Image> images() {
    return images;
  }

  /**
   * The last capacity read.
   *
   * @return the capacity ({@link CloudCapacity#UNLIMITED} before the first read)
   */
  public CloudCapacity capacity() {
    return capacity;
  }

  /**
   * Stores the administrators' opportunistic policy just read.
   *
   * @param p the policy
   */
  public void policyRead(org.csv2.model.OpportunisticPolicy p) {
    policy = p;
  }

  /**
   * The last administrators' policy read ({@code NONE} before the first read): what applies when a
   * read fails.
   *
   * @return the policy
   */
  public org.csv2.model.OpportunisticPolicy policy() {
    return policy;
  }

  /**
   * Records the outcome of a failed call in the breaker, if the failure is the cloud's.
   *
   * @param e the failure
   * @param now the engine's time
   */
  public void recordFailure(RuntimeException e, Instant now) {
    if (e instanceof CloudException ce && !isCloudFailure(ce.reason())) {
      breaker.succeeded();
      return;
    }
    breaker.failed(now, String.valueOf(e.getMessage()));
  }

  /**
   * The cloud's status.
   *
   * @param vms how many of the engine's VMs hold capacity there
   * @return the status
   */
  public CloudStatus status(int vms) {
    CircuitBreaker.View v = breaker.view();
    return new CloudStatus(
        cloud.name(),
        cloud.enabled(),
        v.state(),
        v.state() == BreakerState.CLOSED ? "" : v.reason(),
        v.consecutiveFailures(),
        v.retryAt(),
        capacity,
        vms);
  }

  /** Closes the driver. */
  @Override
  public void close() {
    driver.close();
  }
}

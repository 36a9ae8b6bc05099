package org.csv2.api;

import java.time.Instant;
import java.util.Objects;
import org.csv2.model.CloudCapacity;
import org.csv2.model.CloudName;
import org.jspecify.annotations.Nullable;

/**
 * How the engine sees one cloud.
 *
 * @param cloud the cloud
 * @param enabled whether the configuration enables it
 * @param breaker its circuit breaker
 * @param reason the last failure's message when the breaker is not closed, else empty
 * @param consecutiveFailures failures since the last success
 * @param retryAt when an open breaker lets a trial call through, or null
 * @param capacity the capacity it last reported
 * @param vms how many of the engine's VMs hold capacity there
 */
public record CloudStatus(
    CloudName cloud,
    boolean enabled,
    BreakerState breaker,
    String reason,
    int consecutiveFailures,
    @Nullable Instant retryAt,
    CloudCapacity capacity,
    int vms) {
  /** Validates. */
  public CloudStatus {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(breaker, "breaker");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(capacity, "capacity");
  }
}

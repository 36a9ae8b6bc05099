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

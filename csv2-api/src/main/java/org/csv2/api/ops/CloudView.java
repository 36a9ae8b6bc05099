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
package org.csv2.api.ops;

import java.util.List;
import java.util.Objects;
import org.csv2.model.Allocation;

/**
 * One cloud as an operator reads it (production's {@code cloud list} and {@code cloud status}).
 *
 * @param spec its configuration, secrets redacted
 * @param allocations the groups allocated on it, with their controls and exclusions
 * @param status its figures per group from the last status snapshots
 * @param liveVms its VMs in the store that are not TERMINATED
 * @param version the stored configuration version read
 */
public record CloudView(
    CloudSpec spec, List<Allocation> allocations, List<GroupStatus.CloudFigures> status, int liveVms, long version) {
  /** Validates and copies. */
  public CloudView {
    Objects.requireNonNull(spec, "spec");
    allocations = List.copyOf(allocations);
    status = List.copyOf(status);
  }
}

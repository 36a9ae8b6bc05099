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
package org.csv2.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An engine's claim on a group: while the lease holds, no other engine plans that group.
 *
 * @param group the group
 * @param owner the engine's id
 * @param expires when the lease ends unless renewed
 */
public record Lease(GroupName group, String owner, Instant expires) {
  /** Validates. */
  public Lease {
    Objects.requireNonNull(group, "group");
    Names.nonBlank(owner, "lease owner");
    Objects.requireNonNull(expires, "expires");
  }
}

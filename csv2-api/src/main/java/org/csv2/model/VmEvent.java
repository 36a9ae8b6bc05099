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
import org.jspecify.annotations.Nullable;

/**
 * One transition of a VM, kept as history.
 *
 * @param vm the VM
 * @param group its group
 * @param cloud its cloud
 * @param from the state it left, or null when it was created
 * @param to the state it entered
 * @param at when
 * @param reason why, for people
 */
public record VmEvent(
    VmId vm,
    GroupName group,
    CloudName cloud,
    @Nullable VmState from,
    VmState to,
    Instant at,
    String reason) {
  /** Validates. */
  public VmEvent {
    Objects.requireNonNull(vm, "vm");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(reason, "reason");
  }
}

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

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.csv2.model.Vm;

/**
 * One VM as an operator reads it (production's {@code vm list}).
 *
 * @param vm the stored record: state and since when ({@code stateSince}), flavor, manual flag,
 *     version
 * @param age time since it was requested
 * @param inState time in its current state
 * @param slotsBusy busy slots from the last status snapshot, -1 if unknown
 * @param slotsIdle idle slots from the last status snapshot, -1 if unknown
 * @param jobs jobs running on it from the last status snapshot, -1 if unknown
 * @param lastError the reason of its last ERROR, or empty
 * @param pending its intents not yet carried out, oldest first
 */
public record VmView(
    Vm vm, Duration age, Duration inState, int slotsBusy, int slotsIdle, int jobs, String lastError, List<Intent> pending) {
  /** Validates and copies. */
  public VmView {
    Objects.requireNonNull(vm, "vm");
    Objects.requireNonNull(age, "age");
    Objects.requireNonNull(inState, "inState");
    Objects.requireNonNull(lastError, "lastError");
    pending = List.copyOf(pending);
  }
}

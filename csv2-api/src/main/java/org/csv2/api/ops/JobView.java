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

import java.time.Instant;
import java.util.Objects;
import org.csv2.model.GroupName;

/**
 * One job as an operator reads it (production's {@code job list}), with why it has no VM.
 *
 * @param group its group
 * @param job the job as the engine last saw it
 * @param whyNot for an idle job, the planner's note for its shape (no flavor fits, quota,
 *     throttle, paused cloud, ...); empty when VMs are coming or for other states
 * @param seenAt when the engine saw it (the snapshot's time)
 */
public record JobView(GroupName group, GroupStatus.JobRow job, String whyNot, Instant seenAt) {
  /** Validates. */
  public JobView {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(whyNot, "whyNot");
    Objects.requireNonNull(seenAt, "seenAt");
  }
}

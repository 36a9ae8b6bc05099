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

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Boot {@code count} identical VMs for a group on a cloud.
 *
 * @param group the group
 * @param cloud the cloud
 * @param flavor the flavor
 * @param image the image name or id
 * @param alias the alias the VMs are for, or null
 * @param count how many VMs (positive)
 * @param jobs how many idle jobs these VMs are planned to take
 * @param keepAlive the keep-alive the jobs asked for, or null
 * @param userData names of extra operator-defined documents the jobs asked for
 * @param maxPrice the most to pay per VM-hour (0: no limit)
 * @param reason why
 */
public record Boot(
    GroupName group,
    CloudName cloud,
    FlavorName flavor,
    String image,
    @Nullable AliasName alias,
    int count,
    int jobs,
    @Nullable Duration keepAlive,
    List<String> userData,
    double maxPrice,
    String reason)
    implements PlanAction {
  /** Validates and copies. */
  public Boot {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(flavor, "flavor");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(reason, "reason");
    userData = List.copyOf(userData);
    if (count <= 0 || jobs < 0) {
      throw new IllegalArgumentException("boot of " + count + " VMs for " + jobs + " jobs");
    }
  }
}

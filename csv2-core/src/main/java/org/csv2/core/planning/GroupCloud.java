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
package org.csv2.core.planning;

import java.util.Objects;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;

/**
 * A (group, cloud) pair: the key of the capacity ledger and of supply buckets.
 *
 * @param group the group
 * @param cloud the cloud
 */
record GroupCloud(GroupName group, CloudName cloud) implements Comparable<GroupCloud> {
  GroupCloud {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(cloud, "cloud");
  }

  @Override
  public int compareTo(GroupCloud o) {
    int c = group.compareTo(o.group);
    return c != 0 ? c : cloud.compareTo(o.cloud);
  }
}

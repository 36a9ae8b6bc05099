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

package org.csv2.model;

import java.util.Objects;

/**
 * Record an instance that carries this csv2 instance's tag but that the store does not know (a
 * crash between a boot call and its reply).
 *
 * @param cloud the cloud it runs on
 * @param group the group its tags name
 * @param instance the instance
 * @param reason why
 */
public record Adopt(CloudName cloud, GroupName group, Instance instance, String reason)
    implements PlanAction {
  /** Validates. */
  public Adopt {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(reason, "reason");
  }
}

package org.csv2.model;

import java.util.Objects;
import java.util.Set;

/**
 * A named set of a group's clouds; a job that targets the alias runs only on VMs of those clouds.
 *
 * @param group the group
 * @param name the alias
 * @param clouds its clouds (exact names, never substrings)
 */
public record Alias(GroupName group, AliasName name, Set<CloudName> clouds) {
  /** Validates and copies. */
  public Alias {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(name, "name");
    clouds = Set.copyOf(clouds);
  }
}

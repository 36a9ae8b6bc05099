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

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

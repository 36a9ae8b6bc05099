package org.csv2.model;

import java.util.Objects;

/**
 * Drain a VM peacefully: its running jobs finish, no new job starts, then it is terminated.
 *
 * @param vm the VM
 * @param reason why
 */
public record Retire(VmId vm, String reason) implements PlanAction {
  /** Validates. */
  public Retire {
    Objects.requireNonNull(vm, "vm");
    Objects.requireNonNull(reason, "reason");
  }
}

package org.csv2.model;

import java.util.Objects;

/**
 * Delete a VM's instance on its cloud (a VM that runs no job, or never registered, or failed).
 *
 * @param vm the VM
 * @param reason why
 */
public record Terminate(VmId vm, String reason) implements PlanAction {
  /** Validates. */
  public Terminate {
    Objects.requireNonNull(vm, "vm");
    Objects.requireNonNull(reason, "reason");
  }
}

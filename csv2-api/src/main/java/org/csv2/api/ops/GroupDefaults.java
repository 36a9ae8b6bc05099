package org.csv2.api.ops;

import java.util.Objects;
import org.csv2.model.Resources;
import org.csv2.model.VmDefaults;

/**
 * A group's defaults (production's {@code group defaults}): what a job asks for when it says
 * nothing, and what its VMs boot with.
 *
 * @param jobDefaults resources of a job that asks for none
 * @param vmDefaults image, flavor, keep-alive, key, network, security groups
 */
public record GroupDefaults(Resources jobDefaults, VmDefaults vmDefaults) {
  /** Validates. */
  public GroupDefaults {
    Objects.requireNonNull(jobDefaults, "jobDefaults");
    Objects.requireNonNull(vmDefaults, "vmDefaults");
  }
}

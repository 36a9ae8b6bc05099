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
package org.csv2.api.ops;

import java.util.Locale;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.jspecify.annotations.Nullable;

/**
 * Which VMs {@link Operations#vms} lists; a null field matches every VM.
 *
 * @param group only this group's
 * @param cloud only on this cloud
 * @param state only in this state
 * @param flavor only of this flavor
 * @param hostName only VMs whose name contains this text (case-insensitive)
 */
public record VmFilter(
    @Nullable GroupName group,
    @Nullable CloudName cloud,
    @Nullable VmState state,
    @Nullable FlavorName flavor,
    @Nullable String hostName) {
  /** Every VM. */
  public static final VmFilter ALL = new VmFilter(null, null, null, null, null);

  /**
   * Only one group's VMs.
   *
   * @param group the group
   * @return the filter
   */
  public static VmFilter group(GroupName group) {
    return new VmFilter(group, null, null, null, null);
  }

  /**
   * Whether a VM passes.
   *
   * @param vm the VM
   * @return true if every non-null field matches
   */
  public boolean matches(Vm vm) {
    return (group == null || group.equals(vm.group()))
        && (cloud == null || cloud.equals(vm.cloud()))
        && (state == null || state == vm.state())
        && (flavor == null || flavor.equals(vm.flavor()))
        && (hostName == null
            || vm.id().value().contains(hostName.toLowerCase(Locale.ROOT)));
  }
}

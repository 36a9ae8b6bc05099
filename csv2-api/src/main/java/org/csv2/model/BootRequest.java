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
package org.csv2.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a cloud driver is asked to boot: {@code names.size()} identical VMs.
 *
 * @param group the group the VMs are for
 * @param flavor the flavor
 * @param image the image name or id
 * @param names one VM name per VM, as the engine chose them
 * @param userData the composed cloud-init user data
 * @param tags tags or metadata to set on every instance (csv2's ownership keys included); a driver
 *     adds the VM's own name under {@code Csv2Tags.VM_NAME}
 * @param vm resolved VM settings: key name, network, security groups (image and flavor here are
 *     ignored)
 * @param maxPrice the most to pay per VM-hour (spot); 0 for on-demand or no limit
 */
public record BootRequest(
    GroupName group,
    FlavorName flavor,
    String image,
    List<VmId> names,
    UserData userData,
    Map<String, String> tags,
    VmDefaults vm,
    double maxPrice) {
  /** Validates and copies. */
  public BootRequest {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(flavor, "flavor");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(userData, "userData");
    Objects.requireNonNull(vm, "vm");
    names = List.copyOf(names);
    tags = Map.copyOf(tags);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("boot request for " + group + " names no VM");
    }
    if (!(maxPrice >= 0)) {
      throw new IllegalArgumentException("max price must be >= 0");
    }
  }

  /**
   * How many VMs are asked for.
   *
   * @return {@code names.size()}
   */
  public int count() {
    return names.size();
  }
}

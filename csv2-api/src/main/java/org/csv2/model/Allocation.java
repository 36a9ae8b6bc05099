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
import java.util.Objects;
import java.util.Set;

/**
 * A group's right to use a cloud.
 *
 * <p>The limits follow the production system: {@code coresCtl} and {@code ramCtl} are hard caps
 * set by the operator, {@code coresSoftmax} a soft ceiling that shrinks as others use the cloud;
 * {@link Limits#UNLIMITED} (-1) means "as much as the quota allows".
 *
 * @param group the group
 * @param cloud the cloud
 * @param priority lower is preferred; clouds of one priority form a tier filled before the next
 * @param coresCtl hard cap on the group's cores on this cloud, or -1
 * @param coresSoftmax soft ceiling on all cores used on this cloud, or -1
 * @param ramCtlMiB hard cap on the group's memory on this cloud in MiB, or -1
 * @param mode preferred or opportunistic use
 * @param excludedFlavors flavors never booted for this group here
 * @param overrides VM defaults that replace the group's on this cloud
 * @param userData extra user-data documents for VMs on this cloud
 * @param enabled false to stop booting for this group here
 */
public record Allocation(
    GroupName group,
    CloudName cloud,
    int priority,
    int coresCtl,
    int coresSoftmax,
    long ramCtlMiB,
    AllocationMode mode,
    Set<FlavorName> excludedFlavors,
    VmDefaults overrides,
    List<UserDataDocument> userData,
    boolean enabled) {
  /** Validates and copies. */
  public Allocation {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(overrides, "overrides");
    excludedFlavors = Set.copyOf(excludedFlavors);
    userData = List.copyOf(userData);
    coresCtl = coresCtl < 0 ? Limits.UNLIMITED : coresCtl;
    coresSoftmax = coresSoftmax < 0 ? Limits.UNLIMITED : coresSoftmax;
    ramCtlMiB = ramCtlMiB < 0 ? Limits.UNLIMITED : ramCtlMiB;
  }

  /**
   * A preferred, enabled allocation with no caps, exclusions, overrides or documents.
   *
   * @param group the group
   * @param cloud the cloud
   * @param priority its priority
   * @return the allocation
   */
  public static Allocation of(String group, String cloud, int priority) {
    return new Allocation(
        GroupName.of(group),
        CloudName.of(cloud),
        priority,
        Limits.UNLIMITED,
        Limits.UNLIMITED,
        Limits.UNLIMITED,
        AllocationMode.PREFERRED,
        Set.of(),
        VmDefaults.NONE,
        List.of(),
        true);
  }
}

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

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a cloud's administrators allow opportunistic groups to use on it, read from metadata they
 * control (see {@link org.csv2.spi.OpportunisticMetadata} for the convention and
 * docs/opportunistic.md). It applies to the groups whose allocation on the cloud is {@link
 * AllocationMode#OPPORTUNISTIC}, together, on top of csv2's own configuration: it can only take
 * away, never grant more than the allocations, quota and caps allow.
 *
 * <p>{@link #NONE} (no metadata) governs nothing: csv2's configuration alone applies.
 *
 * @param governed false when the administrators set nothing (every other component is then
 *     ignored)
 * @param cores the cores all opportunistic groups together may hold on the cloud, or {@link
 *     Limits#UNLIMITED}
 * @param instances the VMs all opportunistic groups together may hold, or {@link Limits#UNLIMITED}
 * @param groups the opportunistic groups allowed, or null for any
 * @param reclaim true when the administrators want the capacity back: no opportunistic VM may be
 *     booted, and those there are drained
 * @param deadline with {@code reclaim}, when the last opportunistic VM must be gone (those still
 *     there shortly before are terminated); null to drain peacefully without a deadline
 * @param source where it was read, for messages ("project properties of atlas-prod")
 * @param notes problems found in the metadata (malformed, contradictory values) and the safe value
 *     used instead; empty when all was well
 */
public record OpportunisticPolicy(
    boolean governed,
    int cores,
    int instances,
    @Nullable Set<GroupName> groups,
    boolean reclaim,
    @Nullable Instant deadline,
    String source,
    List<String> notes) {
  /** Nothing set by the administrators: csv2's own configuration alone applies. */
  public static final OpportunisticPolicy NONE =
      new OpportunisticPolicy(false, Limits.UNLIMITED, Limits.UNLIMITED, null, false, null, "none", List.of());

  /** Validates and copies; negative limits become {@link Limits#UNLIMITED}. */
  public OpportunisticPolicy {
    Objects.requireNonNull(source, "source");
    cores = cores < 0 ? Limits.UNLIMITED : cores;
    instances = instances < 0 ? Limits.UNLIMITED : instances;
    groups = groups == null ? null : Set.copyOf(groups);
    notes = List.copyOf(notes);
    if (!reclaim) {
      deadline = null;
    }
  }

  /**
   * No limit, no reclaim, but the given notes: what a driver returns when the metadata could not be
   * read (the notes say why).
   *
   * @param source where it was to be read
   * @param notes why nothing applies
   * @return an ungoverned policy carrying the notes
   */
  public static OpportunisticPolicy unread(String source, List<String> notes) {
    return new OpportunisticPolicy(false, Limits.UNLIMITED, Limits.UNLIMITED, null, false, null, source, notes);
  }

  /**
   * Whether an opportunistic group may use the cloud at all (boot, or keep its VMs).
   *
   * @param group the group
   * @return false when governed and the group is not allowed, or when reclaiming
   */
  public boolean allows(GroupName group) {
    if (!governed) {
      return true;
    }
    return !reclaim && (groups == null || groups.contains(group));
  }

  /**
   * One line for status and notes, such as {@code "400 cores, 50 VMs, groups [belle, lhcb]"} or
   * {@code "reclaim by 2026-12-04T18:00:00Z"}.
   *
   * @return the description
   */
  public String describe() {
    if (!governed) {
      return "not governed (csv2's configuration applies)";
    }
    if (reclaim) {
      return "reclaim " + (deadline == null ? "(no deadline: drain peacefully)" : "by " + deadline);
    }
    StringBuilder b = new StringBuilder();
    b.append(cores == Limits.UNLIMITED ? "any cores" : cores + " cores");
    b.append(", ").append(instances == Limits.UNLIMITED ? "any VMs" : instances + " VMs");
    b.append(", ");
    if (groups == null) {
      b.append("any group");
    } else {
      b.append("groups ").append(groups.stream().map(GroupName::value).sorted().toList());
    }
    return b.toString();
  }
}

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

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.VmId;
import org.jspecify.annotations.Nullable;

/**
 * An operator's action stored for the engine: carried out by whichever engine holds the group's
 * lease, at its next cycle, in any process.
 *
 * <p>A new intent has id 0 and version 0; the store gives it an id and version 1. Completing it
 * (status other than PENDING) increments the version; a completion with a stale version is refused.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param id the store's id, 0 before it is stored
 * @param kind what to do
 * @param group the group whose lease holder carries it out
 * @param cloud the cloud, for {@link IntentKind#RETAIN} (and the VM's cloud for VM intents)
 * @param vm the VM, for every kind but {@link IntentKind#RETAIN}
 * @param parameters the kind's parameters ({@code force}, {@code count}), at most 16, keys and values
 *     at most 256 characters
 * @param actor who asked
 * @param created when it was stored
 * @param status where it stands
 * @param message why it failed or vanished, or what was done; empty while pending
 * @param completedAt when it reached its final status, or null while pending
 * @param version 0 before it is stored, then 1, increasing with every change
 */
public record Intent(
    long id,
    IntentKind kind,
    GroupName group,
    @Nullable CloudName cloud,
    @Nullable VmId vm,
    Map<String, String> parameters,
    Actor actor,
    Instant created,
    IntentStatus status,
    String message,
    @Nullable Instant completedAt,
    long version) {
  /** The most parameters an intent has. */
  public static final int MAX_PARAMETERS = 16;

  /** The longest parameter key or value, and the longest message kept. */
  public static final int MAX_TEXT = 256;

  /** Validates and copies. */
  public Intent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    parameters = Map.copyOf(parameters);
    if (id < 0 || version < 0) {
      throw new IllegalArgumentException("intent " + id + ": negative id or version");
    }
    if (kind == IntentKind.RETAIN ? cloud == null : vm == null) {
      throw new IllegalArgumentException(
          "intent " + kind + " needs " + (kind == IntentKind.RETAIN ? "a cloud" : "a VM"));
    }
    if (parameters.size() > MAX_PARAMETERS) {
      throw new IllegalArgumentException("intent " + kind + ": more than " + MAX_PARAMETERS + " parameters");
    }
    parameters.forEach(
        (k, v) -> {
          if (k.isEmpty() || k.length() > MAX_TEXT || v.length() > MAX_TEXT) {
            throw new IllegalArgumentException(
                "intent " + kind + ": parameter keys are 1 to " + MAX_TEXT + " characters, values up to " + MAX_TEXT);
          }
        });
    if (message.length() > MAX_TEXT) {
      message = message.substring(0, MAX_TEXT - 3) + "...";
    }
  }

  /**
   * A new intent on one VM, not yet stored.
   *
   * @param kind what to do
   * @param group the VM's group
   * @param cloud the VM's cloud
   * @param vm the VM
   * @param parameters the kind's parameters
   * @param actor who asks
   * @param now the time
   * @return the intent, PENDING, id and version 0
   */
  public static Intent forVm(
      IntentKind kind, GroupName group, CloudName cloud, VmId vm, Map<String, String> parameters, Actor actor, Instant now) {
    return new Intent(0, kind, group, cloud, vm, parameters, actor, now, IntentStatus.PENDING, "", null, 0);
  }

  /**
   * A new {@link IntentKind#RETAIN} intent, not yet stored.
   *
   * @param group the group
   * @param cloud the cloud
   * @param count how many VMs to keep, at least 0
   * @param actor who asks
   * @param now the time
   * @return the intent, PENDING, id and version 0
   */
  public static Intent retain(GroupName group, CloudName cloud, int count, Actor actor, Instant now) {
    if (count < 0) {
      throw new IllegalArgumentException("retain: the count must be >= 0, was " + count);
    }
    return new Intent(
        0, IntentKind.RETAIN, group, cloud, null, Map.of("count", Integer.toString(count)), actor, now,
        IntentStatus.PENDING, "", null, 0);
  }

  /**
   * What it acts on, for messages and the audit log: the VM name, or {@code group/cloud}.
   *
   * @return the target
   */
  public String target() {
    return vm != null ? vm.value() : group + "/" + cloud;
  }

  /**
   * Whether parameter {@code force} is {@code true}.
   *
   * @return the force flag of a KILL
   */
  public boolean force() {
    return Boolean.parseBoolean(parameters.get("force"));
  }

  /**
   * Parameter {@code count} of a RETAIN.
   *
   * @return the count, or -1 when absent or not a number
   */
  public int count() {
    try {
      return Integer.parseInt(parameters.getOrDefault("count", "-1"));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * This intent, finished.
   *
   * @param next the final status
   * @param why what happened (cut to {@link #MAX_TEXT} characters)
   * @param at when
   * @return a copy with the status, message and completion time set, same version
   */
  public Intent complete(IntentStatus next, String why, Instant at) {
    return new Intent(id, kind, group, cloud, vm, parameters, actor, created, next, why, at, version);
  }

  /**
   * This intent as a store keeps it.
   *
   * @param storedId the store's id
   * @param storedVersion the stored version
   * @return a copy with the id and version set
   */
  public Intent stored(long storedId, long storedVersion) {
    return new Intent(
        storedId, kind, group, cloud, vm, parameters, actor, created, status, message, completedAt, storedVersion);
  }
}

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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Limits;
import org.csv2.model.VmId;
import org.jspecify.annotations.Nullable;

/**
 * A virtual cluster booked ahead of time (the PRAGMA model, docs/reservations.md): {@code count}
 * VMs of {@code cores} cores and {@code ramMiB} MiB each on one cloud of a group, for the window
 * {@code [start, end)} at minute resolution. It is one more kind of operator record: stored by
 * {@link Reservations#book}, carried out by whichever engine holds the group's lease.
 *
 * <p>A new reservation has id 0 and version 0; the store gives it an id and version 1, and every
 * later write increments the version (a write with a stale version is refused).
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param id the store's id, 0 before it is stored
 * @param owner the user who booked it
 * @param group the group whose VMs these are
 * @param cloud the cloud booked; null only for a REFUSED request that named no cloud
 * @param anyCloud whether the owner let csv2 pick any cloud of the group
 * @param flavor the flavor asked for, or null to let the engine pick the smallest that fits
 * @param cores cores per VM, 1 to {@link #MAX_CORES}
 * @param ramMiB RAM per VM in MiB, 1 to {@link #MAX_RAM_MIB}
 * @param count the number of VMs, 0 (a frontend-only cluster, nothing booted) to {@link #MAX_COUNT}
 * @param image the image, or null for the group's default
 * @param userData the name of one of the group's user-data documents the VMs boot with, or null for
 *     the group's usual ones
 * @param sshKey the owner's SSH public key given to the VMs, or null
 * @param start the start of the window, inclusive, on a whole minute
 * @param end the end of the window, exclusive, on a whole minute, after {@code start}
 * @param state where it stands
 * @param reason why it was refused or failed, or the last thing the engine did; at most {@link
 *     #MAX_TEXT} characters
 * @param created when it was booked
 * @param stateSince when it entered its state
 * @param warnedAt when the owner was warned of the end, or null
 * @param vms the VMs the engine booted for it (including replaced ones while they go away)
 * @param version 0 before it is stored, then 1, increasing with every write
 */
public record Reservation(
    long id,
    String owner,
    GroupName group,
    @Nullable CloudName cloud,
    boolean anyCloud,
    @Nullable FlavorName flavor,
    int cores,
    long ramMiB,
    int count,
    @Nullable String image,
    @Nullable String userData,
    @Nullable String sshKey,
    Instant start,
    Instant end,
    ReservationState state,
    String reason,
    Instant created,
    Instant stateSince,
    @Nullable Instant warnedAt,
    List<VmId> vms,
    long version) {
  /** The most VMs one reservation books. */
  public static final int MAX_COUNT = 10_000;

  /** The most cores of one VM. */
  public static final int MAX_CORES = 1024;

  /** The most RAM of one VM, in MiB (64 TiB). */
  public static final long MAX_RAM_MIB = 64L * 1024 * 1024;

  /** The longest reason kept, and the longest owner name, image name. */
  public static final int MAX_TEXT = 256;

  /** The largest SSH key, in characters. */
  public static final int MAX_DOCUMENT = 65_536;

  /** Validates, bounds and copies. */
  public Reservation {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(stateSince, "stateSince");
    vms = List.copyOf(vms);
    if (id < 0 || version < 0) {
      throw new IllegalArgumentException("reservation " + id + ": negative id or version");
    }
    if (owner.isBlank() || owner.length() > 64) {
      throw new IllegalArgumentException("reservation: the owner is 1 to 64 characters");
    }
    if (cores < 1 || cores > MAX_CORES || ramMiB < 1 || ramMiB > MAX_RAM_MIB) {
      throw new IllegalArgumentException("reservation: a VM has 1 to " + MAX_CORES + " cores and 1 to " + MAX_RAM_MIB
          + " MiB, was " + cores + " cores, " + ramMiB + " MiB");
    }
    if (count < 0 || count > MAX_COUNT) {
      throw new IllegalArgumentException("reservation: the count is 0 to " + MAX_COUNT + ", was " + count);
    }
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("reservation: the end " + end + " is not after the start " + start);
    }
    if (!onMinute(start) || !onMinute(end)) {
      throw new IllegalArgumentException("reservation: the window is in whole minutes, was [" + start + ", " + end + ")");
    }
    if (cloud == null && state != ReservationState.REFUSED && state != ReservationState.REQUESTED) {
      throw new IllegalArgumentException("reservation: a " + state + " reservation has a cloud");
    }
    if (image != null && (image.isBlank() || image.length() > MAX_TEXT)) {
      throw new IllegalArgumentException("reservation: the image name is 1 to " + MAX_TEXT + " characters");
    }
    if (userData != null && (userData.isBlank() || userData.length() > MAX_TEXT)) {
      throw new IllegalArgumentException("reservation: the user-data document name is 1 to " + MAX_TEXT + " characters");
    }
    if (sshKey != null && (sshKey.length() > MAX_DOCUMENT || sshKey.contains("\n"))) {
      throw new IllegalArgumentException("reservation: the SSH key is one line of at most " + MAX_DOCUMENT + " characters");
    }
    if (vms.size() > 2 * MAX_COUNT) {
      throw new IllegalArgumentException("reservation: more than " + 2 * MAX_COUNT + " VMs");
    }
    if (reason.length() > MAX_TEXT) {
      reason = reason.substring(0, MAX_TEXT - 3) + "...";
    }
  }

  private static boolean onMinute(Instant t) {
    return t.truncatedTo(ChronoUnit.MINUTES).equals(t);
  }

  /**
   * What it holds on its cloud while it holds capacity: cores, RAM and instances of all its VMs.
   *
   * @return the cores, MiB and VMs
   */
  public Limits demand() {
    return new Limits(cores * count, ramMiB * count, count);
  }

  /**
   * The length of its window.
   *
   * @return end minus start
   */
  public Duration length() {
    return Duration.between(start, end);
  }

  /**
   * The core-hours it books: cores times VMs times the window's hours.
   *
   * @return the core-hours
   */
  public double coreHours() {
    return (double) cores * count * length().toSeconds() / 3600.0;
  }

  /**
   * Whether its window overlaps {@code [from, to)}.
   *
   * @param from the start, inclusive
   * @param to the end, exclusive
   * @return true if some instant is in both
   */
  public boolean overlaps(Instant from, Instant to) {
    return start.isBefore(to) && from.isBefore(end);
  }

  /**
   * This reservation in another state.
   *
   * @param next the state
   * @param why the reason (cut to {@link #MAX_TEXT} characters)
   * @param at when it entered the state
   * @return a copy, same version
   */
  public Reservation moved(ReservationState next, String why, Instant at) {
    return new Reservation(id, owner, group, cloud, anyCloud, flavor, cores, ramMiB, count, image, userData, sshKey,
        start, end, next, why, created, at, warnedAt, vms, version);
  }

  /**
   * This reservation booked on a cloud.
   *
   * @param on the cloud
   * @return a copy, same version
   */
  public Reservation on(CloudName on) {
    return new Reservation(id, owner, group, on, anyCloud, flavor, cores, ramMiB, count, image, userData, sshKey,
        start, end, state, reason, created, stateSince, warnedAt, vms, version);
  }

  /**
   * This reservation with another end.
   *
   * @param newEnd the end, after the start, on a whole minute
   * @return a copy, same version
   */
  public Reservation endingAt(Instant newEnd) {
    return new Reservation(id, owner, group, cloud, anyCloud, flavor, cores, ramMiB, count, image, userData, sshKey,
        start, newEnd, state, reason, created, stateSince, warnedAt, vms, version);
  }

  /**
   * This reservation with its VMs.
   *
   * @param now the VMs booted for it
   * @return a copy, same version
   */
  public Reservation withVms(List<VmId> now) {
    return new Reservation(id, owner, group, cloud, anyCloud, flavor, cores, ramMiB, count, image, userData, sshKey,
        start, end, state, reason, created, stateSince, warnedAt, now, version);
  }

  /**
   * This reservation with its owner warned of the end.
   *
   * @param at when
   * @return a copy, same version
   */
  public Reservation warned(Instant at) {
    return new Reservation(id, owner, group, cloud, anyCloud, flavor, cores, ramMiB, count, image, userData, sshKey,
        start, end, state, reason, created, stateSince, at, vms, version);
  }

  /**
   * This reservation as a store keeps it.
   *
   * @param storedId the store's id
   * @param storedVersion the stored version
   * @return a copy with the id and version set
   */
  public Reservation stored(long storedId, long storedVersion) {
    return new Reservation(storedId, owner, group, cloud, anyCloud, flavor, cores, ramMiB, count, image, userData,
        sshKey, start, end, state, reason, created, stateSince, warnedAt, vms, storedVersion);
  }

  /**
   * A one-line description for messages and the audit log.
   *
   * @return for example {@code reservation 7 (alice, atlas/c1, 4 x 8 cores 16000 MiB, [..., ...), CONFIRMED)}
   */
  public String describe() {
    return "reservation " + id + " (" + owner + ", " + group + "/" + (cloud == null ? "any cloud" : cloud) + ", "
        + count + " x " + cores + " cores " + ramMiB + " MiB, [" + start + ", " + end + "), " + state + ")";
  }
}

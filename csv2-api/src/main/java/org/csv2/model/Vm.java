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

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The engine's record of one machine it asked a cloud for (or adopted).
 *
 * <p>State changes return new records: {@link #withState(VmState, Instant, String)} records the
 * time of every transition and the reason a person can read. {@link #version()} is the optimistic
 * lock of the state store: a store refuses a write whose version is not the stored one.
 *
 * @param id the VM's name
 * @param group its group
 * @param cloud its cloud
 * @param flavor its flavor
 * @param resources the flavor's resources
 * @param image the image it boots
 * @param alias the alias it was booted for, or null
 * @param instanceId the cloud's id once known, or null
 * @param state where it is
 * @param reason why it entered its state
 * @param createdAt when the engine decided to boot it
 * @param stateSince when it entered its state
 * @param transitions the last time it entered each state
 * @param registeredAt when its worker was first seen, or null
 * @param lastBusyAt the last time its worker ran a job, or null if never
 * @param retireAttempts how many times it was asked to drain
 * @param terminateAttempts how many times its cloud was asked to delete it
 * @param lastAttemptAt when the last retire or terminate attempt was made, or null
 * @param manual true while an operator controls it
 * @param keepAlive the keep-alive asked by its jobs or group, or null for the engine's default
 * @param pricePerHour what it costs per hour (0 when unknown)
 * @param version the store's optimistic-lock version; 0 for a record never stored
 */
public record Vm(
    VmId id,
    GroupName group,
    CloudName cloud,
    FlavorName flavor,
    Resources resources,
    String image,
    @Nullable AliasName alias,
    @Nullable InstanceId instanceId,
    VmState state,
    String reason,
    Instant createdAt,
    Instant stateSince,
    Map<VmState, Instant> transitions,
    @Nullable Instant registeredAt,
    @Nullable Instant lastBusyAt,
    int retireAttempts,
    int terminateAttempts,
    @Nullable Instant lastAttemptAt,
    boolean manual,
    @Nullable Duration keepAlive,
    double pricePerHour,
    long version) {
  /** Validates and copies. */
  public Vm {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(flavor, "flavor");
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(stateSince, "stateSince");
    transitions = transitions.isEmpty() ? Map.of() : Map.copyOf(transitions);
    if (retireAttempts < 0 || terminateAttempts < 0 || version < 0) {
      throw new IllegalArgumentException("VM " + id + ": negative counter");
    }
    if (!(pricePerHour >= 0) || Double.isInfinite(pricePerHour)) {
      throw new IllegalArgumentException("VM " + id + ": price must be >= 0");
    }
  }

  /**
   * Starts a builder for a new REQUESTED VM.
   *
   * @param id its name
   * @param group its group
   * @param cloud its cloud
   * @param flavor its flavor
   * @param createdAt when it is requested
   * @return the builder
   */
  public static Builder builder(
      VmId id, GroupName group, CloudName cloud, FlavorName flavor, Instant createdAt) {
    return new Builder(id, group, cloud, flavor, createdAt);
  }

  /**
   * A builder holding this record's values.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(id, group, cloud, flavor, createdAt);
    b.resources = resources;
    b.image = image;
    b.alias = alias;
    b.instanceId = instanceId;
    b.state = state;
    b.reason = reason;
    b.stateSince = stateSince;
    b.transitions = transitions;
    b.registeredAt = registeredAt;
    b.lastBusyAt = lastBusyAt;
    b.retireAttempts = retireAttempts;
    b.terminateAttempts = terminateAttempts;
    b.lastAttemptAt = lastAttemptAt;
    b.manual = manual;
    b.keepAlive = keepAlive;
    b.pricePerHour = pricePerHour;
    b.version = version;
    return b;
  }

  /**
   * This VM in another state; the same record when the state does not change.
   *
   * @param next the new state
   * @param at when it changed
   * @param why the reason, for people
   * @return the changed record
   */
  public Vm withState(VmState next, Instant at, String why) {
    if (next == state) {
      return this;
    }
    Map<VmState, Instant> t = new EnumMap<>(VmState.class);
    t.putAll(transitions);
    t.put(next, at);
    return toBuilder().state(next).stateSince(at).reason(why).transitions(t).build();
  }

  /**
   * This VM with the cloud's id.
   *
   * @param id the instance id
   * @return the changed record
   */
  public Vm withInstanceId(InstanceId id) {
    return Objects.equals(id, instanceId) ? this : toBuilder().instanceId(id).build();
  }

  /**
   * This VM with another store version (used by state stores).
   *
   * @param v the version
   * @return the changed record
   */
  public Vm withVersion(long v) {
    return v == version ? this : toBuilder().version(v).build();
  }

  /**
   * The cloud's id, if known.
   *
   * @return the instance id
   */
  public Optional<InstanceId> instance() {
    return Optional.ofNullable(instanceId);
  }

  /**
   * When the VM last entered a state.
   *
   * @param s the state
   * @return the time, if it ever did
   */
  public Optional<Instant> enteredAt(VmState s) {
    return Optional.ofNullable(transitions.get(s));
  }

  /** Builds a {@link Vm}; every setter returns the builder. */
  public static final class Builder {
    private final VmId id;
    private final GroupName group;
    private final CloudName cloud;
    private final FlavorName flavor;
    private final Instant createdAt;
    private Resources resources = Resources.ZERO;
    private String image = "";
    private @Nullable AliasName alias;
    private @Nullable InstanceId instanceId;
    private VmState state = VmState.REQUESTED;
    private String reason = "requested";
    private Instant stateSince;
    private Map<VmState, Instant> transitions;
    private @Nullable Instant registeredAt;
    private @Nullable Instant lastBusyAt;
    private int retireAttempts;
    private int terminateAttempts;
    private @Nullable Instant lastAttemptAt;
    private boolean manual;
    private @Nullable Duration keepAlive;
    private double pricePerHour;
    private long version;

    private Builder(
        VmId id, GroupName group, CloudName cloud, FlavorName flavor, Instant createdAt) {
      this.id = id;
      this.group = group;
      this.cloud = cloud;
      this.flavor = flavor;
      this.createdAt = createdAt;
      this.stateSince = createdAt;
      this.transitions = Map.of(VmState.REQUESTED, createdAt);
    }

    /** @param v resources @return this */
    public Builder resources(Resources v) {
      resources = v;
      return this;
    }

    /** @param v image @return this */
    public Builder image(String v) {
      image = v;
      return this;
    }

    /** @param v alias or null @return this */
    public Builder alias(@Nullable AliasName v) {
      alias = v;
      return this;
    }

    /** @param v instance id or null @return this */
    public Builder instanceId(@Nullable InstanceId v) {
      instanceId = v;
      return this;
    }

    /** @param v state @return this */
    public Builder state(VmState v) {
      state = v;
      return this;
    }

    /** @param v reason @return this */
    public Builder reason(String v) {
      reason = v;
      return this;
    }

    /** @param v when the state was entered @return this */
    public Builder stateSince(Instant v) {
      stateSince = v;
      return this;
    }

    /** @param v transition times @return this */
    public Builder transitions(Map<VmState, Instant> v) {
      transitions = v;
      return this;
    }

    /** @param v registration time or null @return this */
    public Builder registeredAt(@Nullable Instant v) {
      registeredAt = v;
      return this;
    }

    /** @param v last busy time or null @return this */
    public Builder lastBusyAt(@Nullable Instant v) {
      lastBusyAt = v;
      return this;
    }

    /** @param v retire attempts @return this */
    public Builder retireAttempts(int v) {
      retireAttempts = v;
      return this;
    }

    /** @param v terminate attempts @return this */
    public Builder terminateAttempts(int v) {
      terminateAttempts = v;
      return this;
    }

    /** @param v last attempt time or null @return this */
    public Builder lastAttemptAt(@Nullable Instant v) {
      lastAttemptAt = v;
      return this;
    }

    /** @param v manual control @return this */
    public Builder manual(boolean v) {
      manual = v;
      return this;
    }

    /** @param v keep-alive or null @return this */
    public Builder keepAlive(@Nullable Duration v) {
      keepAlive = v;
      return this;
    }

    /** @param v price per hour @return this */
    public Builder pricePerHour(double v) {
      pricePerHour = v;
      return this;
    }

    /** @param v store version @return this */
    public Builder version(long v) {
      version = v;
      return this;
    }

    /**
     * Builds the record.
     *
     * @return the VM
     */
    public Vm build() {
      return new Vm(
          id, group, cloud, flavor, resources, image, alias, instanceId, state, reason, createdAt,
          stateSince, transitions, registeredAt, lastBusyAt, retireAttempts, terminateAttempts,
          lastAttemptAt, manual, keepAlive, pricePerHour, version);
    }
  }
}

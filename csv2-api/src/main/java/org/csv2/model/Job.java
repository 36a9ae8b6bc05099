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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A batch job as its job source reports it. The engine reads jobs and never writes them.
 *
 * @param id the job's id within its source
 * @param group the csv2 group the job belongs to
 * @param owner the submitting user
 * @param request what the job requests (cores, memory, disk)
 * @param targetAlias the alias whose clouds the job may run on, or null for any of its group's
 * @param targetClouds explicit clouds the job may run on; empty for no restriction
 * @param image an image the job asks for, or null
 * @param instanceType an instance type hint: {@code flavor} or {@code cloud:flavor} (comma list
 *     allowed), or null
 * @param keepAlive how long the job's VM should stay after it if idle, or null
 * @param maxPrice the most the job's VM may cost per hour; 0 for no limit
 * @param priority the job's priority within its owner's jobs (higher first)
 * @param queuedSince when the job was queued
 * @param state where the job is
 * @param userData names of operator-defined user-data documents the job asks to add
 * @param requestedWallTime the wall time the job asks for (its run-time limit, e.g. HTCondor's
 *     {@code MaxWallTimeMins} or a trace's requested time), or null when its source does not know
 *     it; the planner may use it to estimate when the job ends (docs/planner.md)
 */
public record Job(
    JobId id,
    GroupName group,
    String owner,
    Resources request,
    @Nullable AliasName targetAlias,
    Set<CloudName> targetClouds,
    @Nullable String image,
    @Nullable String instanceType,
    @Nullable Duration keepAlive,
    double maxPrice,
    int priority,
    Instant queuedSince,
    JobState state,
    List<String> userData,
    @Nullable Duration requestedWallTime) {
  /** Validates and copies. */
  public Job {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(queuedSince, "queuedSince");
    Objects.requireNonNull(state, "state");
    targetClouds = Set.copyOf(targetClouds);
    userData = List.copyOf(userData);
    if (!(maxPrice >= 0) || Double.isInfinite(maxPrice)) {
      throw new IllegalArgumentException("job " + id + ": max price must be >= 0, was " + maxPrice);
    }
    if (keepAlive != null && keepAlive.isNegative()) {
      throw new IllegalArgumentException("job " + id + ": negative keep-alive " + keepAlive);
    }
    if (requestedWallTime != null && requestedWallTime.isNegative()) {
      throw new IllegalArgumentException("job " + id + ": negative requested wall time " + requestedWallTime);
    }
  }

  /**
   * The constructor of the components before {@code requestedWallTime} (kept for compatibility):
   * a job whose run-time limit is not known.
   *
   * @param id the job's id within its source
   * @param group the csv2 group the job belongs to
   * @param owner the submitting user
   * @param request what the job requests
   * @param targetAlias the target alias or null
   * @param targetClouds explicit clouds; empty for no restriction
   * @param image an image or null
   * @param instanceType an instance type hint or null
   * @param keepAlive the keep-alive or null
   * @param maxPrice the most per hour; 0 for no limit
   * @param priority the priority within the owner's jobs
   * @param queuedSince when the job was queued
   * @param state where the job is
   * @param userData names of user-data documents
   */
  public Job(
      JobId id,
      GroupName group,
      String owner,
      Resources request,
      @Nullable AliasName targetAlias,
      Set<CloudName> targetClouds,
      @Nullable String image,
      @Nullable String instanceType,
      @Nullable Duration keepAlive,
      double maxPrice,
      int priority,
      Instant queuedSince,
      JobState state,
      List<String> userData) {
    this(
        id, group, owner, request, targetAlias, targetClouds, image, instanceType, keepAlive, maxPrice,
        priority, queuedSince, state, userData, null);
  }

  /**
   * Starts a builder for an idle job of one core and 1000 MiB, queued at the epoch.
   *
   * @param id the job's id
   * @param group its group
   * @return the builder
   */
  public static Builder builder(JobId id, GroupName group) {
    return new Builder(id, group);
  }

  /**
   * A builder holding this job's values.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(id, group);
    b.owner = owner;
    b.request = request;
    b.targetAlias = targetAlias;
    b.targetClouds = targetClouds;
    b.image = image;
    b.instanceType = instanceType;
    b.keepAlive = keepAlive;
    b.maxPrice = maxPrice;
    b.priority = priority;
    b.queuedSince = queuedSince;
    b.state = state;
    b.userData = userData;
    b.requestedWallTime = requestedWallTime;
    return b;
  }

  /**
   * The same job in another state.
   *
   * @param newState the state
   * @return the copy
   */
  public Job withState(JobState newState) {
    return toBuilder().state(newState).build();
  }

  /**
   * The target alias, if any.
   *
   * @return the alias
   */
  public Optional<AliasName> alias() {
    return Optional.ofNullable(targetAlias);
  }

  /** Builds a {@link Job}; every setter returns the builder. */
  public static final class Builder {
    private final JobId id;
    private final GroupName group;
    private String owner = "nobody";
    private Resources request = Resources.of(1, 1000);
    private @Nullable AliasName targetAlias;
    private Set<CloudName> targetClouds = Set.of();
    private @Nullable String image;
    private @Nullable String instanceType;
    private @Nullable Duration keepAlive;
    private double maxPrice;
    private int priority;
    private Instant queuedSince = Instant.EPOCH;
    private JobState state = JobState.IDLE;
    private List<String> userData = List.of();
    private @Nullable Duration requestedWallTime;

    private Builder(JobId id, GroupName group) {
      this.id = Objects.requireNonNull(id, "id");
      this.group = Objects.requireNonNull(group, "group");
    }

    /** @param v the owner @return this */
    public Builder owner(String v) {
      owner = v;
      return this;
    }

    /** @param v the request @return this */
    public Builder request(Resources v) {
      request = v;
      return this;
    }

    /** @param v the alias or null @return this */
    public Builder targetAlias(@Nullable AliasName v) {
      targetAlias = v;
      return this;
    }

    /** @param v explicit clouds @return this */
    public Builder targetClouds(Set<CloudName> v) {
      targetClouds = v;
      return this;
    }

    /** @param v the image or null @return this */
    public Builder image(@Nullable String v) {
      image = v;
      return this;
    }

    /** @param v the instance type hint or null @return this */
    public Builder instanceType(@Nullable String v) {
      instanceType = v;
      return this;
    }

    /** @param v the keep-alive or null @return this */
    public Builder keepAlive(@Nullable Duration v) {
      keepAlive = v;
      return this;
    }

    /** @param v the maximum price per hour, 0 for none @return this */
    public Builder maxPrice(double v) {
      maxPrice = v;
      return this;
    }

    /** @param v the priority @return this */
    public Builder priority(int v) {
      priority = v;
      return this;
    }

    /** @param v when it was queued @return this */
    public Builder queuedSince(Instant v) {
      queuedSince = v;
      return this;
    }

    /** @param v the state @return this */
    public Builder state(JobState v) {
      state = v;
      return this;
    }

    /** @param v the names of the documents it asks for @return this */
    public Builder userData(List<String> v) {
      userData = v;
      return this;
    }

    /** @param v the requested wall time (run-time limit), or null when unknown @return this */
    public Builder requestedWallTime(@Nullable Duration v) {
      requestedWallTime = v;
      return this;
    }

    /**
     * Builds the job.
     *
     * @return the job
     */
    public Job build() {
      return new Job(
          id, group, owner, request, targetAlias, targetClouds, image, instanceType, keepAlive,
          maxPrice, priority, queuedSince, state, userData, requestedWallTime);
    }
  }
}

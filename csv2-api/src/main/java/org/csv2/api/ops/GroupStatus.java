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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.csv2.api.BreakerState;
import org.csv2.model.AliasName;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.JobId;
import org.csv2.model.JobState;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.jspecify.annotations.Nullable;

/**
 * What the engine holding a group's lease saw and decided at its last cycle, stored for operators:
 * one snapshot per group, replaced every cycle ({@code StateStore.saveStatus}). Status and job
 * views of {@link Operations} read it, so a process without an engine can answer them.
 *
 * <p>Figures that do not apply or are not known are -1 (cores, RAM) or null.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param group the group
 * @param at when the cycle that wrote it observed
 * @param engine the lease owner that wrote it
 * @param configVersion the stored configuration version the engine ran with (0 if none)
 * @param jobs job counts of the group ({@code alias} null) and of each alias
 * @param clouds figures per cloud the group is allocated on
 * @param shapes per job shape: idle jobs and the planner's note on why they have no VM
 * @param vms per-VM figures the VM record does not hold (slots, jobs)
 * @param idleJobs idle jobs, each with its shape (bounded by the engine: at most {@link
 *     #MAX_JOBS})
 * @param problems what went wrong in that cycle for this group (source unreachable, ...)
 * @param jobSource the job source the group reads from, or null when not known (a snapshot written
 *     by an older engine)
 */
public record GroupStatus(
    GroupName group,
    Instant at,
    String engine,
    long configVersion,
    List<JobCounts> jobs,
    List<CloudFigures> clouds,
    List<ShapeNote> shapes,
    List<VmFigures> vms,
    List<JobRow> idleJobs,
    List<String> problems,
    @Nullable SourceFigures jobSource) {
  /** The most idle jobs one snapshot lists. */
  public static final int MAX_JOBS = 2_000;

  /** Validates and copies. */
  public GroupStatus {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(engine, "engine");
    jobs = List.copyOf(jobs);
    clouds = List.copyOf(clouds);
    shapes = List.copyOf(shapes);
    vms = List.copyOf(vms);
    idleJobs = idleJobs.size() > MAX_JOBS ? List.copyOf(idleJobs.subList(0, MAX_JOBS)) : List.copyOf(idleJobs);
    problems = List.copyOf(problems);
  }

  /**
   * A snapshot that says nothing of the group's job source (the form before 0.1's job-source
   * figures).
   *
   * @param group the group
   * @param at when the cycle observed
   * @param engine the lease owner
   * @param configVersion the configuration version
   * @param jobs job counts
   * @param clouds figures per cloud
   * @param shapes notes per job shape
   * @param vms per-VM figures
   * @param idleJobs idle jobs
   * @param problems the cycle's problems for the group
   */
  public GroupStatus(
      GroupName group,
      Instant at,
      String engine,
      long configVersion,
      List<JobCounts> jobs,
      List<CloudFigures> clouds,
      List<ShapeNote> shapes,
      List<VmFigures> vms,
      List<JobRow> idleJobs,
      List<String> problems) {
    this(group, at, engine, configVersion, jobs, clouds, shapes, vms, idleJobs, problems, null);
  }

  /**
   * The job source a group reads from, as the cycle saw it.
   *
   * @param name the source's name ({@code job-sources[].name})
   * @param read whether the cycle could read it
   * @param credentialsExpireAt when the credential it reaches its batch system with (an HTCondor
   *     token) expires, or null if unknown or never
   * @param credentialDaysLeft whole days left until then (0 or less: expired), or null if unknown
   *     or never
   * @param bootsStopped true when the expiry is within {@code engine.credential-stop}: the group
   *     boots nothing, its VMs stay
   */
  public record SourceFigures(
      String name, boolean read, @Nullable Instant credentialsExpireAt, @Nullable Integer credentialDaysLeft, boolean bootsStopped) {
    /** Validates. */
    public SourceFigures {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * Job counts of a group or one of its aliases (production's status job table).
   *
   * @param alias the alias, or null for the whole group
   * @param idle idle jobs
   * @param running running jobs
   * @param held held jobs
   * @param other jobs in any other state
   */
  public record JobCounts(@Nullable AliasName alias, int idle, int running, int held, int other) {}

  /**
   * Cores or RAM on one cloud for one group, as production's status cloud table shows them.
   *
   * @param quota the cloud's quota, -1 if unlimited or unknown
   * @param control the group's control (slider) on the cloud, -1 if none
   * @param used what the group's VMs use
   * @param foreign what others use on the cloud (quota used minus csv2's), -1 if unknown
   */
  public record Usage(long quota, long control, long used, long foreign) {}

  /**
   * Condor slots of one flavor.
   *
   * @param flavor the flavor
   * @param busy slots running a job
   * @param idle slots without one
   */
  public record FlavorSlots(FlavorName flavor, int busy, int idle) {}

  /**
   * One cloud as seen by one group's cycle.
   *
   * @param cloud the cloud
   * @param enabled whether the configuration lets the group boot there
   * @param vmsByState the group's VMs there by state
   * @param cores cores quota / control / used / foreign
   * @param ramMiB RAM quota / control / used / foreign, MiB
   * @param slots slots per flavor
   * @param reachable whether the last call succeeded
   * @param latency the last call's round trip, or null
   * @param breaker the cloud's circuit breaker
   * @param credentialDaysLeft days until the cloud's credentials expire, or null if unknown
   * @param message the breaker's or driver's last reason, empty if none
   * @param instances VMs quota / control (-1: none) / the group's VMs / VMs others run there (all
   *     -1 when not known: a snapshot written before instances were counted)
   * @param flavors the largest flavors the group may boot there (available, not excluded by its
   *     allocation; none of them holds fewer cores and less RAM than another): whether one VM of a
   *     size fits on the cloud at all; empty when not known
   */
  public record CloudFigures(
      CloudName cloud,
      boolean enabled,
      Map<VmState, Integer> vmsByState,
      Usage cores,
      Usage ramMiB,
      List<FlavorSlots> slots,
      boolean reachable,
      @Nullable Duration latency,
      BreakerState breaker,
      @Nullable Integer credentialDaysLeft,
      String message,
      Usage instances,
      List<FlavorSize> flavors) {
    /** Figures of VMs not known: every component -1. */
    public static final Usage NO_INSTANCES = new Usage(-1, -1, -1, -1);

    /** Copies; a null {@code instances} (an older snapshot) is {@link #NO_INSTANCES}, null flavors none. */
    public CloudFigures {
      Objects.requireNonNull(cloud, "cloud");
      vmsByState = Map.copyOf(vmsByState);
      Objects.requireNonNull(cores, "cores");
      Objects.requireNonNull(ramMiB, "ramMiB");
      slots = List.copyOf(slots);
      Objects.requireNonNull(breaker, "breaker");
      Objects.requireNonNull(message, "message");
      instances = instances == null ? NO_INSTANCES : instances;
      flavors = flavors == null ? List.of() : List.copyOf(flavors);
    }

    /**
     * Figures without VM counts or flavors (as snapshots were before reservations checked them).
     *
     * @param cloud the cloud
     * @param enabled whether the configuration lets the group boot there
     * @param vmsByState the group's VMs there by state
     * @param cores cores quota / control / used / foreign
     * @param ramMiB RAM quota / control / used / foreign, MiB
     * @param slots slots per flavor
     * @param reachable whether the last call succeeded
     * @param latency the last call's round trip, or null
     * @param breaker the cloud's circuit breaker
     * @param credentialDaysLeft days until the cloud's credentials expire, or null if unknown
     * @param message the breaker's or driver's last reason, empty if none
     */
    public CloudFigures(
        CloudName cloud,
        boolean enabled,
        Map<VmState, Integer> vmsByState,
        Usage cores,
        Usage ramMiB,
        List<FlavorSlots> slots,
        boolean reachable,
        @Nullable Duration latency,
        BreakerState breaker,
        @Nullable Integer credentialDaysLeft,
        String message) {
      this(cloud, enabled, vmsByState, cores, ramMiB, slots, reachable, latency, breaker, credentialDaysLeft, message,
          NO_INSTANCES, List.of());
    }
  }

  /**
   * The size of one flavor, as a status snapshot keeps it.
   *
   * @param flavor the flavor
   * @param cores its cores
   * @param ramMiB its memory, MiB
   */
  public record FlavorSize(FlavorName flavor, int cores, long ramMiB) {
    /** Validates. */
    public FlavorSize {
      Objects.requireNonNull(flavor, "flavor");
    }
  }

  /**
   * One job shape and why its idle jobs have (or have no) VM, as the planner noted it.
   *
   * @param shape the shape's description (resources, alias, targets), also {@link JobRow#shape()}
   * @param alias the alias the shape targets, or null
   * @param idle its idle jobs
   * @param whyNot the planner's note (no flavor fits, quota, throttle, paused cloud, ...); empty
   *     when VMs are coming
   */
  public record ShapeNote(String shape, @Nullable AliasName alias, int idle, String whyNot) {
    /** Validates. */
    public ShapeNote {
      Objects.requireNonNull(shape, "shape");
      Objects.requireNonNull(whyNot, "whyNot");
    }
  }

  /**
   * Figures of one VM that its record does not hold.
   *
   * @param vm the VM
   * @param slotsBusy slots running a job
   * @param slotsIdle slots without one
   * @param jobs jobs running on it
   */
  public record VmFigures(VmId vm, int slotsBusy, int slotsIdle, int jobs) {}

  /**
   * One job as the engine saw it.
   *
   * @param id the job
   * @param alias its target alias, or null
   * @param state its state
   * @param owner its owner
   * @param queuedSince when it was queued
   * @param shape its shape, a key of {@link GroupStatus#shapes()}
   */
  public record JobRow(JobId id, @Nullable AliasName alias, JobState state, String owner, Instant queuedSince, String shape) {
    /** Validates. */
    public JobRow {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(queuedSince, "queuedSince");
      Objects.requireNonNull(shape, "shape");
    }
  }
}

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
package org.csv2.core.planning;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.csv2.model.AliasName;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.jspecify.annotations.Nullable;

/** The idle jobs of one shape, and what the planner learned about them during one plan. */
final class ShapeDemand {
  final JobShape shape;
  final InstanceTypeHint hint;
  int count;
  int maxPriority = Integer.MIN_VALUE;
  /** Jobs of the shape not yet placed on supply or on a planned VM. */
  int remaining;
  int onSupply;
  /** Jobs queued for less than {@link RunTimes#PATIENCE}: they may wait for cores soon free. */
  int patient;
  /** Of the jobs on supply, those placed on cores that running jobs are expected to free soon. */
  int onSoonFree;
  /** The jobs' expected run times, or null when the policy does not learn run times. */
  @Nullable RunTimeSpread runTimes;
  /** The alias's clouds; null when the shape names no alias (any cloud of the group). */
  @Nullable Set<CloudName> aliasClouds;
  /** True when the shape names an alias that its group does not define: it may run nowhere. */
  boolean undefinedAlias;
  /** Candidates on PREFERRED allocations, best first ({@link LazyCandidates} for the default policy). */
  List<Candidate> preferred = new ArrayList<>();
  /** Candidates on OPPORTUNISTIC allocations, best first. */
  List<Candidate> opportunistic = new ArrayList<>();
  /** Why no candidate was found, when none was. */
  String noCandidate = "";
  int cursorPreferred;
  int cursorOpportunistic;
  /** Clouds where the ledger refused this shape a VM. */
  final Set<CloudName> capacityBlocked = new TreeSet<>();
  /** Clouds where the starting throttle refused this shape a VM. */
  final Set<CloudName> startingBlocked = new TreeSet<>();

  /**
   * A shape without jobs yet ({@link Shapes#idle} sets the counts).
   *
   * @param shape the shape
   * @param hint its instance-type hint, parsed
   */
  ShapeDemand(JobShape shape, InstanceTypeHint hint) {
    this.shape = shape;
    this.hint = hint;
  }

  /** Whether the job's alias and explicit clouds allow a cloud (not whether a flavor fits). */
  /**
   * How much longer than a mean run a VM that takes n of this shape's jobs is expected to live,
   * for the policy's expected cost: without run-time learning ({@link #runTimes} null) H(n), the
   * memoryless case of {@code LEAST_EXPECTED_COST}; with it, the jobs' own spread when most have an
   * estimate ({@link RunTimeSpread}), else 1 (cost per job as is, as {@code LEAST_COST_PER_JOB}).
   */
  double spread(int n) {
    RunTimeSpread r = runTimes;
    if (r == null) {
      return Candidate.harmonic(n);
    }
    return r.known() ? r.ratio(n) : 1;
  }

  /** Whether the shape's run times are known (see {@link #spread}). */
  boolean knowsRunTimes() {
    return runTimes != null && runTimes.known();
  }

  boolean allowsCloud(CloudName c) {
    if (undefinedAlias) {
      return false;
    }
    if (aliasClouds != null && !aliasClouds.contains(c)) {
      return false;
    }
    return shape.clouds().isEmpty() || shape.clouds().contains(c);
  }

  /** Whether jobs of this shape may run on a VM booted for {@code vmAlias} (the VM advertises it). */
  boolean acceptsAlias(@Nullable AliasName vmAlias) {
    return shape.alias() == null || shape.alias().equals(vmAlias);
  }

  /** Whether jobs of this shape accept a VM's image. */
  boolean acceptsImage(String vmImage) {
    return shape.image() == null || shape.image().equals(vmImage);
  }

  /**
   * Whether jobs of this shape may run on a VM (existing or planned): on a cloud their alias and
   * explicit clouds allow, booted for their alias, with their image if they name one, of a flavor
   * their instance-type hint allows, at a price within their maximum. The one rule for supply
   * packing and for packing into planned VMs, so that a plan, once applied, is found again.
   */
  boolean fits(CloudName cloud, FlavorName flavor, double price, @Nullable AliasName vmAlias, String vmImage) {
    return allowsCloud(cloud)
        && acceptsAlias(vmAlias)
        && acceptsImage(vmImage)
        && hint.allows(cloud, flavor)
        && (shape.maxPrice() <= 0 || price <= shape.maxPrice());
  }

  /** The candidates of each allocation, in candidate order; built on first use. */
  private @Nullable Map<Allocation, List<Candidate>> byAllocation;

  /**
   * The candidates on one allocation, in candidate order (for downsizing a planned VM without
   * scanning every candidate of the shape).
   *
   * @param a the allocation, as held by the candidates (compared by identity)
   * @return its candidates
   */
  List<Candidate> candidatesOn(Allocation a) {
    if (preferred instanceof LazyCandidates p && opportunistic instanceof LazyCandidates o) {
      List<Candidate> l = p.candidatesOn(a);
      return l.isEmpty() ? o.candidatesOn(a) : l;
    }
    if (byAllocation == null) {
      byAllocation = new IdentityHashMap<>();
      for (List<Candidate> l : List.of(preferred, opportunistic)) {
        for (Candidate c : l) {
          byAllocation.computeIfAbsent(c.allocation(), k -> new ArrayList<>()).add(c);
        }
      }
    }
    return byAllocation.getOrDefault(a, List.of());
  }

  /**
   * The most jobs of the shape that one VM takes among the candidates on a candidate's allocation
   * that cost no more per core than it: how far a VM may grow without a dearer core-hour.
   *
   * @param c the candidate
   * @return at least its own jobs per VM
   */
  int mostJobsPerVmAtNoDearerCore(Candidate c) {
    int most = c.jobsPerVm();
    double limit = c.costPerCore() * (1 + 1e-9);
    for (Candidate o : candidatesOn(c.allocation())) {
      if (o.jobsPerVm() > most && o.costPerCore() <= limit) {
        most = o.jobsPerVm();
      }
    }
    return most;
  }

  boolean hasCandidates() {
    return !preferred.isEmpty() || !opportunistic.isEmpty();
  }
}

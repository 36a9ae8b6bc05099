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

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobState;

/** Groups idle jobs by shape: one pass, or the last plan's count brought up to date ({@link Tally}). */
final class Shapes {
  /** Higher job priority first, then the canonical (largest first) order. */
  static final Comparator<ShapeDemand> ORDER =
      Comparator.comparingInt((ShapeDemand d) -> d.maxPriority)
          .reversed()
          .thenComparing((ShapeDemand d) -> d.shape, JobShape.CANONICAL);

  /**
   * The order in which the default policy serves a group's shapes, on supply and on new VMs alike:
   * higher job priority first; among equal priorities the shape with the fewest candidate
   * (allocation, flavor) pairs first (a shape no new VM can serve may only use supply and the room
   * left in VMs booted for others, so it goes before shapes that have other options); then the
   * canonical order (largest request first).
   */
  static final Comparator<ShapeDemand> PLANNING =
      Comparator.comparingInt((ShapeDemand d) -> -d.maxPriority)
          .thenComparingInt(d -> d.preferred.size() + d.opportunistic.size())
          .thenComparing((ShapeDemand d) -> d.shape, JobShape.CANONICAL);

  private Shapes() {}

  /**
   * The idle jobs of the index's groups, by group and shape, each group's shapes in {@link #ORDER}.
   * Jobs of an owner their group does not serve, and jobs of groups this engine does not plan
   * for, are not demand: a note says how many were ignored.
   *
   * @param index the snapshot's index (its {@link PlanningIndex#idleTally()} counts the jobs)
   * @param notes where notes go
   * @return the shapes by group (groups by name)
   */
  static Map<GroupName, List<ShapeDemand>> idle(PlanningIndex index, List<String> notes) {
    Tally t = index.idleTally();
    t.unserved.forEach(
        (g, owners) -> {
          int n = 0;
          for (int k : owners.values()) n += k;
          notes.add(
              String.format(
                  "ignored %d idle jobs of %s: their owners %s are not submitters of the group",
                  n, g, first(owners.navigableKeySet())));
        });
    t.unknown.forEach(
        (g, n) -> notes.add(String.format("ignored %d idle jobs of %s: this engine does not plan for that group", n, g)));
    Map<GroupName, List<ShapeDemand>> out = new TreeMap<>();
    for (Count c : t.byShape.values()) {
      ShapeDemand d = new ShapeDemand(c.shape, c.hint);
      d.count = c.count;
      d.remaining = c.count;
      d.maxPriority = c.maxPriority;
      d.patient = c.patient;
      d.runTimes = c.runTimes;
      out.computeIfAbsent(c.shape.group(), k -> new ArrayList<>()).add(d);
    }
    for (List<ShapeDemand> l : out.values()) {
      l.sort(ORDER);
    }
    return out;
  }

  /** The idle jobs of one shape, counted. */
  private static final class Count {
    final JobShape shape;
    final InstanceTypeHint hint;
    int count;
    int maxPriority = Integer.MIN_VALUE;
    /** How many of the jobs have {@link #maxPriority}. */
    int atMax;
    /** learned-run-times only: the jobs' expected run times and how many are patient. */
    @Nullable RunTimeSpread runTimes;
    int patient;

    Count(JobShape shape) {
      this.shape = shape;
      this.hint = InstanceTypeHint.parse(shape.instanceType());
    }

    void add(int priority) {
      count++;
      if (priority > maxPriority) {
        maxPriority = priority;
        atMax = 0;
      }
      if (priority == maxPriority) atMax++;
    }

    /** Takes a job away; false when the highest priority of the rest is not known. */
    boolean remove(int priority) {
      count--;
      return !(priority == maxPriority && --atMax == 0 && count > 0);
    }
  }

  /**
   * A snapshot's idle jobs counted by shape, and those ignored (per group: unserved owners, and
   * jobs of groups this engine does not plan for). Kept by the {@link PlanningIndex} and brought up
   * to date from the difference of the job lists ({@link #update}): a plan then costs what changed,
   * not one pass over every job.
   *
   * <p><b>Thread safety:</b> not thread-safe; one plan's, then handed to the next.
   */
  static final class Tally {
    private final Map<JobShape, Count> byShape = new HashMap<>();
    /** Per group, the owners of its unserved idle jobs with how many each. */
    private final Map<GroupName, TreeMap<String, Integer>> unserved = new TreeMap<>();
    private final Map<GroupName, Integer> unknown = new TreeMap<>();
    /** learned-run-times: the estimator and the earliest queue time of a patient job; else null. */
    private final @Nullable RunTimes runTimes;
    private final Instant patientSince;
    // Jobs come in runs of one shape (one submission is many jobs, and groups interleave): a job
    // of the same shape as its group's job before it is counted without building and hashing its
    // shape, so that most jobs cost no allocation.
    private final Map<GroupName, Count> lastOfGroup = new HashMap<>();
    // a job source shares one group object among many jobs: the group is looked up per object
    private final Map<GroupName, Group> groupOf = new IdentityHashMap<>();

    private Tally(PlanningIndex index) {
      Snapshot s = index.snapshot;
      this.runTimes = s.settings().flavorPolicy().learnsRunTimes() ? s.runTimes() : null;
      this.patientSince = s.now().minus(RunTimes.PATIENCE);
    }

    /**
     * Counts every idle job of the index's snapshot.
     *
     * @param index the index
     * @return the tally
     */
    static Tally of(PlanningIndex index) {
      Tally t = new Tally(index);
      for (Job job : index.snapshot.jobs()) {
        t.add(index, job);
      }
      return t;
    }

    /**
     * The last plan's tally brought up to date (in place) for the index's snapshot, or null when it
     * cannot be: the policy learns run times (expected run times and patience change with time),
     * or a job taken away was the last of its shape's highest priority (the next highest is not
     * known).
     *
     * @param last the last plan's tally, of the same groups
     * @param index the new snapshot's index
     * @param delta the jobs removed and added since
     * @return the tally, or null
     */
    static @Nullable Tally update(Tally last, PlanningIndex index, ListDelta<Job> delta) {
      if (last.runTimes != null || index.snapshot.settings().flavorPolicy().learnsRunTimes()) {
        return null;
      }
      for (Job job : delta.removed()) {
        if (!last.remove(index, job)) {
          return null;
        }
      }
      for (Job job : delta.added()) {
        last.add(index, job);
      }
      return last;
    }

    private @Nullable Group group(PlanningIndex index, GroupName name) {
      Group group = groupOf.get(name);
      if (group == null && !groupOf.containsKey(name)) {
        group = index.group(name);
        if (groupOf.size() < 256) {
          groupOf.put(name, group);
        }
      }
      return group;
    }

    private void add(PlanningIndex index, Job job) {
      if (job.state() != JobState.IDLE) {
        return;
      }
      Group group = group(index, job.group());
      if (group == null) {
        unknown.merge(job.group(), 1, Integer::sum);
        return;
      }
      if (!group.serves(job.owner())) {
        unserved.computeIfAbsent(job.group(), k -> new TreeMap<>()).merge(job.owner(), 1, Integer::sum);
        return;
      }
      Count last = lastOfGroup.get(group.name());
      if (last == null || !last.shape.isShapeOf(job, group)) {
        last = byShape.computeIfAbsent(JobShape.of(job, group), Count::new);
        lastOfGroup.put(group.name(), last);
      }
      last.add(job.priority());
      if (runTimes != null) {
        RunTimeSpread spread = last.runTimes;
        if (spread == null) {
          spread = new RunTimeSpread();
          last.runTimes = spread;
        }
        spread.add(runTimes.expectedSeconds(job));
        if (job.queuedSince().isAfter(patientSince)) {
          last.patient++;
        }
      }
    }

    /** Takes an idle job away; false when the tally can no longer say the shape's maxima. */
    private boolean remove(PlanningIndex index, Job job) {
      if (job.state() != JobState.IDLE) {
        return true;
      }
      Group group = group(index, job.group());
      if (group == null) {
        return decrement(unknown, job.group());
      }
      if (!group.serves(job.owner())) {
        TreeMap<String, Integer> owners = unserved.get(job.group());
        if (owners == null || !decrement(owners, job.owner())) {
          return false;
        }
        if (owners.isEmpty()) {
          unserved.remove(job.group());
        }
        return true;
      }
      JobShape shape = JobShape.of(job, group);
      Count c = byShape.get(shape);
      if (c == null) {
        return false;
      }
      boolean known = c.remove(job.priority());
      if (c.count == 0) {
        byShape.remove(shape);
        lastOfGroup.remove(group.name(), c);
      }
      return known;
    }

    private static <K> boolean decrement(Map<K, Integer> m, K k) {
      Integer n = m.get(k);
      if (n == null) {
        return false;
      }
      if (n == 1) {
        m.remove(k);
      } else {
        m.put(k, n - 1);
      }
      return true;
    }
  }

  private static String first(java.util.Set<String> owners) {
    List<String> l = new ArrayList<>();
    for (String o : owners) {
      if (l.size() == 5) {
        l.add("...");
        break;
      }
      l.add(o);
    }
    return l.toString();
  }
}

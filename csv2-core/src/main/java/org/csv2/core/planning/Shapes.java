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
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobState;

/** Groups idle jobs by shape in one pass. */
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
   * @param index the snapshot's index
   * @param notes where notes go
   * @return the shapes by group (groups by name)
   */
  static Map<GroupName, List<ShapeDemand>> idle(PlanningIndex index, List<String> notes) {
    Map<JobShape, ShapeDemand> byShape = new HashMap<>();
    Map<GroupName, TreeSet<String>> unservedOwners = new TreeMap<>();
    Map<GroupName, Integer> unserved = new TreeMap<>();
    Map<GroupName, Integer> unknown = new TreeMap<>();
    // Jobs come in runs of one shape (one submission is many jobs, and groups interleave): a job
    // of the same shape as its group's job before it is counted without building and hashing its
    // shape, so that most jobs cost no allocation.
    Map<GroupName, ShapeDemand> lastOfGroup = new HashMap<>();
    // a job source shares one group object among many jobs: the group is looked up per object
    Map<GroupName, Group> groupOf = new IdentityHashMap<>();
    // the learned-run-times policy: each shape's expected run times and its patient jobs
    RunTimes runTimes = index.snapshot.settings().flavorPolicy().learnsRunTimes() ? index.snapshot.runTimes() : null;
    java.time.Instant patientSince = index.snapshot.now().minus(RunTimes.PATIENCE);
    for (Job job : index.snapshot.jobs()) {
      if (job.state() != JobState.IDLE) {
        continue;
      }
      Group group = groupOf.get(job.group());
      if (group == null && !groupOf.containsKey(job.group())) {
        group = index.group(job.group());
        if (groupOf.size() < 256) {
          groupOf.put(job.group(), group);
        }
      }
      if (group == null) {
        unknown.merge(job.group(), 1, Integer::sum);
        continue;
      }
      if (!group.serves(job.owner())) {
        unserved.merge(job.group(), 1, Integer::sum);
        unservedOwners.computeIfAbsent(job.group(), k -> new TreeSet<>()).add(job.owner());
        continue;
      }
      ShapeDemand last = lastOfGroup.get(group.name());
      if (last == null || !last.shape.isShapeOf(job, group)) {
        last = byShape.computeIfAbsent(JobShape.of(job, group), ShapeDemand::new);
        lastOfGroup.put(group.name(), last);
      }
      last.add(job.priority(), job.queuedSince());
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
    unserved.forEach(
        (g, n) ->
            notes.add(
                String.format(
                    "ignored %d idle jobs of %s: their owners %s are not submitters of the group",
                    n, g, first(unservedOwners.get(g)))));
    unknown.forEach(
        (g, n) -> notes.add(String.format("ignored %d idle jobs of %s: this engine does not plan for that group", n, g)));
    Map<GroupName, List<ShapeDemand>> out = new TreeMap<>();
    for (ShapeDemand d : byShape.values()) {
      out.computeIfAbsent(d.shape.group(), k -> new ArrayList<>()).add(d);
    }
    for (List<ShapeDemand> l : out.values()) {
      l.sort(ORDER);
    }
    return out;
  }

  private static String first(TreeSet<String> owners) {
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

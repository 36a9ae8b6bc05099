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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobState;
import org.csv2.model.Resources;

/**
 * Cores that running jobs are expected to free within {@link RunTimes#HORIZON} (about a boot),
 * offered as supply to idle jobs that have waited less than {@link RunTimes#PATIENCE}: a burst of
 * short jobs waits for VMs about to free up instead of booting more. Used by the {@code
 * learned-run-times} policy only.
 *
 * <p>The job source does not say which VM a job runs on, so a running job ending soon stands for
 * a slot of its own request, on a VM its own shape could use: an idle job may take it when it is
 * of the same group, alias, explicit clouds, image and instance-type hint, and its request fits
 * in what is left of the slot (several small jobs may share a large slot). A job queued longer
 * than the patience is planned for as without run times, so a wrong estimate delays a job by at
 * most that.
 *
 * <p><b>Thread safety:</b> not thread-safe; one plan's.
 */
final class SoonFree {
  private static final class Slot {
    final JobShape shape;
    Resources free;

    Slot(JobShape shape) {
      this.shape = shape;
      this.free = shape.request();
    }
  }

  private final Map<GroupName, List<Slot>> byGroup = new HashMap<>();
  private int slots;
  /** The first instant at which the same inputs may offer other slots or other patient jobs. */
  private java.time.Instant due = java.time.Instant.MAX;

  /**
   * The running jobs of the held groups expected to end soon.
   *
   * @param index the snapshot's index
   */
  SoonFree(PlanningIndex index) {
    Snapshot s = index.snapshot;
    RunTimes rt = s.runTimes();
    if (!s.settings().flavorPolicy().learnsRunTimes() || rt == RunTimes.none()) {
      return;
    }
    java.time.Instant now = s.now();
    for (Job j : s.jobs()) {
      if (j.state() == JobState.IDLE) {
        java.time.Instant impatient = j.queuedSince().plus(RunTimes.PATIENCE);
        if (impatient.isAfter(now) && impatient.isBefore(due)) {
          due = impatient;
        }
        continue;
      }
      if (j.state() != JobState.RUNNING) {
        continue;
      }
      java.time.Instant change = rt.nextChange(j, now);
      if (change != null && change.isBefore(due)) {
        due = change;
      }
      if (!rt.endsSoon(j, now)) {
        continue;
      }
      Group g = index.group(j.group());
      if (g == null || !g.serves(j.owner())) {
        continue;
      }
      byGroup.computeIfAbsent(j.group(), k -> new ArrayList<>()).add(new Slot(JobShape.of(j, g)));
      slots++;
    }
    // the largest slots first, so that wide jobs find wide slots (first-fit decreasing)
    byGroup.values().forEach(l -> l.sort((a, b) -> JobShape.CANONICAL.compare(a.shape, b.shape)));
  }

  /**
   * Until when the same inputs give the same slots and the same patient jobs: the next time a
   * running job's expected end enters or leaves the horizon, or an idle job's patience runs out.
   *
   * @return that instant, {@link java.time.Instant#MAX} when nothing is timed
   */
  java.time.Instant due() {
    return due;
  }

  /**
   * Whether any running job is expected to end soon.
   *
   * @return true when there is nothing to offer
   */
  boolean isEmpty() {
    return slots == 0;
  }

  /**
   * Places the patient remaining jobs of a group's shapes, in the given (planning) order, on the
   * slots; each shape's {@code remaining} and {@code onSupply} count them, {@code onSoonFree} too.
   * Every call starts from the full slots, so it can be repeated on every settling round.
   *
   * @param group the group
   * @param shapes its shapes in planning order
   */
  void packAll(GroupName group, List<ShapeDemand> shapes) {
    List<Slot> l = byGroup.get(group);
    for (ShapeDemand d : shapes) {
      d.onSoonFree = 0;
    }
    if (l == null) {
      return;
    }
    for (Slot s : l) {
      s.free = s.shape.request();
    }
    for (ShapeDemand d : shapes) {
      int may = Math.min(d.remaining, d.patient);
      Resources r = d.shape.request();
      for (int i = 0; i < l.size() && may > 0; i++) {
        Slot s = l.get(i);
        if (!sameTarget(s.shape, d.shape) || !r.fitsIn(s.free)) {
          continue;
        }
        int n = Math.min(may, s.free.howMany(r));
        s.free = s.free.minus(r.times(n));
        may -= n;
        d.remaining -= n;
        d.onSupply += n;
        d.onSoonFree += n;
      }
    }
  }

  private static boolean sameTarget(JobShape a, JobShape b) {
    return a.group().equals(b.group())
        && Objects.equals(a.alias(), b.alias())
        && a.clouds().equals(b.clouds())
        && Objects.equals(a.image(), b.image())
        && Objects.equals(a.instanceType(), b.instanceType());
  }
}

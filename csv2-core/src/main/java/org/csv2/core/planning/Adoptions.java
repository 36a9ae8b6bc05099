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
import java.util.List;
import org.csv2.model.Adopt;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceState;
import org.csv2.model.PlanAction;
import org.csv2.spi.Csv2Tags;

/**
 * Instances on a reachable cloud that carry this engine's instance id and the group tag of a group
 * this engine holds, but whose name is no live VM of the snapshot: a crash between a boot call and
 * the write of its outcome, or an instance that outlived its VM record (a TERMINATED record, e.g.
 * a boot reply that surfaced after the record was closed as "boot never answered"). They are
 * adopted (the executor records them, reviving a TERMINATED record) rather than leaked. Instances
 * of groups this engine does not hold are another engine's business and are left alone, as are
 * instances already terminating or terminated; marking vanished VMs TERMINATED is the
 * reconciler's job, not the planner's.
 */
final class Adoptions {
  private Adoptions() {}

  static void plan(PlanningIndex index, List<PlanAction> out, List<String> notes) {
    String self = index.snapshot.settings().instanceId();
    for (CloudView view : index.clouds.values()) {
      if (!view.reachable()) {
        continue;
      }
      // the instances of known VMs are skipped before the sort: each cycle sorts only orphans
      List<Instance> instances = new ArrayList<>();
      for (Instance i : view.instances()) {
        if (i.state() != InstanceState.TERMINATED
            && i.state() != InstanceState.TERMINATING
            && !index.knownVms.contains(i.name())
            && self.equals(i.tags().get(Csv2Tags.INSTANCE_ID))) {
          instances.add(i);
        }
      }
      instances.sort(Comparator.comparing(Instance::name).thenComparing(i -> i.id().toString()));
      for (Instance i : instances) {
        String cloud = view.cloud().name().value();
        String tag = i.tags().get(Csv2Tags.GROUP);
        if (tag == null) {
          notes.add("instance " + i.name() + " on " + cloud + " carries this engine's tag but no group tag: not adopted");
          continue;
        }
        GroupName group;
        try {
          group = GroupName.of(tag);
        } catch (IllegalArgumentException e) {
          notes.add("instance " + i.name() + " on " + cloud + " has an invalid group tag '" + tag + "': not adopted");
          continue;
        }
        if (!index.holds(group)) {
          notes.add("instance " + i.name() + " on " + cloud + " belongs to group " + group + ", which this engine does not plan for: not adopted");
          continue;
        }
        out.add(
            new Adopt(
                view.cloud().name(),
                group,
                i,
                "adopt " + i.name() + " on " + cloud + ": it carries this engine's tag ("
                    + Csv2Tags.INSTANCE_ID + "=" + self + ") and group " + group
                    + (index.terminatedVms.contains(i.name())
                        ? " and is " + i.state() + " but its VM record is TERMINATED (it outlived"
                            + " its record, e.g. a boot reply that came late)"
                        : " but no VM record (a boot whose outcome was not recorded)")));
      }
    }
  }
}

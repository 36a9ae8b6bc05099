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
import java.util.List;
import org.csv2.model.Adopt;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceState;
import org.csv2.model.PlanAction;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.csv2.spi.Csv2Tags;
import org.jspecify.annotations.Nullable;

/**
 * Instances on a reachable cloud that carry this engine's instance id and the group tag of a group
 * this engine holds, but whose name is no live VM of the snapshot: a crash between a boot call and
 * the write of its outcome, or an instance that outlived its VM record (a TERMINATED record, e.g.
 * a boot reply that surfaced after the record was closed as "boot never answered"). They are
 * adopted (the executor records them, reviving a TERMINATED record) rather than leaked. Instances
 * of groups this engine does not hold are another engine's business and are left alone, as are
 * instances already terminating or terminated; marking vanished VMs TERMINATED is the
 * reconciler's job, not the planner's.
 *
 * <p>An instance adopted in a cycle is capacity in that same cycle: the planning index adds the
 * record its adoption will write ({@link #asVm}) to the VMs it plans with, so the cycle that adopts
 * a starting VM does not boot another one for the same jobs (after a restart over a store that lost
 * its records, for instance). The retirement rules leave such a VM alone until it is recorded.
 */
public final class Adoptions {
  private Adoptions() {}

  /** An instance to adopt, with the group its tag names. */
  record Orphan(CloudView view, Instance instance, GroupName group) {}

  /**
   * Adds the index's adoptions ({@link PlanningIndex#orphans}) and its notes on instances left
   * alone.
   */
  static void plan(PlanningIndex index, List<PlanAction> out, List<String> notes) {
    String self = index.snapshot.settings().instanceId();
    notes.addAll(index.orphanNotes);
    for (Orphan o : index.orphans) {
      Instance i = o.instance();
      String cloud = o.view().cloud().name().value();
      out.add(
          new Adopt(
              o.view().cloud().name(),
              o.group(),
              i,
              "adopt " + i.name() + " on " + cloud + ": it carries this engine's tag ("
                  + Csv2Tags.INSTANCE_ID + "=" + self + ") and group " + o.group()
                  + (index.terminatedVms.contains(i.name())
                      ? " and is " + i.state() + " but its VM record is TERMINATED (it outlived"
                          + " its record, e.g. a boot reply that came late)"
                      : " but no VM record (a boot whose outcome was not recorded)")));
    }
  }

  /**
   * A cloud's instances that may be orphans: live (neither terminating nor terminated), tagged
   * with this engine's id, and named after no known VM.
   *
   * @param view the cloud
   * @param known the names of the live VM records
   * @param self this engine's instance id
   * @return them, in the cloud's order
   */
  static List<Instance> candidates(CloudView view, java.util.Set<org.csv2.model.VmId> known, String self) {
    List<Instance> out = new ArrayList<>();
    for (Instance i : view.instances()) {
      if (i.state() != InstanceState.TERMINATED
          && i.state() != InstanceState.TERMINATING
          && !known.contains(i.name())
          && self.equals(i.tags().get(Csv2Tags.INSTANCE_ID))) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * The instances to adopt, by cloud then name, from the index's candidates ({@link
   * PlanningIndex#unknownInstances}); the ones left alone are explained in {@code notes}.
   */
  static List<Orphan> find(PlanningIndex index, List<String> notes) {
    List<Orphan> out = new ArrayList<>();
    for (CloudView view : index.clouds.values()) {
      if (!view.reachable()) {
        continue;
      }
      List<Instance> instances = index.unknownInstances(view.cloud().name());
      if (instances.isEmpty()) {
        continue;
      }
      instances = new ArrayList<>(instances);
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
        out.add(new Orphan(view, i, group));
      }
    }
    return out;
  }

  /**
   * The state an adopted instance is recorded in.
   *
   * @param state the instance's state on its cloud
   * @return the VM's state
   */
  public static VmState adoptedState(InstanceState state) {
    return switch (state) {
      case PENDING, UNKNOWN -> VmState.BOOTING;
      case ACTIVE -> VmState.UNREGISTERED;
      case ERROR, STOPPED -> VmState.ERROR;
      case TERMINATING, TERMINATED -> VmState.TERMINATING;
    };
  }

  /**
   * The VM record the adoption of an instance writes (the executor writes the same one).
   *
   * @param instance the instance
   * @param group the group its tag names
   * @param cloud its cloud
   * @param flavor its flavor as the cloud lists it, or null when not listed (no resources then)
   * @param now the cycle's time
   * @param why the reason recorded with the state
   * @return the record
   */
  public static Vm asVm(Instance instance, GroupName group, CloudName cloud, @Nullable Flavor flavor, Instant now, String why) {
    Instant created = instance.launchedAt() != null && !instance.launchedAt().isAfter(now) ? instance.launchedAt() : now;
    return Vm.builder(instance.name(), group, cloud, instance.flavor(), created)
        .resources(flavor == null ? Resources.ZERO : flavor.resources())
        .pricePerHour(flavor == null ? 0 : flavor.pricePerHour())
        .image(instance.tag("csv2-image").orElse(""))
        .instanceId(instance.id())
        .build()
        .withState(adoptedState(instance.state()), now, why);
  }
}

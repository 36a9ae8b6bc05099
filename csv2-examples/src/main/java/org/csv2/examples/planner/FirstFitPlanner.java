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
package org.csv2.examples.planner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.csv2.model.Allocation;
import org.csv2.model.Boot;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobState;
import org.csv2.model.Limits;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import org.csv2.model.Resources;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.csv2.model.Worker;
import org.csv2.spi.CloudObservation;
import org.csv2.spi.PlanningPolicy;
import org.csv2.spi.PlanningView;

/**
 * First fit: terminates VMs in ERROR and retired VMs whose worker runs nothing, retires idle VMs
 * of groups without idle jobs, and boots one VM per idle job not already covered by a starting or
 * idle VM, on the first allocation (by priority) whose cloud is reachable and has room under its
 * quota and the allocation's caps. VMs under manual control are counted and never acted on.
 * Stateless and deterministic.
 */
final class FirstFitPlanner implements PlanningPolicy {
  /** States whose VM will take an idle job (or is about to). */
  private static final Set<VmState> SUPPLY =
      EnumSet.of(VmState.REQUESTED, VmState.BOOTING, VmState.UNREGISTERED, VmState.IDLE);

  @Override
  public Plan plan(PlanningView view) {
    List<PlanAction> actions = new ArrayList<>();
    Map<GroupName, Long> idleJobs = new HashMap<>();
    for (Job j : view.jobs()) {
      if (j.state() == JobState.IDLE) {
        idleJobs.merge(j.group(), 1L, Long::sum);
      }
    }
    Map<String, Worker> workers = new HashMap<>();
    view.workers().forEach(w -> workers.put(w.vm().value(), w));
    Set<GroupName> planned = new java.util.HashSet<>();
    view.groups().forEach(g -> planned.add(g.name()));
    for (Vm vm : view.vms()) {
      if (vm.manual() || !planned.contains(vm.group())) {
        continue;
      }
      Worker w = workers.get(vm.id().value());
      if (vm.state() == VmState.ERROR) {
        actions.add(new Terminate(vm.id(), "first-fit: " + vm.id() + " is in ERROR"));
      } else if (vm.state() == VmState.RETIRING && (w == null || w.runningJobs() == 0)) {
        actions.add(new Terminate(vm.id(), "first-fit: " + vm.id() + " is retired and runs no job"));
      } else if (vm.state() == VmState.IDLE && idleJobs.getOrDefault(vm.group(), 0L) == 0) {
        actions.add(new Retire(vm.id(), "first-fit: " + vm.id() + " is idle and " + vm.group() + " has no idle job"));
      }
    }
    Ledger ledger = new Ledger(view);
    for (Group g : view.groups()) {
      long supply = view.vms().stream().filter(v -> v.group().equals(g.name()) && SUPPLY.contains(v.state())).count();
      List<Job> waiting =
          view.jobs().stream()
              .filter(j -> j.group().equals(g.name()) && j.state() == JobState.IDLE)
              .sorted(Comparator.comparing(j -> j.id().value()))
              .skip(supply)
              .toList();
      Map<String, Boot> boots = new LinkedHashMap<>();
      for (Job job : waiting) {
        place(view, g, job.request(), ledger).ifPresent(p -> boots.merge(
            p.cloud() + "/" + p.flavor().name(),
            boot(g, p, 1),
            (a, b) -> boot(g, p, a.count() + 1)));
      }
      actions.addAll(boots.values());
    }
    return new Plan(view.now(), actions, List.of());
  }

  private static Boot boot(Group g, Placement p, int count) {
    String image = g.vmDefaults().image() != null ? g.vmDefaults().image() : p.image();
    return new Boot(g.name(), p.cloud(), p.flavor().name(), image, null, count, count, null, List.of(), 0,
        String.format("first-fit: %d idle job(s) of %s, one %s VM each on %s", count, g.name(), p.flavor().name(), p.cloud()));
  }

  private static Optional<Placement> place(PlanningView view, Group g, Resources request, Ledger ledger) {
    List<Allocation> allocations =
        view.allocations().stream()
            .filter(a -> a.group().equals(g.name()) && a.enabled())
            .sorted(Comparator.comparingInt(Allocation::priority).thenComparing(a -> a.cloud().value()))
            .toList();
    for (Allocation a : allocations) {
      CloudObservation cloud = ledger.clouds.get(a.cloud());
      if (cloud == null || !cloud.reachable() || !cloud.cloud().enabled() || cloud.images().isEmpty()) {
        continue;
      }
      Optional<Flavor> flavor =
          cloud.flavors().stream()
              .filter(f -> f.available() && f.resources().cores() >= request.cores() && f.resources().ramMiB() >= request.ramMiB())
              .filter(f -> !a.excludedFlavors().contains(f.name()))
              .min(Comparator.<Flavor>comparingInt(f -> f.resources().cores())
                  .thenComparingLong(f -> f.resources().ramMiB())
                  .thenComparing(f -> f.name().value()));
      if (flavor.isPresent() && ledger.take(a, flavor.get().resources())) {
        return Optional.of(new Placement(a.cloud(), flavor.get(), cloud.images().get(0).id()));
      }
    }
    return Optional.empty();
  }

  private record Placement(CloudName cloud, Flavor flavor, String image) {}

  /** What the plan has taken so far of each cloud's quota and each allocation's caps. */
  private static final class Ledger {
    final Map<CloudName, CloudObservation> clouds = new LinkedHashMap<>();
    private final Map<CloudName, Limits> used = new HashMap<>();
    private final Map<String, Limits> allocated = new HashMap<>();

    Ledger(PlanningView view) {
      for (CloudObservation c : view.clouds()) {
        clouds.put(c.cloud().name(), c);
        used.put(c.cloud().name(), c.capacity().used());
      }
      for (Vm v : view.vms()) {
        if (v.state() != VmState.TERMINATED) {
          allocated.merge(v.group() + "/" + v.cloud(), Limits.of(v.resources()), Limits::plus);
        }
      }
    }

    /** Takes one VM of {@code size} under the allocation, if the cloud and the allocation have room. */
    boolean take(Allocation a, Resources size) {
      Limits one = Limits.of(size);
      Limits cloudAfter = used.get(a.cloud()).plus(one);
      Limits max = clouds.get(a.cloud()).capacity().max();
      String key = a.group() + "/" + a.cloud();
      Limits allocAfter = allocated.getOrDefault(key, Limits.ZERO).plus(one);
      boolean fits =
          within(cloudAfter.cores(), max.cores())
              && within(cloudAfter.ramMiB(), max.ramMiB())
              && within(cloudAfter.instances(), max.instances())
              && within(allocAfter.cores(), a.coresCtl())
              && within(allocAfter.ramMiB(), a.ramCtlMiB());
      if (fits) {
        used.put(a.cloud(), cloudAfter);
        allocated.put(key, allocAfter);
      }
      return fits;
    }

    private static boolean within(long value, long limit) {
      return limit < 0 || value <= limit;
    }
  }
}

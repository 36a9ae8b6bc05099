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

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.model.AllocationMode;
import org.csv2.model.Boot;
import org.csv2.model.GroupName;
import org.csv2.model.Limits;
import org.csv2.model.OpportunisticPolicy;
import org.csv2.model.Plan;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.csv2.spi.OpportunisticMetadata;
import org.junit.jupiter.api.Test;

/** What a cloud's administrators allow opportunistic groups (docs/opportunistic.md), in both planners. */
class AdministratorPolicyTest {
  private static final Resources F8 = Resources.of(8, 16384, 20);
  private final Planner planner = new DefaultPlanner();

  /** cms preferred, lhcb (and belle) opportunistic on arbutus, no quota. */
  private static World world() {
    World w = new World().group("cms").group("lhcb").group("belle")
        .alloc("cms", "arbutus", 0)
        .alloc(World.allocation("lhcb", "arbutus", 0, -1, -1, -1, AllocationMode.OPPORTUNISTIC, Set.of(), true))
        .alloc(World.allocation("belle", "arbutus", 0, -1, -1, -1, AllocationMode.OPPORTUNISTIC, Set.of(), true));
    w.cloud("arbutus").flavor("c8", 8, 16384, 0.08);
    return w;
  }

  private static OpportunisticPolicy policy(Map<String, String> m) {
    return OpportunisticMetadata.parse(m, "project properties of p");
  }

  private static int vms(Plan p, String group) {
    return p.boots().stream().filter(b -> b.group().value().equals(group)).mapToInt(Boot::count).sum();
  }

  @Test
  void withoutMetadataCsv2sConfigurationAloneApplies() {
    World w = world();
    w.idle("lhcb", 64, 1, 1000);
    Plan p = planner.plan(w.snapshot());
    assertThat(vms(p, "lhcb")).isEqualTo(8);
    assertThat(p.notes()).noneMatch(n -> n.contains("administrators"));
  }

  @Test
  void theCoreCapHoldsAcrossOpportunisticGroupsButNotPreferredOnes() {
    World w = world();
    w.cloud("arbutus").opportunistic = policy(Map.of(OpportunisticMetadata.CORES, "40", OpportunisticMetadata.INSTANCES, "4"));
    w.vm("belle", "arbutus", "c8", F8, VmState.BOOTING, Duration.ofMinutes(1));
    w.idle("lhcb", 64, 1, 1000).idle("cms", 64, 1, 1000);
    for (Planner pl : List.of(planner, new ClassicPlanner())) {
      Plan p = pl.plan(w.snapshot());
      assertThat(vms(p, "lhcb")).as(pl.getClass().getSimpleName()).isLessThanOrEqualTo(3); // 4 VMs - belle's one
      assertThat(p.notes()).anyMatch(n -> n.contains("arbutus: administrators allow opportunistic use 40 cores, 4 VMs"));
    }
    Plan p = planner.plan(w.snapshot());
    assertThat(vms(p, "lhcb")).isEqualTo(3);
    assertThat(vms(p, "cms")).isEqualTo(8);
    assertThat(p.retirements()).isEmpty();
  }

  @Test
  void groupsTheAdministratorsDoNotAllowBootNothingAndDrainPeacefully() {
    World w = world();
    w.cloud("arbutus").opportunistic = policy(Map.of(OpportunisticMetadata.GROUPS, "lhcb"));
    Vm busy = w.vm("belle", "arbutus", "c8", F8, VmState.RUNNING, Duration.ofHours(1));
    w.worker(busy, F8, 8);
    w.idle("belle", 16, 1, 1000).idle("lhcb", 8, 1, 1000);
    Plan p = planner.plan(w.snapshot());
    assertThat(vms(p, "belle")).isZero();
    assertThat(vms(p, "lhcb")).isEqualTo(1);
    assertThat(p.terminations()).isEmpty();
    assertThat(p.retirements()).singleElement().satisfies(r -> {
      assertThat(r.vm()).isEqualTo(busy.id());
      assertThat(r.reason()).contains("administrators of arbutus do not allow opportunistic group belle");
    });
  }

  @Test
  void aLoweredCapShedsOnceForAllGroupsIdleAndNewestFirst() {
    World w = world();
    Vm[] lhcb = new Vm[3];
    Vm[] belle = new Vm[3];
    for (int i = 0; i < 3; i++) {
      lhcb[i] = w.vm("lhcb", "arbutus", "c8", F8, VmState.RUNNING, Duration.ofHours(3 - i));
      w.worker(lhcb[i], F8, 8);
      belle[i] = w.vm("belle", "arbutus", "c8", F8, VmState.RUNNING, Duration.ofHours(10 - i));
      w.worker(belle[i], F8, 8);
    }
    Vm cmsVm = w.vm("cms", "arbutus", "c8", F8, VmState.IDLE, Duration.ofMinutes(5));
    w.add(cmsVm.toBuilder().lastBusyAt(World.NOW).build());
    w.worker(cmsVm, Resources.ZERO, 0);
    w.cloud("arbutus").opportunistic = policy(Map.of(OpportunisticMetadata.CORES, "32"));
    Plan p = planner.plan(w.snapshot());
    // 48 cores held, 32 allowed: two VMs go, the newest (lhcb's) first, each group counted once
    assertThat(p.retirements()).hasSize(2);
    assertThat(p.retirements()).allSatisfy(r -> assertThat(r.reason()).contains("allow opportunistic groups 32 cores"));
    assertThat(p.retirements().stream().map(r -> r.vm()).toList()).containsExactlyInAnyOrder(lhcb[2].id(), lhcb[1].id());
    // next cycle: they are leaving, nothing more goes
    World later = w;
    later.add(lhcb[2].toBuilder().state(VmState.RETIRING).lastAttemptAt(World.NOW).build());
    later.add(lhcb[1].toBuilder().state(VmState.RETIRING).lastAttemptAt(World.NOW).build());
    assertThat(planner.plan(later.snapshot()).retirements()).isEmpty();
  }

  @Test
  void aReclaimDrainsEveryOpportunisticVmAndTerminatesWhatIsLeftBeforeTheDeadline() {
    World w = world();
    Vm idle = w.vm("lhcb", "arbutus", "c8", F8, VmState.IDLE, Duration.ofMinutes(30));
    w.add(idle.toBuilder().lastBusyAt(World.NOW.minusSeconds(10)).build());
    w.worker(idle, Resources.ZERO, 0);
    Vm busy = w.vm("lhcb", "arbutus", "c8", F8, VmState.RUNNING, Duration.ofHours(1));
    w.worker(busy, F8, 8);
    Vm booting = w.vm("belle", "arbutus", "c8", F8, VmState.BOOTING, Duration.ofMinutes(2));
    Vm preferred = w.vm("cms", "arbutus", "c8", F8, VmState.RUNNING, Duration.ofHours(1));
    w.worker(preferred, F8, 8);
    w.idle("lhcb", 16, 1, 1000);
    Instant deadline = World.NOW.plus(Duration.ofHours(1));
    w.cloud("arbutus").opportunistic =
        policy(Map.of(OpportunisticMetadata.RECLAIM, "true", OpportunisticMetadata.RECLAIM_DEADLINE, deadline.toString()));
    Plan p = planner.plan(w.snapshot());
    assertThat(p.boots()).isEmpty();
    assertThat(p.retirements().stream().map(r -> r.vm()).toList()).containsExactlyInAnyOrder(idle.id(), busy.id());
    assertThat(p.terminations()).singleElement().satisfies(t -> assertThat(t.vm()).isEqualTo(booting.id()));
    assertThat(p.retirements()).allSatisfy(r -> assertThat(r.reason()).contains("reclaim opportunistic capacity by " + deadline));

    // shortly before the deadline the one still draining is terminated, jobs or not
    World late = w;
    late.now = deadline.minus(Retirements.reclaimLead(late.settings.timers())).plusSeconds(1);
    late.add(busy.toBuilder().state(VmState.RETIRING).lastAttemptAt(World.NOW).build());
    late.vms.removeIf(v -> v.id().equals(idle.id()) || v.id().equals(booting.id()));
    Plan end = planner.plan(late.snapshot());
    assertThat(end.terminations()).singleElement().satisfies(t -> {
      assertThat(t.vm()).isEqualTo(busy.id());
      assertThat(t.reason()).contains("running jobs are cut short");
    });
    assertThat(end.terminations()).noneMatch(t -> t.vm().equals(preferred.id()));
    assertThat(end.retirements()).isEmpty();
  }

  @Test
  void aReclaimWithoutDeadlineNeverCutsJobsShort() {
    World w = world();
    Vm busy = w.vm("lhcb", "arbutus", "c8", F8, VmState.RETIRING, Duration.ofHours(30));
    w.add(busy.toBuilder().lastAttemptAt(World.NOW.minusSeconds(30)).build());
    w.worker(busy, F8, 8);
    w.cloud("arbutus").opportunistic = policy(Map.of(OpportunisticMetadata.RECLAIM, "yes"));
    Plan p = planner.plan(w.snapshot());
    assertThat(p.terminations()).isEmpty();
    assertThat(p.notes()).anyMatch(n -> n.contains("drain peacefully"));
  }

  @Test
  void malformedMetadataIsNotedAndStopsOpportunisticBoots() {
    World w = world();
    w.cloud("arbutus").opportunistic = policy(Map.of(OpportunisticMetadata.CORES, "lots"));
    w.idle("lhcb", 8, 1, 1000).idle("cms", 8, 1, 1000);
    Plan p = planner.plan(w.snapshot());
    assertThat(vms(p, "lhcb")).isZero();
    assertThat(vms(p, "cms")).isEqualTo(1);
    assertThat(p.notes()).anyMatch(n -> n.contains("csv2-opportunistic-cores 'lots'"));
  }

  @Test
  void anUnreachableCloudsPolicyShedsNothing() {
    World w = world();
    Vm busy = w.vm("lhcb", "arbutus", "c8", F8, VmState.RUNNING, Duration.ofHours(1));
    w.worker(busy, F8, 8);
    w.cloud("arbutus").opportunistic =
        new OpportunisticPolicy(true, 0, Limits.UNLIMITED, Set.of(GroupName.of("cms")), false, null, "test", List.of());
    w.cloud("arbutus").reachable = false;
    assertThat(planner.plan(w.snapshot()).retirements()).isEmpty();
  }

  @Test
  void aGiveBackGraceTerminatesOpportunisticVmsStillDrainingForAWaitingPreferredGroup() {
    World w = new World().group("cms").group("lhcb")
        .alloc("cms", "arbutus", 0)
        .alloc(World.allocation("lhcb", "arbutus", 0, -1, -1, -1, AllocationMode.OPPORTUNISTIC, Set.of(), true));
    w.cloud("arbutus").flavor("c8", 8, 16384, 0.08).quota(16, -1, -1).used(16, 2 * 16384, 2);
    Vm draining = w.vm("lhcb", "arbutus", "c8", F8, VmState.RETIRING, Duration.ofSeconds(30));
    w.add(draining.toBuilder().lastAttemptAt(World.NOW.minusSeconds(30)).build());
    w.worker(draining, F8, 8);
    Vm busy = w.vm("lhcb", "arbutus", "c8", F8, VmState.RUNNING, Duration.ofHours(1));
    w.worker(busy, F8, 8);
    w.idle("cms", 8, 1, 1000);
    assertThat(planner.plan(w.snapshot()).terminations()).as("no grace: drain only").isEmpty();

    w.settings = w.settings.withTimers(w.settings.timers().withGiveBackGrace(Duration.ofSeconds(20)));
    Plan p = planner.plan(w.snapshot());
    assertThat(p.terminations()).singleElement().satisfies(t -> {
      assertThat(t.vm()).isEqualTo(draining.id());
      assertThat(t.reason()).contains("give-back-grace 20s", "preferred cms wait", "running jobs are cut short");
    });
    assertThat(p.retirements()).as("the need is covered by the one going away").isEmpty();

    w.settings = w.settings.withTimers(w.settings.timers().withGiveBackGrace(Duration.ofMinutes(5)));
    assertThat(planner.plan(w.snapshot()).terminations()).as("within the grace").isEmpty();
  }

  @Test
  void aZeroGiveBackGracePreemptsAtOnce() {
    World w = new World().group("cms").group("lhcb")
        .alloc("cms", "arbutus", 0)
        .alloc(World.allocation("lhcb", "arbutus", 0, -1, -1, -1, AllocationMode.OPPORTUNISTIC, Set.of(), true));
    w.cloud("arbutus").flavor("c8", 8, 16384, 0.08).quota(16, -1, -1).used(16, 2 * 16384, 2);
    Vm older = w.vm("lhcb", "arbutus", "c8", F8, VmState.RUNNING, Duration.ofHours(2));
    w.worker(older, F8, 8);
    Vm newer = w.vm("lhcb", "arbutus", "c8", F8, VmState.RUNNING, Duration.ofHours(1));
    w.worker(newer, F8, 8);
    w.idle("cms", 8, 1, 1000);
    w.settings = w.settings.withTimers(w.settings.timers().withGiveBackGrace(Duration.ZERO));
    Plan p = planner.plan(w.snapshot());
    assertThat(p.retirements()).isEmpty();
    assertThat(p.terminations()).singleElement().satisfies(t -> {
      assertThat(t.vm()).isEqualTo(newer.id());
      assertThat(t.reason()).contains("give-back-grace 0s: preempted", "8 running jobs are cut short");
    });
    assertThat(vms(p, "cms")).as("cms boots into the room in the same plan, not a cycle later").isEqualTo(1);
    assertThat(vms(p, "lhcb")).as("the room does not go back to the opportunistic group").isZero();
    assertThat(p.notes()).anyMatch(n -> n.contains("1 VMs of cms booked into the room of 1 opportunistic VMs terminated for them"));

    // The next cycle: the preempted VM is TERMINATING, cms's VM BOOTING; the cloud still counts both.
    World next = new World().group("cms").group("lhcb")
        .alloc("cms", "arbutus", 0)
        .alloc(World.allocation("lhcb", "arbutus", 0, -1, -1, -1, AllocationMode.OPPORTUNISTIC, Set.of(), true));
    next.cloud("arbutus").flavor("c8", 8, 16384, 0.08).quota(16, -1, -1).used(24, 3 * 16384, 3);
    Vm stays = next.vm("lhcb", "arbutus", "c8", F8, VmState.RUNNING, Duration.ofHours(2));
    next.worker(stays, F8, 8);
    next.vm("lhcb", "arbutus", "c8", F8, VmState.TERMINATING, Duration.ofSeconds(10));
    next.vm("cms", "arbutus", "c8", F8, VmState.BOOTING, Duration.ofSeconds(10));
    next.idle("cms", 8, 1, 1000);
    next.settings = next.settings.withTimers(next.settings.timers().withGiveBackGrace(Duration.ZERO));
    Plan after = planner.plan(next.snapshot());
    assertThat(after.retirements()).as("cms is not over its limits for a VM on its way out").isEmpty();
    assertThat(after.terminations()).as("nothing more is preempted: cms's jobs have their VM").isEmpty();
    assertThat(after.boots()).as("and nothing booted twice").isEmpty();
  }
}

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.model.Allocation;
import org.csv2.model.AllocationMode;
import org.csv2.model.CloudCapacity;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.junit.jupiter.api.Test;

class CapacityLedgerTest {
  private static final GroupName ATLAS = GroupName.of("atlas");
  private static final GroupName BELLE = GroupName.of("belle");
  private static final CloudName ARBUTUS = CloudName.of("arbutus");

  /**
   * One row: a cloud's quota and reported usage, the group's controls, this engine's VMs, and the
   * room the formula must give. The numbers are production-like: a 400-core/1.5 TiB project
   * shared by atlas (8-core VMs), belle (another group of the engine) and other tenants.
   */
  record Row(
      String what,
      Limits quota,
      Limits reported,
      int coresCtl,
      int softmax,
      long ramCtl,
      int atlasRunning,
      int atlasRequested,
      int belleRunning,
      long cores,
      long ram,
      long instances) {}

  private static final long U = CapacityLedger.UNLIMITED;
  private static final long GiB = 1024;

  @Test
  void roomFollowsTheProductionFormulaWithRequestedVmsDebitedOnce() {
    // atlas VMs: 8 cores, 30 GiB. belle VMs: 4 cores, 15 GiB. The reported usage includes every
    // non-REQUESTED VM of the engine plus others' 100 cores / 400 GiB / 10 instances.
    Limits others = new Limits(100, 400 * GiB, 10);
    List<Row> rows =
        List.of(
            new Row("nothing limits", Limits.NONE, Limits.ZERO, -1, -1, -1, 0, 0, 0, U, U, U),
            new Row("quota only, empty cloud", new Limits(400, 1536 * GiB, 50), Limits.ZERO, -1, -1, -1, 0, 0, 0, 400, 1536 * GiB, 50),
            new Row(
                "quota minus others minus own",
                new Limits(400, 1536 * GiB, 50), usage(others, 10, 0, 5), -1, -1, -1, 10, 0, 5,
                400 - 100 - 20 - 80, 1536 * GiB - 400 * GiB - 75 * GiB - 300 * GiB, 50 - 10 - 5 - 10),
            new Row(
                "REQUESTED VMs are not in the report but are debited",
                new Limits(400, 1536 * GiB, 50), usage(others, 10, 0, 5), -1, -1, -1, 10, 3, 5,
                400 - 100 - 20 - 104, 1536 * GiB - 400 * GiB - 75 * GiB - 390 * GiB, 50 - 10 - 5 - 13),
            new Row(
                "cores-ctl caps the group's own cores",
                new Limits(400, 1536 * GiB, 50), usage(others, 10, 0, 5), 96, -1, -1, 10, 0, 5,
                96 - 80, 1536 * GiB - 400 * GiB - 75 * GiB - 300 * GiB, 50 - 10 - 5 - 10),
            new Row(
                "softmax shrinks with foreign usage",
                new Limits(400, 1536 * GiB, 50), usage(others, 10, 0, 5), -1, 200, -1, 10, 0, 5,
                200 - 120 - 80, 1536 * GiB - 400 * GiB - 75 * GiB - 300 * GiB, 50 - 10 - 5 - 10),
            new Row(
                "ram-ctl caps the group's memory",
                new Limits(400, 1536 * GiB, 50), usage(others, 10, 0, 5), -1, -1, 320 * GiB, 10, 0, 5,
                400 - 100 - 20 - 80, 320 * GiB - 300 * GiB, 50 - 10 - 5 - 10),
            new Row(
                "over the quota after it shrank: negative room",
                new Limits(160, 1536 * GiB, 50), usage(others, 10, 0, 5), -1, -1, -1, 10, 0, 5,
                160 - 120 - 80, 1536 * GiB - 400 * GiB - 75 * GiB - 300 * GiB, 50 - 10 - 5 - 10),
            new Row(
                "a report lagging behind the engine's VMs counts no negative foreign usage",
                new Limits(400, -1, -1), new Limits(40, 0, 0), -1, -1, -1, 10, 0, 0, 400 - 80, U, U));
    for (Row r : rows) {
      CapacityLedger l = ledger(r);
      assertThat(l.room(ATLAS, ARBUTUS)).as(r.what()).isEqualTo(new CapacityLedger.Room(r.cores(), r.ram(), r.instances()));
    }
  }

  private static Limits usage(Limits others, int atlas, int atlasRequested, int belle) {
    // REQUESTED VMs are not in the cloud's report.
    return new Limits(others.cores() + atlas * 8 + belle * 4, others.ramMiB() + atlas * 30 * GiB + belle * 15 * GiB, others.instances() + atlas + belle);
  }

  private static CapacityLedger ledger(Row r) {
    Map<GroupCloud, Allocation> allocs = new HashMap<>();
    allocs.put(new GroupCloud(ATLAS, ARBUTUS), alloc(ATLAS, r.coresCtl(), r.softmax(), r.ramCtl()));
    allocs.put(new GroupCloud(BELLE, ARBUTUS), alloc(BELLE, -1, -1, -1));
    List<Vm> vms = new ArrayList<>();
    for (int i = 0; i < r.atlasRunning(); i++) vms.add(vm(ATLAS, "a" + i, 8, 30 * GiB, VmState.RUNNING));
    for (int i = 0; i < r.atlasRequested(); i++) vms.add(vm(ATLAS, "q" + i, 8, 30 * GiB, VmState.REQUESTED));
    for (int i = 0; i < r.belleRunning(); i++) vms.add(vm(BELLE, "b" + i, 4, 15 * GiB, VmState.IDLE));
    vms.add(vm(ATLAS, "gone", 8, 30 * GiB, VmState.TERMINATED));
    return new CapacityLedger(Map.of(ARBUTUS, new CloudCapacity(r.quota(), r.reported())), allocs, vms);
  }

  static Allocation alloc(GroupName g, int ctl, int softmax, long ramCtl) {
    return new Allocation(g, ARBUTUS, 0, ctl, softmax, ramCtl, AllocationMode.PREFERRED, Set.of(), org.csv2.model.VmDefaults.NONE, List.of(), true);
  }

  static Vm vm(GroupName g, String suffix, int cores, long ram, VmState state) {
    return Vm.builder(org.csv2.model.VmId.of(g, ARBUTUS, "eng1", suffix), g, ARBUTUS, org.csv2.model.FlavorName.of("f"), World.NOW.minus(Duration.ofHours(1)))
        .resources(Resources.of(cores, ram))
        .state(state)
        .stateSince(World.NOW)
        .build();
  }

  @Test
  void aDebitShrinksTheRoomOfEveryGroupOnTheCloudAndVmsThatFitFollow() {
    CapacityLedger l = ledger(new Row("", new Limits(64, -1, 10), Limits.ZERO, -1, -1, -1, 0, 0, 0, 0, 0, 0));
    assertThat(l.vmsThatFit(ATLAS, ARBUTUS, Resources.of(8, 1000))).isEqualTo(8);
    l.debit(BELLE, ARBUTUS, Resources.of(16, 1000));
    assertThat(l.room(ATLAS, ARBUTUS).cores()).isEqualTo(48);
    assertThat(l.vmsThatFit(ATLAS, ARBUTUS, Resources.of(8, 1000))).isEqualTo(6);
    for (int i = 0; i < 6; i++) l.debit(ATLAS, ARBUTUS, Resources.of(8, 1000));
    assertThat(l.vmsThatFit(ATLAS, ARBUTUS, Resources.of(8, 1000))).isZero();
    assertThat(l.vmsThatFit(BELLE, ARBUTUS, Resources.of(1, 1000))).isZero();
    assertThat(l.room(BELLE, ARBUTUS).instances()).isEqualTo(10 - 7);
  }

  @Test
  void excessIsHowFarOverEachLimit() {
    CapacityLedger l = ledger(new Row("", new Limits(160, 1536 * GiB, 50), usage(new Limits(100, 400 * GiB, 10), 10, 0, 5), -1, -1, -1, 10, 0, 5, 0, 0, 0));
    assertThat(l.excess(ATLAS, ARBUTUS)).isEqualTo(new CapacityLedger.Room(40, 0, 0));
  }

  /**
   * TERMINATING VMs put no group over its limits, neither its own nor another group's (PIT: the
   * arithmetic that leaves them out could be turned around without a test noticing).
   */
  @Test
  void excessLeavesOutTerminatingVmsOfEveryGroup() {
    Map<GroupCloud, Allocation> allocs = new HashMap<>();
    allocs.put(new GroupCloud(ATLAS, ARBUTUS), alloc(ATLAS, -1, -1, -1));
    allocs.put(new GroupCloud(BELLE, ARBUTUS), alloc(BELLE, -1, -1, -1));
    List<Vm> vms =
        List.of(
            vm(ATLAS, "a1", 8, 1000, VmState.RUNNING),
            vm(ATLAS, "a2", 8, 1000, VmState.RUNNING),
            vm(ATLAS, "a3", 8, 1000, VmState.TERMINATING),
            vm(BELLE, "b1", 4, 1000, VmState.TERMINATING),
            vm(BELLE, "b2", 4, 1000, VmState.RUNNING));
    // the cloud reports all five (32 cores) and 10 cores of other tenants
    Limits reported = new Limits(42, 5000, 6);
    // quota 30: without the leaving VMs atlas holds 16, belle 4, others 10: exactly at the quota
    CapacityLedger at = new CapacityLedger(Map.of(ARBUTUS, new CloudCapacity(new Limits(30, -1, -1), reported)), allocs, vms);
    assertThat(at.excess(ATLAS, ARBUTUS)).isEqualTo(new CapacityLedger.Room(0, 0, 0));
    assertThat(at.excess(BELLE, ARBUTUS)).isEqualTo(new CapacityLedger.Room(0, 0, 0));
    // quota 27: 3 cores over, for each group (the limit is the cloud's)
    CapacityLedger over = new CapacityLedger(Map.of(ARBUTUS, new CloudCapacity(new Limits(27, -1, -1), reported)), allocs, vms);
    assertThat(over.excess(ATLAS, ARBUTUS)).isEqualTo(new CapacityLedger.Room(3, 0, 0));
    assertThat(over.excess(BELLE, ARBUTUS)).isEqualTo(new CapacityLedger.Room(3, 0, 0));
  }

  /** A credit gives back exactly what a debit took, to every group on the cloud. */
  @Test
  void aCreditGivesBackExactlyWhatADebitTook() {
    // atlas's cores-ctl (32) is counted on its own VMs, the quota (64) on all the engine's
    CapacityLedger l = ledger(new Row("", new Limits(64, 100_000, 10), Limits.ZERO, 32, -1, -1, 0, 0, 0, 0, 0, 0));
    CapacityLedger.Room atlas = l.room(ATLAS, ARBUTUS);
    assertThat(atlas.cores()).isEqualTo(32);
    CapacityLedger.Room belle = l.room(BELLE, ARBUTUS);
    l.debit(ATLAS, ARBUTUS, Resources.of(8, 3000));
    assertThat(l.room(ATLAS, ARBUTUS)).isEqualTo(new CapacityLedger.Room(atlas.cores() - 8, atlas.ramMiB() - 3000, atlas.instances() - 1));
    assertThat(l.room(BELLE, ARBUTUS)).isEqualTo(new CapacityLedger.Room(belle.cores() - 8, belle.ramMiB() - 3000, belle.instances() - 1));
    l.credit(ATLAS, ARBUTUS, Resources.of(8, 3000));
    assertThat(l.room(ATLAS, ARBUTUS)).isEqualTo(atlas);
    assertThat(l.room(BELLE, ARBUTUS)).isEqualTo(belle);
  }

  @Test
  void aBookingNeverPushesAnotherGroupWithVmsThereOverItsSoftmax() {
    Map<GroupCloud, Allocation> allocs = new HashMap<>();
    allocs.put(new GroupCloud(ATLAS, ARBUTUS), alloc(ATLAS, -1, -1, -1));
    allocs.put(new GroupCloud(BELLE, ARBUTUS), alloc(BELLE, -1, 40, -1));
    CapacityLedger l =
        new CapacityLedger(
            Map.of(ARBUTUS, CloudCapacity.UNLIMITED), allocs, List.of(vm(BELLE, "b", 8, 1000, VmState.RUNNING)));
    // belle holds 8 of its 40-core soft ceiling: atlas may bring the cloud to 40, not beyond.
    assertThat(l.vmsThatFit(ATLAS, ARBUTUS, Resources.of(8, 1000))).isEqualTo(4);
  }
}

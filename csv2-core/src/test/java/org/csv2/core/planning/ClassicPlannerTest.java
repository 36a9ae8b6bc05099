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
import org.csv2.core.config.Throttles;
import org.csv2.model.Boot;
import org.csv2.model.Plan;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.junit.jupiter.api.Test;

/** One test per production rule reproduced by the csv2-classic policy (CSV2-REFERENCE.md 2.2-2.8). */
class ClassicPlannerTest {
  private static final Resources F1 = Resources.of(1, 2048, 20);
  private final Planner planner = new ClassicPlanner();

  private static World classic() {
    World w = new World().throttles(Throttles.CLASSIC).group("atlas").alloc("atlas", "arbutus", 0).alloc("atlas", "beluga", 1);
    w.cloud("arbutus").flavor("c1", 1, 2048, 0.05).flavor("c8", 8, 16384, 0.10);
    w.cloud("beluga").flavor("c1", 1, 2048, 0.01).flavor("c8", 8, 16384, 0.02);
    return w;
  }

  @Test
  void smallestFitOnTheFirstCloudByPriorityAtMostFivePerCall() {
    Plan p = planner.plan(classic().idle("atlas", 20, 1, 1000).snapshot());
    assertThat(p.boots()).singleElement().satisfies(b -> {
      assertThat(b.cloud() + ":" + b.flavor() + "x" + b.count()).isEqualTo("arbutus:c1x5");
      assertThat(b.reason()).contains("csv2-classic", "n = min(5 per call");
    });
  }

  @Test
  void nIsCutToTheShortfallOfIdleAndRunningJobsMinusVms() {
    World w = classic().idle("atlas", 2, 1, 1000);
    w.vm("atlas", "arbutus", "c1", F1, VmState.BOOTING, Duration.ofSeconds(30));
    assertThat(planner.plan(w.snapshot()).boots()).singleElement().satisfies(b -> assertThat(b.count()).isEqualTo(1));
    World covered = classic().idle("atlas", 2, 1, 1000);
    covered.vm("atlas", "arbutus", "c8", Resources.of(8, 16384, 20), VmState.BOOTING, Duration.ofSeconds(30));
    assertThat(planner.plan(covered.snapshot()).boots()).isEmpty();
  }

  @Test
  void nIsCutToTheSlotsTheLedgerLeaves() {
    World w = classic().idle("atlas", 20, 1, 1000);
    w.cloud("arbutus").quota(3, -1, -1);
    assertThat(planner.plan(w.snapshot()).boots()).singleElement().satisfies(b -> assertThat(b.count()).isEqualTo(3));
  }

  @Test
  void atMostOneBootCallPerGroupPerCycle() {
    World w = classic().idle("atlas", 20, 1, 1000).idle("atlas", 20, 4, 4000);
    assertThat(planner.plan(w.snapshot()).boots()).hasSize(1);
  }

  @Test
  void aCloudWithFiveVmsStartingIsSkipped() {
    World w = classic().idle("atlas", 20, 1, 1000);
    for (int i = 0; i < 5; i++) w.vm("atlas", "arbutus", "c8", Resources.of(8, 16384, 20), VmState.UNREGISTERED, Duration.ofSeconds(30));
    w.idle("atlas", 40, 1, 1000);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.boots()).singleElement().satisfies(b -> assertThat(b.cloud().value()).isEqualTo("beluga"));
  }

  @Test
  void noBootsWhileIdleVmsReachMaxOfTenAndATenthOfRunning() {
    World w = classic().idle("atlas", 50, 1, 1000);
    for (int i = 0; i < 10; i++) w.vm("atlas", "arbutus", "c1", F1, VmState.IDLE, Duration.ofSeconds(30));
    assertThat(planner.plan(w.snapshot()).boots()).isEmpty();
    World many = classic().idle("atlas", 500, 1, 1000);
    for (int i = 0; i < 10; i++) many.vm("atlas", "arbutus", "c1", F1, VmState.IDLE, Duration.ofSeconds(30));
    for (int i = 0; i < 120; i++) many.vm("atlas", "arbutus", "c1", F1, VmState.RUNNING, Duration.ofSeconds(30));
    assertThat(planner.plan(many.snapshot()).boots()).hasSize(1);
  }

  @Test
  void groupsRotateWithTheCycleCounter() {
    World w = new World().throttles(Throttles.CLASSIC);
    for (String g : new String[] {"a", "b", "c"}) {
      w.group(g).alloc(g, "arbutus", 0).idle(g, 5, 1, 1000);
    }
    w.cloud("arbutus").flavor("c1", 1, 2048, 0.05).quota(1, -1, -1);
    long cycle = 10;
    String[] first = new String[3];
    for (int k = 0; k < 3; k++) {
      w.now = java.time.Instant.ofEpochSecond(cycle * (300 + k));
      Plan p = planner.plan(w.snapshot());
      assertThat(p.boots()).hasSize(1);
      first[k] = p.boots().get(0).group().value();
    }
    assertThat(first).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void keepAliveComesFromTheGroupNotTheVmAndComeAliveJobAliveErrorAsProduction() {
    World w = classic();
    Vm idle = w.vm("atlas", "arbutus", "c1", F1, VmState.IDLE, Duration.ofHours(2));
    w.add(idle.toBuilder().lastBusyAt(World.NOW.minusSeconds(400)).keepAlive(Duration.ofHours(1)).build()).worker(idle, Resources.ZERO, 0);
    w.vm("atlas", "arbutus", "c1", F1, VmState.UNREGISTERED, Duration.ofSeconds(7201));
    Vm never = w.vm("atlas", "arbutus", "c1", F1, VmState.IDLE, Duration.ofHours(1));
    w.add(never.toBuilder().registeredAt(World.NOW.minusSeconds(1801)).build()).worker(never, Resources.ZERO, 0);
    w.vm("atlas", "arbutus", "c1", F1, VmState.ERROR, Duration.ofSeconds(301));
    Plan p = planner.plan(w.snapshot());
    assertThat(p.retirements()).extracting(r -> r.vm()).containsExactlyInAnyOrder(idle.id(), never.id());
    assertThat(p.terminations()).hasSize(2);
    // the default policy honours the VM's own keep-alive
    assertThat(new DefaultPlanner().plan(w.snapshot()).retirements()).extracting(r -> r.vm()).containsExactly(never.id());
  }

  @Test
  void overQuotaShedsVmsWithoutAWorkerFirstThenTheLongestInTheirState() {
    World w = classic();
    Vm old = w.vm("atlas", "arbutus", "c1", F1, VmState.RUNNING, Duration.ofHours(5));
    w.worker(old, Resources.of(1, 1000), 1);
    Vm fresh = w.vm("atlas", "arbutus", "c1", F1, VmState.RUNNING, Duration.ofHours(1));
    w.worker(fresh, Resources.of(1, 1000), 1);
    Vm unreg = w.vm("atlas", "arbutus", "c1", F1, VmState.UNREGISTERED, Duration.ofMinutes(5));
    w.cloud("arbutus").quota(1, -1, -1).used(3, 3 * 2048, 3);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.terminations()).extracting(t -> t.vm()).containsExactly(unreg.id());
    assertThat(p.retirements()).extracting(r -> r.vm()).containsExactly(old.id());
  }

  @Test
  void classicIgnoresTheJobsMaximumPriceLikeProduction() {
    World w = classic();
    w.idle(3, World.job("atlas", 1, 1000).maxPrice(0.001));
    assertThat(planner.plan(w.snapshot()).boots()).extracting(Boot::count).containsExactly(3);
  }
}

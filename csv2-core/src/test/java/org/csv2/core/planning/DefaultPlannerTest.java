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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.core.config.FlavorPolicy;
import org.csv2.core.config.Throttles;
import org.csv2.model.AliasName;
import org.csv2.model.AllocationMode;
import org.csv2.model.Boot;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Plan;
import org.csv2.model.Resources;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.spi.Csv2Tags;
import org.junit.jupiter.api.Test;

class DefaultPlannerTest {
  private static final Resources F8 = Resources.of(8, 16384, 20);
  private final Planner planner = new DefaultPlanner();

  private static World atlasOn(String... clouds) {
    World w = new World().group("atlas");
    int p = 0;
    for (String c : clouds) {
      w.alloc("atlas", c, p++);
      w.cloud(c).flavor("c8", 8, 16384, 0.08);
    }
    return w;
  }

  private static int vms(Plan p, String cloud) {
    return p.boots().stream().filter(b -> b.cloud().value().equals(cloud)).mapToInt(Boot::count).sum();
  }

  // ---- supply first -------------------------------------------------------------------------

  @Test
  void idleJobsArePackedOntoTheFreeRoomOfRunningWorkersFirst() {
    World w = atlasOn("arbutus").idle("atlas", 10, 1, 1000);
    Vm v = w.vm("atlas", "arbutus", "c8", F8, VmState.RUNNING, Duration.ofHours(1));
    w.worker(v, Resources.of(2, 2000), 2);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.boots()).hasSize(1);
    assertThat(p.boots().get(0).jobs()).isEqualTo(4);
    assertThat(p.notes()).contains("6 of 10 idle jobs of atlas fit on VMs already running or starting");
  }

  @Test
  void vmsAlreadyStartingCountAsSupplyWithTheirWholeFlavor() {
    World w = atlasOn("arbutus").idle("atlas", 8, 1, 1000);
    w.vm("atlas", "arbutus", "c8", F8, VmState.BOOTING, Duration.ofMinutes(2));
    assertThat(planner.plan(w.snapshot()).boots()).isEmpty();
  }

  @Test
  void drainingWorkersAndManualVmsAreNoSupply() {
    World w = atlasOn("arbutus").idle("atlas", 8, 1, 1000);
    Vm m = w.vm("atlas", "arbutus", "c8", F8, VmState.IDLE, Duration.ofMinutes(2));
    w.add(m.toBuilder().manual(true).build()).worker(m, Resources.ZERO, 0);
    Vm r = w.vm("atlas", "arbutus", "c8", F8, VmState.RETIRING, Duration.ofMinutes(2));
    w.worker(r, Resources.ZERO, 0);
    assertThat(planner.plan(w.snapshot()).vmsToBoot()).isEqualTo(1);
  }

  // ---- packing several shapes into one VM -----------------------------------------------------

  @Test
  void aVmBootedForBigJobsAlsoTakesSmallJobsOfTheGroupThatFit() {
    World w = new World().group("atlas").alloc("atlas", "arbutus", 0);
    w.cloud("arbutus").flavor("c16", 16, 64000, 0.16);
    w.idle("atlas", 1, 12, 12000).idle("atlas", 4, 1, 1000);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.boots()).singleElement().satisfies(b -> {
      assertThat(b.count()).isEqualTo(1);
      assertThat(b.jobs()).isEqualTo(5);
      assertThat(b.reason()).contains("1 x 12-core", "4 x 1-core");
    });
  }

  @Test
  void aPartlyEmptyLastVmIsDownsizedToTheCheapestFlavorThatHoldsItsJobs() {
    World w = new World().group("atlas").alloc("atlas", "arbutus", 0);
    w.cloud("arbutus").flavor("c8", 8, 16384, 0.08).flavor("c2", 2, 4096, 0.03);
    w.idle("atlas", 10, 1, 1000);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.boots()).extracting(b -> b.flavor().value() + "x" + b.count()).containsExactly("c8x1", "c2x1");
    assertThat(p.boots().get(1).reason()).contains("downsized from c8");
  }

  // ---- candidates -----------------------------------------------------------------------------

  @Test
  void aliasMembershipIsExactSoCloud1IsNotInAnAliasListingCloud12() {
    World w = new World().group("atlas").alloc("atlas", "cloud-1", 0).alloc("atlas", "cloud-12", 1).alias("atlas", "big", "cloud-12");
    w.cloud("cloud-1").flavor("c8", 8, 16384, 0.01);
    w.cloud("cloud-12").flavor("c8", 8, 16384, 0.50);
    w.idle(8, World.job("atlas", 1, 1000).targetAlias(AliasName.of("big")));
    Plan p = planner.plan(w.snapshot());
    assertThat(p.boots()).isNotEmpty().allSatisfy(b -> assertThat(b.cloud()).isEqualTo(CloudName.of("cloud-12")));
    assertThat(p.boots()).allSatisfy(b -> assertThat(b.alias()).isEqualTo(AliasName.of("big")));
  }

  @Test
  void anAliasTheGroupDoesNotDefineMatchesNoCloud() {
    World w = atlasOn("arbutus");
    w.idle(12, World.job("atlas", 1, 1000).targetAlias(AliasName.of("nowhere")));
    Plan p = planner.plan(w.snapshot());
    assertThat(p.boots()).isEmpty();
    assertThat(p.notes()).anySatisfy(n -> assertThat(n).contains("12 idle 1-core jobs of atlas", "alias 'nowhere' is not defined"));
  }

  @Test
  void explicitCloudsRestrictTheJob() {
    World w = atlasOn("arbutus", "beluga");
    w.idle(8, World.job("atlas", 1, 1000).targetClouds(Set.of(CloudName.of("beluga"))));
    assertThat(planner.plan(w.snapshot()).boots()).singleElement().satisfies(b -> assertThat(b.cloud().value()).isEqualTo("beluga"));
  }

  @Test
  void theMaximumPriceExcludesDearerFlavors() {
    World w = new World().group("atlas").alloc("atlas", "arbutus", 0);
    w.cloud("arbutus").flavor("cheap", 4, 8192, 0.08).flavor("dear", 16, 32768, 0.20);
    w.idle(16, World.job("atlas", 1, 1000).maxPrice(0.10));
    Plan p = planner.plan(w.snapshot());
    assertThat(p.boots()).isNotEmpty().allSatisfy(b -> assertThat(b.flavor().value()).isEqualTo("cheap"));

    World only = new World().group("atlas").alloc("atlas", "arbutus", 0);
    only.cloud("arbutus").flavor("dear", 16, 32768, 0.20);
    only.idle(3, World.job("atlas", 1, 1000).maxPrice(0.10));
    Plan none = planner.plan(only.snapshot());
    assertThat(none.boots()).isEmpty();
    assertThat(none.notes()).anySatisfy(n -> assertThat(n).contains("3 idle 1-core jobs of atlas fit no flavor on clouds [arbutus]", "max price"));
  }

  @Test
  void theInstanceTypeHintPicksTheFlavorAndMayNameTheCloud() {
    World w = new World().group("atlas").alloc("atlas", "arbutus", 0).alloc("atlas", "beluga", 1);
    w.cloud("arbutus").flavor("small", 2, 4096, 0.01).flavor("big", 16, 65536, 0.5);
    w.cloud("beluga").flavor("small", 2, 4096, 0.01).flavor("big", 16, 65536, 0.5);
    w.idle(1, World.job("atlas", 16, 16000).instanceType("beluga:big"));
    w.idle(2, World.job("atlas", 1, 1000).instanceType("other:big, big"));
    Plan p = planner.plan(w.snapshot());
    assertThat(p.boots()).extracting(b -> b.cloud() + ":" + b.flavor()).containsExactlyInAnyOrder("beluga:big", "arbutus:big");
  }

  @Test
  void theDefaultFlavorRestrictsJobsWithoutAHint() {
    World w = new World().group("atlas").alloc(
        new org.csv2.model.Allocation(GroupName.of("atlas"), CloudName.of("arbutus"), 0, -1, -1, -1, AllocationMode.PREFERRED, Set.of(),
            new org.csv2.model.VmDefaults(null, org.csv2.model.FlavorName.of("c4"), null, null, null, null), List.of(), true));
    w.cloud("arbutus").flavor("c4", 4, 8192, 0.9).flavor("c8", 8, 16384, 0.08);
    w.idle("atlas", 4, 1, 1000);
    assertThat(planner.plan(w.snapshot()).boots()).singleElement().satisfies(b -> assertThat(b.flavor().value()).isEqualTo("c4"));
  }

  @Test
  void disabledUnreachableAndExcludedAreNeverTargets() {
    World w = new World().group("atlas")
        .alloc("atlas", "off", 0).alloc("atlas", "down", 0)
        .alloc(World.allocation("atlas", "noalloc", 0, -1, -1, -1, AllocationMode.PREFERRED, Set.of(), false))
        .alloc(World.allocation("atlas", "ok", 1, -1, -1, -1, AllocationMode.PREFERRED, Set.of("c8"), true));
    w.cloud("off").flavor("c8", 8, 16384, 0.01).enabled = false;
    w.cloud("down").flavor("c8", 8, 16384, 0.01).reachable = false;
    w.cloud("noalloc").flavor("c8", 8, 16384, 0.01);
    w.cloud("ok").flavor("c8", 8, 16384, 0.01).flavor("c4", 4, 8192, 0.09);
    w.idle("atlas", 8, 1, 1000);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.boots()).isNotEmpty().allSatisfy(b -> assertThat(b.cloud() + ":" + b.flavor()).isEqualTo("ok:c4"));
  }

  @Test
  void leastCostPerJobPrefersTheBigCheapVmAndSmallestFitTheSmallVm() {
    World w = new World().group("atlas").alloc("atlas", "arbutus", 0);
    w.cloud("arbutus").flavor("c1", 1, 2048, 0.05).flavor("c8", 8, 16384, 0.20);
    w.idle("atlas", 8, 1, 1000);
    Plan cost = planner.plan(w.snapshot());
    assertThat(cost.boots()).singleElement().satisfies(b -> {
      assertThat(b.flavor().value()).isEqualTo("c8");
      assertThat(b.reason()).isEqualTo("boot 1 x c8 on arbutus for 8 idle 1-core jobs of atlas: arbutus is priority 0 and cheapest per job with room left ($0.0250/job-hour)");
    });
    Plan small = planner.plan(w.policy(FlavorPolicy.SMALLEST_FIT).snapshot());
    assertThat(small.boots()).singleElement().satisfies(b -> assertThat(b.flavor().value() + "x" + b.count()).isEqualTo("c1x8"));
  }

  @Test
  void leastExpectedCostRunsOneJobPerVmUnlessABigVmIsCheaperByMoreThanTheWaitForItsLastJob() {
    // c2 is 3 % cheaper per core than c1, but a VM is paid until its last job ends: with run times
    // unknown, two jobs keep it 1.5 run times on average, so c2 costs 0.0425 x 1.5 per job-hour
    World w = new World().group("atlas").alloc("atlas", "arbutus", 0);
    w.cloud("arbutus").flavor("c1", 1, 1741, 0.044).flavor("c2", 2, 4096, 0.085).flavor("c8", 8, 16384, 0.10);
    w.idle("atlas", 4, 1, 1000);
    assertThat(planner.plan(w.snapshot()).boots()).as("least cost per job packs")
        .singleElement().satisfies(b -> assertThat(b.flavor().value() + "x" + b.count()).isEqualTo("c8x1"));
    w.policy(FlavorPolicy.LEAST_EXPECTED_COST);
    assertThat(planner.plan(w.snapshot()).boots()).as("c8 would be 0.0125 x H(4) = 0.026 per job-hour, c1 0.044")
        .singleElement().satisfies(b -> assertThat(b.flavor().value() + "x" + b.count()).isEqualTo("c8x1"));

    World dear = new World().group("atlas").alloc("atlas", "arbutus", 0).policy(FlavorPolicy.LEAST_EXPECTED_COST);
    dear.cloud("arbutus").flavor("c1", 1, 1741, 0.044).flavor("c2", 2, 4096, 0.085).flavor("c8", 8, 16384, 0.34);
    dear.idle("atlas", 4, 1, 1000);
    assertThat(planner.plan(dear.snapshot()).boots()).singleElement().satisfies(b -> {
      assertThat(b.flavor().value() + "x" + b.count()).isEqualTo("c1x4");
      assertThat(b.reason()).isEqualTo(
          "boot 4 x c1 on arbutus for 4 idle 1-core jobs of atlas: arbutus is priority 0 and least expected cost per job"
              + " with room left ($0.0440/job-hour, expected $0.0440 with 1 jobs per VM)");
    });
  }

  @Test
  void leastExpectedCostGrowsVmsWhenTheInstanceQuotaWouldHoldJobsBackButNeverToDearerCores() {
    World w = new World().group("atlas").alloc("atlas", "arbutus", 0).policy(FlavorPolicy.LEAST_EXPECTED_COST);
    w.cloud("arbutus").flavor("c1", 1, 1741, 0.044).flavor("c8", 8, 16384, 0.34).quota(-1, -1, 2);
    w.idle("atlas", 10, 1, 1000);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.vmsToBoot()).isEqualTo(2);
    assertThat(p.boots().stream().mapToInt(b -> b.jobs()).sum()).as("every job placed").isEqualTo(10);
    assertThat(p.boots()).anySatisfy(b -> assertThat(b.flavor().value()).isEqualTo("c8"));

    World roomy = new World().group("atlas").alloc("atlas", "arbutus", 0).policy(FlavorPolicy.LEAST_EXPECTED_COST);
    roomy.cloud("arbutus").flavor("c1", 1, 1741, 0.044).flavor("c8", 8, 16384, 0.34).quota(-1, -1, 10);
    roomy.idle("atlas", 10, 1, 1000);
    assertThat(planner.plan(roomy.snapshot()).boots()).as("room for one VM per job: no growth")
        .singleElement().satisfies(b -> assertThat(b.flavor().value() + "x" + b.count()).isEqualTo("c1x10"));

    World dear = new World().group("atlas").alloc("atlas", "arbutus", 0).policy(FlavorPolicy.LEAST_EXPECTED_COST);
    dear.cloud("arbutus").flavor("c1", 1, 1741, 0.044).flavor("c8", 8, 16384, 0.80).quota(-1, -1, 2);
    dear.idle("atlas", 10, 1, 1000);
    Plan waits = planner.plan(dear.snapshot());
    assertThat(waits.boots()).as("c8 costs more per core: the jobs wait for room instead")
        .singleElement().satisfies(b -> assertThat(b.flavor().value() + "x" + b.count()).isEqualTo("c1x2"));

    World throttled = new World().group("atlas").alloc("atlas", "arbutus", 0).policy(FlavorPolicy.LEAST_EXPECTED_COST)
        .throttles(new Throttles(20, 3, 10, 0.1, 0));
    throttled.cloud("arbutus").flavor("c1", 1, 1741, 0.044).flavor("c8", 8, 16384, 0.34);
    throttled.idle("atlas", 12, 1, 1000);
    assertThat(planner.plan(throttled.snapshot()).boots()).as("the starting throttle passes: VMs do not grow for it")
        .singleElement().satisfies(b -> assertThat(b.flavor().value() + "x" + b.count()).isEqualTo("c1x3"));
  }

  @Test
  void everyCloudOfAPriorityTierIsFilledBeforeTheNextTier() {
    World w = new World().group("atlas").alloc("atlas", "near", 0).alloc("atlas", "also-near", 0).alloc("atlas", "far", 1);
    w.cloud("near").flavor("c8", 8, 16384, 0.50).quota(16, -1, -1);
    w.cloud("also-near").flavor("c8", 8, 16384, 0.40).quota(8, -1, -1);
    w.cloud("far").flavor("c8", 8, 16384, 0.01);
    w.idle("atlas", 48, 1, 1000);
    Plan p = planner.plan(w.snapshot());
    assertThat(vms(p, "also-near")).isEqualTo(1);
    assertThat(vms(p, "near")).isEqualTo(2);
    assertThat(vms(p, "far")).isEqualTo(3);
  }

  @Test
  void capacityWaitsAreExplained() {
    World w = atlasOn("arbutus").idle("atlas", 24, 1, 1000);
    w.cloud("arbutus").quota(8, -1, -1);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.vmsToBoot()).isEqualTo(1);
    assertThat(p.notes()).contains("16 idle 1-core jobs of atlas wait: no room left on [arbutus] (quota, caps or softmax)");
  }

  @Test
  void jobsOfOwnersTheGroupDoesNotServeAreIgnored() {
    World w = new World().group(new org.csv2.model.Group(GroupName.of("atlas"), org.csv2.model.Group.DEFAULT_JOB,
        new org.csv2.model.VmDefaults("img", null, null, null, null, null), List.of(), List.of("alice"), 1, Map.of()));
    w.alloc("atlas", "arbutus", 0).cloud("arbutus").flavor("c8", 8, 16384, 0.08);
    w.idle(5, World.job("atlas", 1, 1000).owner("mallory"));
    Plan p = planner.plan(w.snapshot());
    assertThat(p.boots()).isEmpty();
    assertThat(p.notes()).contains("ignored 5 idle jobs of atlas: their owners [mallory] are not submitters of the group");
  }

  // ---- throttles ------------------------------------------------------------------------------

  @Test
  void bootsAreSplitIntoCallsOfAtMostVmsPerBootCall() {
    World w = atlasOn("arbutus").throttles(new Throttles(3, 50, 10, 0.1, 0)).idle("atlas", 80, 1, 1000);
    assertThat(planner.plan(w.snapshot()).boots()).extracting(Boot::count).containsExactly(3, 3, 3, 1);
  }

  @Test
  void theStartingThrottleCountsExistingAndPlannedStartingVmsPerCloud() {
    World w = atlasOn("arbutus").throttles(new Throttles(20, 5, 10, 0.1, 0)).idle("atlas", 80, 1, 1000);
    for (int i = 0; i < 4; i++) w.vm("atlas", "arbutus", "c8", F8, VmState.UNREGISTERED, Duration.ofMinutes(1));
    Plan p = planner.plan(w.snapshot());
    assertThat(p.vmsToBoot()).isEqualTo(1);
    assertThat(p.notes()).contains("arbutus: 5 VMs starting, the limit of starting-per-cloud (5); further boots there wait");
  }

  @Test
  void noBootsWhileTheGroupHasTooManyIdleVms() {
    World w = atlasOn("arbutus");
    w.idle(5, World.job("atlas", 1, 1000).image("special"));
    w.cloud("arbutus").images.add(new org.csv2.model.Image("special", "special"));
    for (int i = 0; i < 10; i++) {
      Vm v = w.vm("atlas", "arbutus", "c8", F8, VmState.IDLE, Duration.ofSeconds(60));
      w.add(v.toBuilder().lastBusyAt(World.NOW.minusSeconds(30)).build()).worker(v, Resources.ZERO, 0);
    }
    Plan p = planner.plan(w.snapshot());
    assertThat(p.boots()).isEmpty();
    assertThat(p.notes()).anySatisfy(n -> assertThat(n).startsWith("no boots for atlas: 10 idle VMs >= max(idle-vms 10, 0.10 x 0 running)"));
  }

  @Test
  void bootsPerGroupPerCycleCapsTheCalls() {
    World w = atlasOn("arbutus").throttles(new Throttles(2, 50, 10, 0.1, 1)).idle("atlas", 80, 1, 1000);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.boots()).singleElement().satisfies(b -> assertThat(b.count()).isEqualTo(2));
    assertThat(p.notes()).anySatisfy(n -> assertThat(n).startsWith("boots-per-group-per-cycle 1"));
  }

  // ---- retirements ----------------------------------------------------------------------------

  private static World idleVm(Duration idleFor, Duration vmKeepAlive) {
    World w = atlasOn("arbutus");
    Vm v = w.vm("atlas", "arbutus", "c8", F8, VmState.IDLE, Duration.ofHours(2));
    v = v.toBuilder().registeredAt(World.NOW.minus(Duration.ofHours(2))).lastBusyAt(World.NOW.minus(idleFor)).keepAlive(vmKeepAlive).build();
    w.add(v).worker(v, Resources.ZERO, 0);
    return w;
  }

  @Test
  void anIdleVmIsRetiredPastItsKeepAlive() {
    Plan p = planner.plan(idleVm(Duration.ofSeconds(412), null).snapshot());
    assertThat(p.retirements()).singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo("retire atlas--arbutus--eng1--v0: idle 412s > keep-alive 300s"));
    assertThat(planner.plan(idleVm(Duration.ofSeconds(290), null).snapshot()).retirements()).isEmpty();
  }

  @Test
  void theVmsOwnKeepAliveAppliesButNeverBelowTheFloor() {
    assertThat(planner.plan(idleVm(Duration.ofSeconds(412), Duration.ofSeconds(600)).snapshot()).retirements()).isEmpty();
    assertThat(planner.plan(idleVm(Duration.ofSeconds(100), Duration.ofSeconds(30)).snapshot()).retirements()).isEmpty();
    assertThat(planner.plan(idleVm(Duration.ofSeconds(130), Duration.ofSeconds(30)).snapshot()).retirements()).singleElement()
        .satisfies(r -> assertThat(r.reason()).endsWith("idle 130s > keep-alive 120s"));
  }

  @Test
  void anIdleVmThatIdleJobsWillUseIsNotRetired() {
    World w = idleVm(Duration.ofSeconds(900), null).idle("atlas", 1, 1, 1000);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.retirements()).isEmpty();
    assertThat(p.boots()).isEmpty();
  }

  @Test
  void aVmThatNeverRanAJobIsRetiredPastJobAlive() {
    World w = atlasOn("arbutus");
    Vm v = w.vm("atlas", "arbutus", "c8", F8, VmState.IDLE, Duration.ofHours(1));
    w.add(v.toBuilder().registeredAt(World.NOW.minusSeconds(1900)).build()).worker(v, Resources.ZERO, 0);
    assertThat(planner.plan(w.snapshot()).retirements()).singleElement()
        .satisfies(r -> assertThat(r.reason()).endsWith("registered 1900s ago and never ran a job > job-alive 1800s"));
    World young = atlasOn("arbutus");
    Vm y = young.vm("atlas", "arbutus", "c8", F8, VmState.IDLE, Duration.ofHours(1));
    young.add(y.toBuilder().registeredAt(World.NOW.minusSeconds(1000)).build()).worker(y, Resources.ZERO, 0);
    assertThat(planner.plan(young.snapshot()).actions()).isEmpty();
  }

  @Test
  void aVmThatNeverRegisteredIsTerminatedPastComeAlive() {
    World w = atlasOn("arbutus");
    w.vm("atlas", "arbutus", "c8", F8, VmState.UNREGISTERED, Duration.ofSeconds(7300));
    w.vm("atlas", "arbutus", "c8", F8, VmState.BOOTING, Duration.ofSeconds(7000));
    assertThat(planner.plan(w.snapshot()).terminations()).singleElement()
        .satisfies(t -> assertThat(t.reason()).contains("v0", "never registered > come-alive 7200s"));
  }

  @Test
  void aVmInErrorIsTerminatedPastErrorDelay() {
    World w = atlasOn("arbutus");
    w.vm("atlas", "arbutus", "c8", F8, VmState.ERROR, Duration.ofSeconds(301));
    w.vm("atlas", "arbutus", "c8", F8, VmState.ERROR, Duration.ofSeconds(200));
    assertThat(planner.plan(w.snapshot()).terminations()).singleElement()
        .satisfies(t -> assertThat(t.reason()).isEqualTo("terminate atlas--arbutus--eng1--v0: in ERROR for 301s > error-delay 300s"));
  }

  @Test
  void aVmWhoseWorkerRunsJobsIsNeverTerminatedButDrained() {
    World w = atlasOn("arbutus");
    Vm v = w.vm("atlas", "arbutus", "c8", F8, VmState.ERROR, Duration.ofSeconds(900));
    w.worker(v, Resources.of(1, 1000), 1);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.terminations()).isEmpty();
    assertThat(p.retirements()).singleElement().satisfies(r -> assertThat(r.reason()).contains("drain first"));
  }

  @Test
  void retiringVmsAreTerminatedWhenDrainedAndAskedAgainAfterRetireInterval() {
    World w = atlasOn("arbutus");
    w.vm("atlas", "arbutus", "c8", F8, VmState.RETIRING, Duration.ofSeconds(100)); // v0: worker gone
    Vm busyOld = w.vm("atlas", "arbutus", "c8", F8, VmState.RETIRING, Duration.ofSeconds(2000)); // v1
    w.add(busyOld.toBuilder().lastAttemptAt(World.NOW.minusSeconds(1100)).build()).worker(busyOld, Resources.of(1, 1000), 1);
    Vm busyNew = w.vm("atlas", "arbutus", "c8", F8, VmState.RETIRING, Duration.ofSeconds(2000)); // v2
    w.add(busyNew.toBuilder().lastAttemptAt(World.NOW.minusSeconds(100)).build()).worker(busyNew, Resources.of(1, 1000), 1);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.terminations()).extracting(t -> t.vm().value()).containsExactly("atlas--arbutus--eng1--v0");
    assertThat(p.retirements()).extracting(r -> r.vm().value()).containsExactly("atlas--arbutus--eng1--v1");
  }

  @Test
  void manualVmsAreNeverTouched() {
    World w = atlasOn("arbutus");
    Vm a = w.vm("atlas", "arbutus", "c8", F8, VmState.ERROR, Duration.ofHours(5));
    w.add(a.toBuilder().manual(true).build());
    w.vm("atlas", "arbutus", "c8", F8, VmState.MANUAL, Duration.ofHours(5));
    w.cloud("arbutus").quota(1, -1, -1);
    assertThat(planner.plan(w.snapshot()).actions()).isEmpty();
  }

  @Test
  void overQuotaRetiresIdleVmsFirstThenTheNewestRunningOnes() {
    World w = atlasOn("arbutus");
    Vm oldRun = w.vm("atlas", "arbutus", "c8", F8, VmState.RUNNING, Duration.ofHours(5));
    w.worker(oldRun, Resources.of(8, 8000), 8);
    Vm newRun = w.vm("atlas", "arbutus", "c8", F8, VmState.RUNNING, Duration.ofHours(1));
    w.worker(newRun, Resources.of(8, 8000), 8);
    Vm idle = w.vm("atlas", "arbutus", "c8", F8, VmState.IDLE, Duration.ofHours(3));
    w.add(idle.toBuilder().lastBusyAt(World.NOW.minusSeconds(10)).build()).worker(idle, Resources.ZERO, 0);
    w.cloud("arbutus").quota(8, -1, -1).used(24, 3 * 16384, 3);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.retirements()).extracting(r -> r.vm()).containsExactly(idle.id(), newRun.id());
    assertThat(p.retirements().get(0).reason()).contains("atlas is over its limits on arbutus by 16 cores");
    assertThat(p.terminations()).isEmpty();
  }

  /**
   * Rule 8 sheds exactly the excess, counting the VMs already leaving (PIT: mutants that ignored
   * the leaving VMs, added them, or shed one VM past the excess survived the tests before).
   */
  @Test
  void overQuotaShedsExactlyTheExcessLessWhatIsAlreadyLeaving() {
    World w = atlasOn("arbutus");
    Vm run = w.vm("atlas", "arbutus", "c8", F8, VmState.RUNNING, Duration.ofHours(5));
    w.worker(run, Resources.of(8, 8000), 8);
    Vm idle = w.vm("atlas", "arbutus", "c8", F8, VmState.IDLE, Duration.ofHours(3));
    w.add(idle.toBuilder().lastBusyAt(World.NOW.minusSeconds(10)).build()).worker(idle, Resources.ZERO, 0);
    Vm leaving = w.vm("atlas", "arbutus", "c8", F8, VmState.RETIRING, Duration.ofMinutes(1));
    w.add(leaving.toBuilder().lastAttemptAt(World.NOW).build()).worker(leaving, Resources.of(8, 8000), 8);
    // 24 cores used, quota 8: 16 over, 8 of them already leaving, so one more VM (the idle one)
    w.cloud("arbutus").quota(8, -1, -1).used(24, 3 * 16384, 3);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.retirements()).extracting(r -> r.vm()).containsExactly(idle.id());
    assertThat(p.terminations()).isEmpty();
    // exactly at the limit: nothing is shed
    World at = atlasOn("arbutus");
    Vm one = at.vm("atlas", "arbutus", "c8", F8, VmState.IDLE, Duration.ofHours(3));
    at.add(one.toBuilder().lastBusyAt(World.NOW.minusSeconds(10)).build()).worker(one, Resources.ZERO, 0);
    at.cloud("arbutus").quota(8, -1, -1).used(8, 16384, 1);
    assertThat(planner.plan(at.snapshot()).retirements()).isEmpty();
  }

  @Test
  void opportunisticVmsGiveCapacityBackToAPreferredGroupThatHasNoOtherPlace() {
    World w = new World().group("cms").group("atlas")
        .alloc("cms", "arbutus", 0)
        .alloc(World.allocation("atlas", "arbutus", 0, -1, -1, -1, AllocationMode.OPPORTUNISTIC, Set.of(), true));
    w.cloud("arbutus").flavor("c8", 8, 16384, 0.08).quota(16, -1, -1).used(16, 2 * 16384, 2);
    Vm busy = w.vm("atlas", "arbutus", "c8", F8, VmState.RUNNING, Duration.ofHours(2));
    w.worker(busy, Resources.of(8, 8000), 8);
    Vm spare = w.vm("atlas", "arbutus", "c8", F8, VmState.RUNNING, Duration.ofHours(1));
    w.worker(spare, Resources.of(8, 8000), 8);
    w.idle("cms", 8, 1, 1000);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.boots()).isEmpty();
    assertThat(p.retirements()).singleElement().satisfies(r -> {
      assertThat(r.vm()).isEqualTo(spare.id());
      assertThat(r.reason()).contains("opportunistic on arbutus", "preferred group cms need 8 cores");
    });
    // once it is retiring, nothing more is taken back
    World later = w;
    later.add(spare.toBuilder().state(VmState.RETIRING).lastAttemptAt(World.NOW).build());
    assertThat(planner.plan(later.snapshot()).retirements()).isEmpty();
  }

  @Test
  void opportunisticAllocationsDoNotBootWhereAPreferredGroupWaits() {
    World w = new World().group("cms").group("atlas")
        .alloc("cms", "arbutus", 0)
        .alloc(World.allocation("atlas", "arbutus", 0, -1, -1, -1, AllocationMode.OPPORTUNISTIC, Set.of(), true));
    w.cloud("arbutus").flavor("c8", 8, 16384, 0.08).quota(8, -1, -1);
    w.idle("cms", 16, 1, 1000).idle("atlas", 8, 1, 1000);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.boots()).singleElement().satisfies(b -> assertThat(b.group().value()).isEqualTo("cms"));
  }

  // ---- adoption -------------------------------------------------------------------------------

  @Test
  void taggedInstancesUnknownToTheStoreAreAdopted() {
    World w = atlasOn("arbutus");
    VmId name = VmId.of(GroupName.of("atlas"), CloudName.of("arbutus"), World.ENGINE, "lost");
    w.cloud("arbutus").instances.add(new Instance(InstanceId.of("i-1"), name, org.csv2.model.FlavorName.of("c8"), InstanceState.ACTIVE, "",
        Map.of(Csv2Tags.INSTANCE_ID, World.ENGINE, Csv2Tags.GROUP, "atlas"), null));
    w.cloud("arbutus").instances.add(new Instance(InstanceId.of("i-2"), VmId.of("foreign"), org.csv2.model.FlavorName.of("c8"), InstanceState.ACTIVE, "",
        Map.of(Csv2Tags.INSTANCE_ID, "other", Csv2Tags.GROUP, "atlas"), null));
    Plan p = planner.plan(w.snapshot());
    assertThat(p.adoptions()).singleElement().satisfies(a -> {
      assertThat(a.instance().name()).isEqualTo(name);
      assertThat(a.group()).isEqualTo(GroupName.of("atlas"));
    });
    w.cloud("arbutus").reachable = false;
    assertThat(planner.plan(w.snapshot()).adoptions()).isEmpty();
  }

  @Test
  void anInstanceAdoptedInACycleIsCapacityInThatCycle() {
    World w = atlasOn("arbutus");
    w.idle("atlas", 8, 1, 1000);
    assertThat(vms(planner.plan(w.snapshot()), "arbutus")).as("without the orphan").isEqualTo(1);
    VmId name = VmId.of(GroupName.of("atlas"), CloudName.of("arbutus"), World.ENGINE, "lost");
    w.cloud("arbutus").instances.add(new Instance(InstanceId.of("i-1"), name, org.csv2.model.FlavorName.of("c8"), InstanceState.PENDING, "",
        Map.of(Csv2Tags.INSTANCE_ID, World.ENGINE, Csv2Tags.GROUP, "atlas"), null));
    for (Planner pl : List.of(planner, new ClassicPlanner())) {
      Plan p = pl.plan(w.snapshot());
      assertThat(p.adoptions()).as("%s", pl).singleElement().satisfies(a -> assertThat(a.instance().name()).isEqualTo(name));
      assertThat(p.boots()).as("%s: the adopted instance holds the 8 jobs", pl).isEmpty();
      assertThat(p.retirements()).as("%s: an adoptee is not acted on before its record exists", pl).isEmpty();
      assertThat(p.terminations()).as("%s", pl).isEmpty();
    }
  }

  private static Instance instance(Vm v, String id, InstanceState state) {
    return new Instance(InstanceId.of(id), v.id(), v.flavor(), state, "",
        Map.of(Csv2Tags.INSTANCE_ID, World.ENGINE, Csv2Tags.GROUP, v.group().value()), null);
  }

  @Test
  void anInstanceThatOutlivedItsTerminatedRecordIsAdoptedAgain() {
    World w = atlasOn("arbutus");
    Vm closed = w.vm("atlas", "arbutus", "c8", F8, VmState.TERMINATED, Duration.ofMinutes(30));
    w.add(closed.toBuilder().reason("boot never answered").build());
    Vm live = w.vm("atlas", "arbutus", "c8", F8, VmState.BOOTING, Duration.ofMinutes(1));
    w.cloud("arbutus").instances.add(instance(closed, "i-late", InstanceState.ACTIVE));
    w.cloud("arbutus").instances.add(instance(live, "i-live", InstanceState.PENDING));
    Plan p = planner.plan(w.snapshot());
    assertThat(p.adoptions()).singleElement().satisfies(a -> {
      assertThat(a.instance().name()).isEqualTo(closed.id());
      assertThat(a.group()).isEqualTo(GroupName.of("atlas"));
      assertThat(a.reason()).contains("its VM record is TERMINATED");
    });
    assertThat(new ClassicPlanner().plan(w.snapshot()).adoptions()).extracting(a -> a.instance().name()).containsExactly(closed.id());
    // a deleted or vanishing instance is not adopted; nor is anything on a cloud that was not read
    w.cloud("arbutus").instances.set(0, instance(closed, "i-late", InstanceState.TERMINATING));
    assertThat(planner.plan(w.snapshot()).adoptions()).isEmpty();
    w.cloud("arbutus").instances.set(0, instance(closed, "i-late", InstanceState.ACTIVE));
    w.cloud("arbutus").reachable = false;
    assertThat(planner.plan(w.snapshot()).adoptions()).isEmpty();
  }

  // ---- groups this engine does not hold --------------------------------------------------------

  @Test
  void vmsAndInstancesOfGroupsTheEngineDoesNotHoldAreNeverActedOn() {
    World w = atlasOn("arbutus"); // the engine holds atlas only; cms is another engine's now
    w.vm("cms", "arbutus", "c8", F8, VmState.ERROR, Duration.ofHours(1)); // past error-delay
    Vm idle = w.vm("cms", "arbutus", "c8", F8, VmState.IDLE, Duration.ofHours(3));
    w.add(idle.toBuilder().registeredAt(World.NOW.minus(Duration.ofHours(3))).lastBusyAt(World.NOW.minus(Duration.ofHours(2))).build())
        .worker(idle, Resources.ZERO, 0);
    w.vm("cms", "arbutus", "c8", F8, VmState.RETIRING, Duration.ofHours(1)); // its worker is gone
    w.vm("cms", "arbutus", "c8", F8, VmState.UNREGISTERED, Duration.ofHours(3)); // past come-alive
    Vm terminating = w.vm("cms", "arbutus", "c8", F8, VmState.TERMINATING, Duration.ofHours(1));
    Vm closed = w.vm("cms", "arbutus", "c8", F8, VmState.TERMINATED, Duration.ofHours(1));
    w.cloud("arbutus").instances.add(instance(terminating, "i-t", InstanceState.ACTIVE));
    w.cloud("arbutus").instances.add(instance(closed, "i-c", InstanceState.ACTIVE));
    w.cloud("arbutus").instances.add(new Instance(InstanceId.of("i-o"), VmId.of(GroupName.of("cms"), CloudName.of("arbutus"), World.ENGINE, "lost"),
        org.csv2.model.FlavorName.of("c8"), InstanceState.ACTIVE, "", Map.of(Csv2Tags.INSTANCE_ID, World.ENGINE, Csv2Tags.GROUP, "cms"), null));
    // they still hold capacity: 5 x 8 cores counted by the cloud, quota 48 cores leaves room for one c8
    w.cloud("arbutus").quota(48, -1, -1).used(40, 5 * 16384, 5);
    w.idle("atlas", 16, 1, 1000);
    for (Planner pl : List.of(planner, new ClassicPlanner())) {
      Plan p = pl.plan(w.snapshot());
      assertThat(p.retirements()).as(pl.getClass().getSimpleName()).isEmpty();
      assertThat(p.terminations()).as(pl.getClass().getSimpleName()).isEmpty();
      assertThat(p.adoptions()).as(pl.getClass().getSimpleName()).isEmpty();
      assertThat(p.vmsToBoot()).as(pl.getClass().getSimpleName()).isEqualTo(1);
    }
  }

  @Test
  void startingVmsOfGroupsTheEngineDoesNotHoldCountInTheStartingThrottle() {
    World w = atlasOn("arbutus").throttles(new Throttles(5, 2, 1000, 0, 0)).idle("atlas", 24, 1, 1000);
    w.vm("cms", "arbutus", "c8", F8, VmState.BOOTING, Duration.ofMinutes(2));
    Plan p = planner.plan(w.snapshot());
    assertThat(p.vmsToBoot()).isEqualTo(1);
    assertThat(p.notes()).anySatisfy(n -> assertThat(n).contains("2 VMs starting, the limit of starting-per-cloud (2)"));
  }

  // ---- stuck deletes ----------------------------------------------------------------------------

  @Test
  void aTerminatingVmWhoseInstanceIsStillThereIsTerminatedAgainAfterErrorDelay() {
    World w = atlasOn("arbutus");
    Vm stuck = w.vm("atlas", "arbutus", "c8", F8, VmState.TERMINATING, Duration.ofHours(1)); // v0
    w.add(stuck = stuck.toBuilder().instanceId(InstanceId.of("i-0")).lastAttemptAt(World.NOW.minusSeconds(312)).terminateAttempts(2).build());
    Vm recent = w.vm("atlas", "arbutus", "c8", F8, VmState.TERMINATING, Duration.ofHours(1)); // v1: asked 100 s ago
    w.add(recent = recent.toBuilder().lastAttemptAt(World.NOW.minusSeconds(100)).terminateAttempts(1).build());
    Vm gone = w.vm("atlas", "arbutus", "c8", F8, VmState.TERMINATING, Duration.ofHours(1)); // v2: instance gone
    w.add(gone = gone.toBuilder().lastAttemptAt(World.NOW.minusSeconds(900)).terminateAttempts(1).build());
    Vm deleted = w.vm("atlas", "arbutus", "c8", F8, VmState.TERMINATING, Duration.ofHours(1)); // v3: reported TERMINATED
    w.add(deleted = deleted.toBuilder().lastAttemptAt(World.NOW.minusSeconds(900)).terminateAttempts(1).build());
    Vm byCloud = w.vm("atlas", "arbutus", "c8", F8, VmState.TERMINATING, Duration.ofSeconds(400)); // v4: no attempt recorded
    w.cloud("arbutus").instances.add(instance(stuck, "i-0", InstanceState.ACTIVE));
    w.cloud("arbutus").instances.add(instance(recent, "i-1", InstanceState.ACTIVE));
    w.cloud("arbutus").instances.add(instance(deleted, "i-3", InstanceState.TERMINATED));
    w.cloud("arbutus").instances.add(instance(byCloud, "i-4", InstanceState.TERMINATING));
    for (Planner pl : List.of(planner, new ClassicPlanner())) {
      Plan p = pl.plan(w.snapshot());
      assertThat(p.terminations()).as(pl.getClass().getSimpleName()).extracting(Terminate::reason).containsExactly(
          "terminate atlas--arbutus--eng1--v0 again: still present 312s after the delete > error-delay 300s (attempt 3)",
          "terminate atlas--arbutus--eng1--v4 again: still present 400s after it began terminating > error-delay 300s (attempt 1)");
      assertThat(p.retirements()).as(pl.getClass().getSimpleName()).isEmpty();
      assertThat(p.adoptions()).as(pl.getClass().getSimpleName()).isEmpty();
    }
    // an instance matched by its id, not by name, as the reconciler matches them
    w.cloud("arbutus").instances.set(0, new Instance(InstanceId.of("i-other"), stuck.id(), stuck.flavor(), InstanceState.ACTIVE, "",
        Map.of(Csv2Tags.INSTANCE_ID, World.ENGINE, Csv2Tags.GROUP, "atlas"), null));
    assertThat(planner.plan(w.snapshot()).terminations()).extracting(Terminate::vm).doesNotContain(stuck.id());
    // a cloud that could not be read proves nothing
    w.cloud("arbutus").instances.set(0, instance(stuck, "i-0", InstanceState.ACTIVE));
    w.cloud("arbutus").reachable = false;
    assertThat(planner.plan(w.snapshot()).terminations()).isEmpty();
  }

  @Test
  void aTerminatingVmWhoseWorkerRunsJobsIsNotTerminatedAgain() {
    World w = atlasOn("arbutus");
    Vm v = w.vm("atlas", "arbutus", "c8", F8, VmState.TERMINATING, Duration.ofHours(1));
    w.add(v = v.toBuilder().lastAttemptAt(World.NOW.minusSeconds(900)).terminateAttempts(1).build()).worker(v, Resources.of(1, 1000), 1);
    w.cloud("arbutus").instances.add(instance(v, "i-0", InstanceState.ACTIVE));
    assertThat(planner.plan(w.snapshot()).actions()).isEmpty();
  }

  // ---- fair share -------------------------------------------------------------------------------

  @Test
  void brokenAndLeavingVmsDoNotCountInTheFairShare() {
    World w = new World().throttles(new Throttles(1000, 100000, 1000, 0, 0)).group("alpha").group("beta")
        .alloc("alpha", "c0", 0).alloc("beta", "c0", 0)
        .idle("alpha", 10, 1, 1000).idle("beta", 10, 1, 1000);
    w.cloud("c0").flavor("f1", 1, 2048, 0.01).quota(2, -1, -1);
    w.cloud("c1").flavor("f1", 1, 2048, 0.01);
    // alpha's VMs on c1, where it has no allocation (any more): young, so no rule acts on them
    w.vm("alpha", "c1", "f1", Resources.of(1, 2048, 20), VmState.ERROR, Duration.ofSeconds(10));
    w.vm("alpha", "c1", "f1", Resources.of(1, 2048, 20), VmState.TERMINATING, Duration.ofSeconds(10));
    Vm retiring = w.vm("alpha", "c1", "f1", Resources.of(1, 2048, 20), VmState.RETIRING, Duration.ofSeconds(10));
    w.add(retiring.toBuilder().lastAttemptAt(World.NOW).build()).worker(retiring, Resources.of(1, 1000), 1);
    Plan p = planner.plan(w.snapshot());
    assertThat(p.boots()).extracting(b -> b.group().value() + ":" + b.count()).containsExactlyInAnyOrder("alpha:1", "beta:1");
    // VMs that serve jobs do count: with them alpha is ahead, and beta gets the contended room
    World busy = new World().throttles(new Throttles(1000, 100000, 1000, 0, 0)).group("alpha").group("beta")
        .alloc("alpha", "c0", 0).alloc("beta", "c0", 0)
        .idle("alpha", 10, 1, 1000).idle("beta", 10, 1, 1000);
    busy.cloud("c0").flavor("f1", 1, 2048, 0.01).quota(2, -1, -1);
    busy.cloud("c1").flavor("f1", 1, 2048, 0.01);
    for (int i = 0; i < 3; i++) {
      Vm r = busy.vm("alpha", "c1", "f1", Resources.of(1, 2048, 20), VmState.RUNNING, Duration.ofSeconds(10));
      busy.worker(r, Resources.of(1, 1000), 1);
    }
    assertThat(planner.plan(busy.snapshot()).boots()).extracting(b -> b.group().value() + ":" + b.count()).containsExactly("beta:2");
  }

  @Test
  void planningIsPureAndTheFactoryKnowsBothPolicies() {
    assertThat(Planners.forPolicy("default")).isInstanceOf(DefaultPlanner.class);
    assertThat(Planners.forPolicy("csv2-classic")).isInstanceOf(ClassicPlanner.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Planners.forPolicy("greedy"))
        .isInstanceOf(org.csv2.api.ConfigurationException.class)
        .hasMessageContaining("'greedy'").hasMessageContaining("csv2-classic");
    assertThat(List.of(Retire.class, Terminate.class)).isNotEmpty();
  }
}

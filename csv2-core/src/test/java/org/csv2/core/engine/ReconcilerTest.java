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
package org.csv2.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.csv2.core.engine.Fixture.C1;
import static org.csv2.core.engine.Fixture.C2;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.csv2.api.BreakerState;
import org.csv2.api.CloudException;
import org.csv2.api.CloudStatus;
import org.csv2.api.CycleReport;
import org.csv2.core.planning.CloudView;
import org.csv2.core.planning.DefaultPlanner;
import org.csv2.model.Adopt;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Plan;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.csv2.spi.CloudDriver;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.spi.Csv2Tags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private List<Vm> vms() {
    return f.store.vms();
  }

  private Vm only() {
    assertThat(vms()).hasSize(1);
    return vms().get(0);
  }

  @Test
  void theIntentIsCommittedBeforeTheBootCall() {
    AtomicReference<List<Vm>> seenDuringBoot = new AtomicReference<>();
    f.c1().beforeBoot = r -> seenDuringBoot.set(f.store.vms());
    f.planOnce(Fixture.boot(2));
    Reconciler r = f.build();

    r.runCycle();

    assertThat(seenDuringBoot.get()).hasSize(2).allSatisfy(v -> assertThat(v.state()).isEqualTo(VmState.REQUESTED));
    List<VmId> requested = f.c1().boots.get(0).names();
    assertThat(seenDuringBoot.get()).extracting(Vm::id).containsExactlyInAnyOrderElementsOf(requested);
    assertThat(requested).allSatisfy(id -> assertThat(id.instancePart()).contains("t1"));
    assertThat(f.c1().boots.get(0).tags())
        .containsEntry(Csv2Tags.INSTANCE_ID, "t1")
        .containsEntry(Csv2Tags.GROUP, "atlas")
        .containsEntry(Csv2Tags.CLOUD, "c1");
    assertThat(vms()).allSatisfy(v -> {
      assertThat(v.state()).isEqualTo(VmState.BOOTING);
      assertThat(v.instanceId()).isNotNull();
    });
  }

  @Test
  void aLostBootReplyIsMatchedByNameNextCycle() {
    f.c1().loseBootReply = true;
    f.planOnce(Fixture.boot(1));
    Reconciler r = f.build();

    CycleReport first = r.runCycle();
    assertThat(only().state()).isEqualTo(VmState.REQUESTED);
    assertThat(only().instanceId()).isNull();
    assertThat(first.failures()).anySatisfy(m -> assertThat(m).contains("no reply"));

    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();

    Vm vm = only();
    assertThat(vm.state()).isEqualTo(VmState.BOOTING);
    assertThat(vm.instanceId()).isEqualTo(f.c1().instances.keySet().iterator().next());
  }

  @Test
  void aBootTheCloudNeverAnsweredEndsAfterTwoCycles() {
    f.c1().failBoot = new CloudException(CloudException.Reason.UNAVAILABLE, "timeout");
    f.planOnce(Fixture.boot(1));
    Reconciler r = f.build();
    r.runCycle();
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();
    assertThat(only().state()).as("one cycle later").isEqualTo(VmState.REQUESTED);
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();
    assertThat(only().state()).as("two cycles later").isEqualTo(VmState.TERMINATED);
    assertThat(only().reason()).contains("boot never answered");
  }

  @Test
  void aCapacityErrorEndsTheBootWithoutTrippingTheBreaker() {
    f.c1().failBoot = new CloudException(CloudException.Reason.CAPACITY_UNAVAILABLE, "No valid host");
    f.planOnce(Fixture.boot(2));
    Reconciler r = f.build();
    r.runCycle();
    assertThat(vms()).hasSize(2).allSatisfy(v -> {
      assertThat(v.state()).isEqualTo(VmState.TERMINATED);
      assertThat(v.reason()).contains("CAPACITY_UNAVAILABLE");
    });
    CloudStatus c1 = status(r, C1);
    assertThat(c1.breaker()).isEqualTo(BreakerState.CLOSED);
    assertThat(c1.consecutiveFailures()).isZero();
  }

  @Test
  void aVanishedInstanceEndsTheVmWithAnAccountingRecord() {
    f.planOnce(Fixture.boot(1));
    Reconciler r = f.build();
    r.runCycle();
    f.c1().setAll(InstanceState.ACTIVE);
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();
    assertThat(only().state()).isEqualTo(VmState.UNREGISTERED);

    f.c1().instances.clear();
    f.clock.advance(Duration.ofSeconds(100));
    r.runCycle();

    assertThat(only().state()).isEqualTo(VmState.TERMINATED);
    assertThat(only().reason()).contains("vanished");
    var records = f.store.accounting(Fixture.T0, Fixture.T0.plusSeconds(3600));
    assertThat(records).singleElement().satisfies(a -> {
      assertThat(a.vm()).isEqualTo(only().id());
      assertThat(a.start()).isEqualTo(Fixture.T0);
      assertThat(a.wallSeconds()).isEqualTo(110);
      assertThat(a.cores()).isEqualTo(2);
    });
  }

  @Test
  void theBreakerOpensAfterRepeatedFailuresAndShowsInStatus() {
    f.c2().failReads = new CloudException(CloudException.Reason.UNAVAILABLE, "c2 is down");
    Reconciler r = f.build();
    for (int i = 0; i < 3; i++) {
      r.runCycle();
      f.clock.advance(Duration.ofSeconds(10));
    }
    CloudStatus c2 = status(r, C2);
    assertThat(c2.breaker()).isEqualTo(BreakerState.OPEN);
    assertThat(c2.reason()).contains("c2 is down");
    assertThat(c2.consecutiveFailures()).isEqualTo(3);
    assertThat(c2.retryAt()).isEqualTo(Fixture.T0.plusSeconds(20 + 60));
    assertThat(r.status(false).problems()).anySatisfy(p -> assertThat(p).contains("c2"));
    assertThat(status(r, C1).breaker()).isEqualTo(BreakerState.CLOSED);

    int calls = f.c2().instanceCalls.get();
    r.runCycle();
    assertThat(f.c2().instanceCalls.get()).as("no call while open").isEqualTo(calls);
    assertThat(view(C2).reachable()).isFalse();

    f.clock.set(Fixture.T0.plusSeconds(80));
    r.runCycle();
    assertThat(f.c2().instanceCalls.get()).as("one trial").isEqualTo(calls + 1);
    assertThat(status(r, C2).retryAt()).as("failed trial doubles the wait").isEqualTo(Fixture.T0.plusSeconds(80 + 120));

    f.c2().failReads = null;
    f.clock.set(Fixture.T0.plusSeconds(200));
    r.runCycle();
    assertThat(status(r, C2).breaker()).isEqualTo(BreakerState.CLOSED);
    assertThat(view(C2).reachable()).isTrue();
  }

  @Test
  void aFailingTerminateDoesNotStopTheOthers() {
    f.planOnce(Fixture.boot(3));
    Reconciler r = f.build();
    r.runCycle();
    List<Vm> booted = vms();
    Vm victim = booted.get(1);
    f.c1().failTerminateOf = victim.instanceId();
    f.planOnce(booted.stream().map(v -> new Terminate(v.id(), "test")).toArray(Terminate[]::new));
    f.clock.advance(Duration.ofSeconds(10));

    CycleReport report = r.runCycle();

    assertThat(f.c1().terminated).hasSize(2).doesNotContain(victim.instanceId());
    assertThat(f.jobs.forgotten).hasSize(2).doesNotContain(victim.id());
    assertThat(report.failures()).anySatisfy(m -> assertThat(m).contains(victim.id().value()));
    for (Vm v : vms()) {
      assertThat(v.terminateAttempts()).isEqualTo(1);
      assertThat(v.state()).isEqualTo(v.id().equals(victim.id()) ? VmState.BOOTING : VmState.TERMINATING);
    }

    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();
    assertThat(vms()).filteredOn(v -> v.state() == VmState.TERMINATED).hasSize(2);
  }

  @Test
  void terminationsGoInBatchesToADriverThatTakesThemAndEachVmKeepsItsOwnOutcome() {
    FakeCloud.Batching c1 = new FakeCloud.Batching();
    f.clouds.put(Fixture.C1, c1);
    f.planOnce(Fixture.boot(250));
    Reconciler r = f.build();
    r.runCycle();
    List<Vm> booted = vms();
    assertThat(booted).hasSize(250);
    Vm victim = booted.get(120);
    c1.failTerminateOf = victim.instanceId();
    c1.failTerminateReason = CloudException.Reason.INVALID_REQUEST; // that server alone is locked
    f.planOnce(booted.stream().map(v -> new Terminate(v.id(), "test")).toArray(Terminate[]::new));
    f.clock.advance(Duration.ofSeconds(10));

    CycleReport report = r.runCycle();

    assertThat(c1.batches).as("at most %d per call", CloudDriver.TERMINATE_BATCH).containsExactly(100, 100, 50);
    assertThat(c1.terminated).hasSize(249).doesNotContain(victim.instanceId());
    assertThat(f.jobs.forgotten).hasSize(249).doesNotContain(victim.id());
    assertThat(report.failures()).singleElement().asString().contains(victim.id().value(), "failed");
    for (Vm v : vms()) {
      assertThat(v.terminateAttempts()).isEqualTo(1);
      assertThat(v.state()).isEqualTo(v.id().equals(victim.id()) ? VmState.BOOTING : VmState.TERMINATING);
    }

    c1.failTerminateOf = null;
    f.planOnce(new Terminate(victim.id(), "again"));
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();
    assertThat(c1.terminated).contains(victim.instanceId());
    assertThat(c1.batches).as("a single termination is a batch of one").hasSize(4).endsWith(1);
  }

  @Test
  void cloudsAreReadConcurrently() {
    CyclicBarrier both = new CyclicBarrier(2);
    Runnable meet =
        () -> {
          try {
            both.await(20, TimeUnit.SECONDS);
          } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            throw new CloudException(CloudException.Reason.UNAVAILABLE, "the other cloud's call never came", e);
          }
        };
    f.c1().onInstances = meet;
    f.c2().onInstances = meet;
    f.callTimeout = Duration.ofSeconds(30);
    Reconciler r = f.build();

    CycleReport report = r.runCycle();

    assertThat(report.failures()).isEmpty();
    assertThat(view(C1).reachable()).isTrue();
    assertThat(view(C2).reachable()).isTrue();
  }

  @Test
  void aHangingCloudCallTimesOutAndTheOtherCloudGoesOn() {
    CountDownLatch release = new CountDownLatch(1);
    f.c2().onInstances =
        () -> {
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    f.callTimeout = Duration.ofMillis(300);
    Reconciler r = f.build();
    try {
      CycleReport report = r.runCycle();
      assertThat(report.failures()).anySatisfy(m -> assertThat(m).contains("c2").contains("did not answer"));
      assertThat(view(C2).reachable()).isFalse();
      assertThat(view(C1).reachable()).isTrue();
      assertThat(status(r, C2).consecutiveFailures()).isEqualTo(1);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aDryRunCallsNothingMutatingAndWritesNothing() {
    f.planOnce(Fixture.boot(1));
    Reconciler r = f.build();
    r.runCycle();
    f.c1().setAll(InstanceState.ACTIVE);
    Vm vm = only();
    f.jobs.addWorker(vm.id(), 0);
    int commits = f.store.commits.get();
    int writes = f.store.writes.get();
    int mutating = f.c1().mutatingCalls.get();
    f.planner = s -> List.of(Fixture.boot(2), new Retire(vm.id(), "idle"), new Terminate(vm.id(), "test"));
    f.clock.advance(Duration.ofSeconds(10));

    Plan plan = r.plan();

    assertThat(plan.boots()).hasSize(1);
    assertThat(plan.retirements()).hasSize(1);
    assertThat(f.store.commits.get()).isEqualTo(commits);
    assertThat(f.store.writes.get()).as("no lease either").isEqualTo(writes);
    assertThat(f.c1().mutatingCalls.get()).isEqualTo(mutating);
    assertThat(f.jobs.retired).isEmpty();
    assertThat(f.jobs.forgotten).isEmpty();
    assertThat(only()).isEqualTo(vm);
  }

  @Test
  void aCycleThatChangesNothingWritesNothing() {
    f.planOnce(Fixture.boot(1));
    Reconciler r = f.build();
    r.runCycle();
    f.c1().setAll(InstanceState.ACTIVE);
    f.jobs.addWorker(only().id(), 1);
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();
    assertThat(only().state()).isEqualTo(VmState.RUNNING);
    int commits = f.store.commits.get();

    for (int i = 0; i < 3; i++) {
      f.clock.advance(Duration.ofSeconds(10));
      r.runCycle();
    }

    assertThat(f.store.commits.get()).isEqualTo(commits);
  }

  @Test
  void samplesAreWrittenWhenAFigureChanges() {
    f.planOnce(Fixture.boot(1));
    Reconciler r = f.build();
    r.runCycle();
    Instant end = Fixture.T0.plusSeconds(3600);
    assertThat(f.store.samples("vms", Fixture.T0, end))
        .anySatisfy(s -> {
          assertThat(s.labels()).containsEntry("state", "booting");
          assertThat(s.value()).isEqualTo(1.0);
        });
    assertThat(f.store.samples("cores", Fixture.T0, end)).anySatisfy(s -> assertThat(s.value()).isEqualTo(2.0));
    assertThat(f.store.samples("plan.time.ms", Fixture.T0, end)).hasSize(1);
  }

  @Test
  void aJobSourceFailureStopsBootsAndRetirements() {
    f.planOnce(Fixture.boot(1));
    Reconciler r = f.build();
    r.runCycle();
    Vm vm = only();
    f.jobs.fail = true;
    f.planner = s -> List.of(Fixture.boot(1), new Retire(vm.id(), "idle"));
    f.clock.advance(Duration.ofSeconds(10));

    CycleReport report = r.runCycle();

    assertThat(f.c1().boots).hasSize(1);
    assertThat(f.jobs.retired).isEmpty();
    assertThat(only().state()).isEqualTo(VmState.BOOTING);
    assertThat(report.failures()).anySatisfy(m -> assertThat(m).contains("job source"));
  }

  @Test
  void anUnknownTaggedInstanceIsAdopted() {
    Instance stray =
        new Instance(
            InstanceId.of("i-stray"),
            VmId.of("atlas--c1--t1--lost0001"),
            FlavorName.of("small"),
            InstanceState.ACTIVE,
            "",
            Map.of(Csv2Tags.INSTANCE_ID, "t1", Csv2Tags.GROUP, "atlas"),
            Fixture.T0.minusSeconds(30));
    f.c1().instances.put(stray.id(), stray);
    f.planOnce(new Adopt(C1, Fixture.ATLAS, stray, "tagged as ours, not recorded"));
    Reconciler r = f.build();

    r.runCycle();

    Vm vm = only();
    assertThat(vm.id()).isEqualTo(stray.name());
    assertThat(vm.instanceId()).isEqualTo(stray.id());
    assertThat(vm.state()).isEqualTo(VmState.UNREGISTERED);
    assertThat(vm.resources().cores()).isEqualTo(2);
    assertThat(f.store.history(vm.id())).singleElement().satisfies(e -> assertThat(e.from()).isNull());
  }

  @Test
  void retiringAskesTheJobSourceAndCounts() {
    f.planOnce(Fixture.boot(1));
    Reconciler r = f.build();
    r.runCycle();
    f.c1().setAll(InstanceState.ACTIVE);
    f.jobs.addWorker(only().id(), 0);
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();
    assertThat(only().state()).isEqualTo(VmState.IDLE);
    f.planOnce(new Retire(only().id(), "idle past keep-alive"));
    f.clock.advance(Duration.ofSeconds(10));

    r.runCycle();

    assertThat(f.jobs.retired).hasSize(1);
    assertThat(only().state()).isEqualTo(VmState.RETIRING);
    assertThat(only().retireAttempts()).isEqualTo(1);
    assertThat(only().lastAttemptAt()).isEqualTo(f.clock.instant());
  }

  // ---- leases

  @Test
  void leasesAreTakenInTheNameOfThisProcess() {
    Reconciler r = f.build();
    r.runCycle();
    assertThat(f.store.leases()).as("the group's lease and the engine's presence lease")
        .hasSize(2).allSatisfy(l -> assertThat(l.owner()).isEqualTo("t1@fixture"))
        .extracting(l -> l.group()).contains(Fixture.ATLAS, LeaseStep.presence("t1@fixture"));
    assertThat(f.lastSnapshot().groups()).extracting(g -> g.name()).containsExactly(Fixture.ATLAS);
  }

  @Test
  void vmsOfAGroupAnotherProcessLeasesAreCountedButNeitherDerivedNorActedOn() {
    f.planOnce(Fixture.boot(1));
    Reconciler r = f.build();
    r.runCycle();
    Vm vm = only();
    assertThat(vm.state()).isEqualTo(VmState.BOOTING);
    // the same instance id in another process takes the group over once this one's lease expired
    f.clock.advance(Duration.ofSeconds(61));
    assertThat(f.store.tryLease(Fixture.ATLAS, "t1@other", f.clock.instant(), Duration.ofSeconds(60))).isPresent();
    f.c1().setAll(InstanceState.ACTIVE);
    f.planner = s -> List.of(new Terminate(vm.id(), "test"), new Retire(vm.id(), "test"), Fixture.boot(1));
    int commits = f.store.commits.get();

    CycleReport report = r.runCycle();

    assertThat(f.lastSnapshot().groups()).isEmpty();
    assertThat(f.lastSnapshot().vms()).as("counted, as stored").containsExactly(vm);
    assertThat(report.plan().actions()).isEmpty();
    assertThat(report.plan().notes()).hasSize(3).allSatisfy(n -> assertThat(n).contains("served by another engine"));
    assertThat(f.c1().terminated).isEmpty();
    assertThat(f.c1().boots).hasSize(1);
    assertThat(f.jobs.retired).isEmpty();
    assertThat(only()).as("not rewritten").isEqualTo(vm);
    assertThat(f.store.commits.get()).as("only samples, if anything").isLessThanOrEqualTo(commits + 1);
  }

  // ---- concurrency

  @Test
  void bootsOnDifferentCloudsRunConcurrently() {
    CountDownLatch secondArrived = new CountDownLatch(1);
    f.c1().beforeBoot =
        r -> {
          try {
            if (!secondArrived.await(20, TimeUnit.SECONDS)) {
              throw new CloudException(CloudException.Reason.INVALID_REQUEST, "c2's boot did not come while c1's was under way");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudException(CloudException.Reason.UNAVAILABLE, "interrupted", e);
          }
        };
    f.c2().beforeBoot = r -> secondArrived.countDown();
    f.callTimeout = Duration.ofSeconds(30);
    f.planOnce(Fixture.boot(C1, 1), Fixture.boot(C2, 1));
    Reconciler r = f.build();

    CycleReport report = r.runCycle();

    assertThat(report.failures()).isEmpty();
    assertThat(vms()).hasSize(2).allSatisfy(v -> assertThat(v.state()).isEqualTo(VmState.BOOTING));
    assertThat(vms()).extracting(Vm::cloud).containsExactlyInAnyOrder(C1, C2);
  }

  @Test
  void withinOneCloudActionsKeepThePlanOrder() {
    f.planOnce(Fixture.boot(2));
    Reconciler r = f.build();
    r.runCycle();
    List<Vm> booted = vms();
    List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    f.c1().beforeBoot = req -> calls.add("boot");
    f.planOnce(new Terminate(booted.get(0).id(), "t"), Fixture.boot(1), new Terminate(booted.get(1).id(), "t"));
    f.clock.advance(Duration.ofSeconds(10));
    int before = f.c1().terminated.size();

    r.runCycle();

    assertThat(f.c1().terminated).hasSize(before + 2);
    assertThat(calls).containsExactly("boot");
    assertThat(f.jobs.forgotten).containsExactly(booted.get(0).id(), booted.get(1).id());
  }

  // ---- stuck terminations

  @Test
  void aTerminationThatDoesNotTakeIsSentAgainAfterTheErrorDelay() {
    f.planOnce(Fixture.boot(1));
    Reconciler r = f.build();
    r.runCycle();
    f.c1().ignoreTerminate = true;
    f.planOnce(new Terminate(only().id(), "test"));
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();
    assertThat(only().state()).isEqualTo(VmState.TERMINATING);
    assertThat(f.c1().terminated).hasSize(1);
    // from now on the default policy plans, as in production
    DefaultPlanner policy = new DefaultPlanner();
    f.planner = s -> policy.plan(s).actions();

    f.clock.advance(Duration.ofSeconds(200));
    r.runCycle();
    assertThat(f.c1().terminated).as("before error-delay").hasSize(1);

    f.clock.advance(Duration.ofSeconds(101));
    CycleReport again = r.runCycle();
    assertThat(f.c1().terminated).as("after error-delay").hasSize(2);
    assertThat(again.plan().terminations()).singleElement().satisfies(t -> assertThat(t.reason()).contains("again"));
    assertThat(only().terminateAttempts()).isEqualTo(2);
    assertThat(only().lastAttemptAt()).isEqualTo(f.clock.instant());
    assertThat(only().state()).isEqualTo(VmState.TERMINATING);
    assertThat(f.jobs.forgotten).as("forgotten once").hasSize(1);

    f.c1().ignoreTerminate = false;
    f.clock.advance(Duration.ofSeconds(301));
    r.runCycle();
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();
    assertThat(only().state()).isEqualTo(VmState.TERMINATED);
    assertThat(only().terminateAttempts()).isEqualTo(3);
  }

  // ---- dry run

  @Test
  void aDryRunLeavesTheBreakersAlone() {
    f.c2().failReads = new CloudException(CloudException.Reason.UNAVAILABLE, "c2 is down");
    Reconciler r = f.build();

    Plan plan = r.plan();

    assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("c2 is down"));
    assertThat(status(r, C2).breaker()).isEqualTo(BreakerState.CLOSED);
    assertThat(status(r, C2).consecutiveFailures()).isZero();

    for (int i = 0; i < 3; i++) {
      r.runCycle();
      f.clock.advance(Duration.ofSeconds(10));
    }
    CloudStatus open = status(r, C2);
    assertThat(open.breaker()).isEqualTo(BreakerState.OPEN);
    f.clock.set(open.retryAt().plusSeconds(1));

    r.plan();
    r.plan();

    assertThat(status(r, C2)).as("no trial recorded, not HALF_OPEN").isEqualTo(open);
  }

  @Test
  void aDryRunDoesNotRefreshTheCaches() {
    Reconciler r = f.build();
    r.runCycle();
    CloudGateway g = r.gateways().get(C1);
    List<org.csv2.model.Flavor> cached = g.flavors();
    f.clock.advance(Duration.ofHours(1));

    Plan plan = r.plan();

    assertThat(plan.notes()).isEmpty();
    assertThat(g.flavors()).isSameAs(cached);
    assertThat(g.catalogStale(f.clock.instant())).isTrue();
  }

  // ---- retention

  @Test
  void terminatedRecordsAreDeletedAfterTheRetention() {
    f.planOnce(Fixture.boot(1));
    Reconciler r = f.build();
    r.runCycle();
    f.c1().instances.clear();
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();
    Vm ended = only();
    assertThat(ended.state()).isEqualTo(VmState.TERMINATED);

    f.clock.advance(Reconciler.TERMINATED_RETENTION.minusSeconds(10));
    r.runCycle();
    assertThat(vms()).as("within the retention").containsExactly(ended);

    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();
    assertThat(vms()).as("after the retention").isEmpty();
    assertThat(f.store.history(ended.id())).extracting(e -> e.to()).contains(VmState.TERMINATED);
    assertThat(f.store.accounting(Fixture.T0, f.clock.instant())).hasSize(1);
  }

  @Test
  void eachTerminatedRecordIsDeletedAtTheEndOfItsOwnRetention() {
    f.planOnce(Fixture.boot(2));
    Reconciler r = f.build();
    r.runCycle();
    List<Vm> booted = vms();
    assertThat(booted).hasSize(2);
    Vm first = booted.get(0);
    Vm second = booted.get(1);
    f.c1().instances.values().removeIf(i -> i.name().equals(first.id()));
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle(); // first ends now
    f.clock.advance(Duration.ofHours(1));
    f.c1().instances.clear();
    r.runCycle(); // second ends an hour later
    assertThat(vms()).allSatisfy(v -> assertThat(v.state()).isEqualTo(VmState.TERMINATED));

    f.clock.advance(Reconciler.TERMINATED_RETENTION.minusHours(1));
    r.runCycle();
    assertThat(vms()).as("the first one's retention is over, not the second's").extracting(Vm::id).containsExactly(second.id());

    f.clock.advance(Duration.ofMinutes(59));
    r.runCycle();
    assertThat(vms()).as("a minute before the second one's end").extracting(Vm::id).containsExactly(second.id());

    f.clock.advance(Duration.ofMinutes(1));
    r.runCycle();
    assertThat(vms()).as("after the second one's retention").isEmpty();
  }

  @Test
  void retentionsEndingWithinTheBatchAreDeletedInOneLookAtMostTheBatchLate() {
    f.planOnce(Fixture.boot(2));
    Reconciler r = f.build();
    r.runCycle();
    List<Vm> booted = vms();
    Vm first = booted.get(0);
    Vm second = booted.get(1);
    f.c1().instances.values().removeIf(i -> i.name().equals(first.id()));
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle(); // first ends now
    f.clock.advance(Duration.ofMinutes(1));
    f.c1().instances.clear();
    r.runCycle(); // second ends a minute later
    assertThat(vms()).allSatisfy(v -> assertThat(v.state()).isEqualTo(VmState.TERMINATED));

    f.clock.advance(Reconciler.TERMINATED_RETENTION.minusMinutes(1));
    r.runCycle();
    assertThat(vms()).as("the first one's retention is over").extracting(Vm::id).containsExactly(second.id());

    f.clock.advance(Duration.ofMinutes(2));
    r.runCycle();
    assertThat(vms()).as("the second one's is over too, but the next look is a batch later")
        .extracting(Vm::id).containsExactly(second.id());

    f.clock.advance(RecordStep.RETENTION_BATCH.minusMinutes(2));
    r.runCycle();
    assertThat(vms()).as("deleted at the next look, a batch after the last").isEmpty();
  }

  @Test
  void aNewVmNeverTakesTheNameOfATerminatedRecord() {
    f.planOnce(Fixture.boot(1));
    Reconciler r = f.build();
    r.runCycle();
    Vm ended = only();
    f.c1().instances.clear();
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();
    assertThat(only().state()).isEqualTo(VmState.TERMINATED);

    // a second engine process with the same name generator would draw the same name first
    f.planOnce(Fixture.boot(1));
    Reconciler again = f.build();
    again.runCycle();

    assertThat(vms()).hasSize(2);
    assertThat(vms()).filteredOn(v -> v.state() != VmState.TERMINATED).singleElement()
        .satisfies(v -> assertThat(v.id()).isNotEqualTo(ended.id()));
    assertThat(f.store.vm(ended.id())).get().extracting(Vm::state).isEqualTo(VmState.TERMINATED);
  }

  @Test
  void aTerminatedRecordWhoseInstanceIsListedAgainIsShownToThePlannerAndRevived() {
    f.planOnce(Fixture.boot(1));
    Reconciler r = f.build();
    r.runCycle();
    Vm vm = only();
    Instance instance = f.c1().instances.values().iterator().next();
    f.c1().instances.clear();
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();
    assertThat(only().state()).isEqualTo(VmState.TERMINATED);
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();
    assertThat(f.lastSnapshot().vms()).as("a TERMINATED record no cloud lists is not planned with").isEmpty();

    f.c1().instances.put(instance.id(), instance);
    f.planOnce(new Adopt(C1, Fixture.ATLAS, instance, "it outlived its record"));
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();

    assertThat(f.lastSnapshot().vms()).extracting(Vm::id, Vm::state).containsExactly(tuple(vm.id(), VmState.TERMINATED));
    assertThat(only().id()).isEqualTo(vm.id());
    assertThat(only().state()).isNotEqualTo(VmState.TERMINATED);
    assertThat(only().instanceId()).isEqualTo(instance.id());
  }

  @Test
  void onlyTheJobsOfHeldGroupsArePlannedWith() {
    GroupName cms = GroupName.of("cms");
    List<org.csv2.model.Job> jobs =
        List.of(job("a1", Fixture.ATLAS), job("c1", cms), job("a2", GroupName.of("atlas")), job("c2", cms));
    assertThat(PlanStep.heldJobs(jobs, Set.of(Fixture.ATLAS))).extracting(j -> j.id().value()).containsExactly("a1", "a2");
    assertThat(PlanStep.heldJobs(jobs, Set.of(Fixture.ATLAS, cms))).isSameAs(jobs);
    assertThat(PlanStep.heldJobs(jobs, Set.of())).isEmpty();
  }

  @Test
  void jobsOfAGroupThatIsNotConfiguredAreNeitherCountedNorDemand() {
    f.jobs.jobs.add(job("a1", Fixture.ATLAS));
    f.jobs.jobs.add(job("c1", GroupName.of("cms")));
    f.jobs.jobs.add(job("c2", GroupName.of("cms")));
    Reconciler r = f.build();

    CycleReport report = r.runCycle();

    assertThat(report.idleJobs()).as("only the configured group's job").isEqualTo(1);
    assertThat(f.store.samples("jobs.idle", Fixture.T0, Fixture.T0.plusSeconds(1)))
        .extracting(sample -> sample.labels().get("group") + "=" + sample.value())
        .containsExactly("atlas=1.0");
  }

  private static org.csv2.model.Job job(String id, GroupName group) {
    return org.csv2.model.Job.builder(org.csv2.model.JobId.of(id), group).owner("alice").build();
  }

  // ---- partial boots

  @Test
  void aPartialBootEndsTheMissingVmsAtOnceWithTheReason() {
    f.c1().bootLimit = 1;
    f.planOnce(Fixture.boot(3));
    Reconciler r = f.build();

    CycleReport report = r.runCycle();

    assertThat(vms()).filteredOn(v -> v.state() == VmState.BOOTING).hasSize(1);
    assertThat(vms())
        .filteredOn(v -> v.state() == VmState.TERMINATED)
        .hasSize(2)
        .allSatisfy(v -> assertThat(v.reason()).isEqualTo("boot returned 1 of 3 instances"));
    assertThat(report.failures()).anySatisfy(m -> assertThat(m).contains("boot returned 1 of 3 instances"));
  }

  // ---- plugin metrics

  @Test
  void pluginFiguresAreWrittenAsSamplesWhenTheyChange() {
    org.csv2.spi.MetricsSink sink = f.metrics.sink("fake", "c1");
    f.c1().onInstances = () -> sink.gauge("fake.latency.ms", 12.5, Map.of("call", "instances"));
    Reconciler r = f.build();
    r.runCycle();
    sink.count("fake.retries", 2, Map.of());
    sink.count("fake.retries", 3, Map.of());
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();

    Instant end = f.clock.instant().plusSeconds(1);
    assertThat(f.store.samples("fake.latency.ms", Fixture.T0, end)).as("written once: unchanged after").singleElement().satisfies(s -> {
      assertThat(s.value()).isEqualTo(12.5);
      assertThat(s.labels()).containsEntry("plugin", "fake").containsEntry("element", "c1").containsEntry("call", "instances");
    });
    assertThat(f.store.samples("fake.retries", Fixture.T0, end)).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(5.0));
  }

  private CloudStatus status(Reconciler r, org.csv2.model.CloudName cloud) {
    return r.status(false).clouds().stream().filter(c -> c.cloud().equals(cloud)).findFirst().orElseThrow();
  }

  @Test
  void expiringCredentialsWarnFrom28DaysAndStopBootsFrom7DaysButKeepTheVms() {
    Reconciler r = f.build();
    f.planOnce(Fixture.boot(2));
    r.runCycle();
    assertThat(f.c1().instances()).hasSize(2);
    f.c1().credentialsExpireAt = java.util.Optional.of(Fixture.T0.plus(Duration.ofDays(40)));
    f.clock.advance(Duration.ofSeconds(10));
    assertThat(r.runCycle().failures()).noneMatch(p -> p.contains("credentials"));
    assertThat(r.gateways().get(C1).credentialDaysLeft()).isEqualTo(39);
    assertThat(view(C1).cloud().enabled()).isTrue();

    f.c1().credentialsExpireAt = java.util.Optional.of(Fixture.T0.plus(Duration.ofDays(20)));
    f.clock.advance(Duration.ofSeconds(10));
    assertThat(r.runCycle().failures())
        .anySatisfy(p -> assertThat(p).startsWith("cloud c1: credentials expire at 2024-05-21T10:00:00Z (19 day(s) left; engine.credential-warn 28d)"));
    assertThat(view(C1).cloud().enabled()).as("still booting").isTrue();

    f.c1().credentialsExpireAt = java.util.Optional.of(Fixture.T0.plus(Duration.ofDays(7)));
    f.clock.advance(Duration.ofSeconds(10));
    f.planOnce(Fixture.boot(1));
    assertThat(r.runCycle().failures())
        .anySatisfy(p -> assertThat(p).contains("cloud c1: credentials expire at").contains("no new boots there (engine.credential-stop 7d)"));
    assertThat(view(C1).cloud().enabled()).as("the planner sees c1 closed for boots").isFalse();
    assertThat(f.c1().instances()).as("no boot, and the running VMs stay").hasSize(2)
        .allSatisfy(i -> assertThat(i.state()).isNotEqualTo(org.csv2.model.InstanceState.TERMINATED));
    assertThat(r.status(false).problems()).anySatisfy(p -> assertThat(p).contains("credentials expire"));
    assertThat(view(C2).cloud().enabled()).as("another cloud is not affected").isTrue();

    f.c1().credentialsExpireAt = java.util.Optional.empty(); // renewed without expiry
    f.clock.advance(Duration.ofSeconds(10));
    assertThat(r.runCycle().failures()).noneMatch(p -> p.contains("credentials"));
    assertThat(r.gateways().get(C1).credentialDaysLeft()).isNull();
    assertThat(view(C1).cloud().enabled()).isTrue();
  }

  private CloudView view(org.csv2.model.CloudName cloud) {
    return f.lastSnapshot().clouds().stream().filter(c -> c.cloud().name().equals(cloud)).findFirst().orElseThrow();
  }
}

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
package org.csv2.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.api.BreakerState;
import org.csv2.api.ConfigurationException;
import org.csv2.api.StateStoreException;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.AuditEntry;
import org.csv2.api.ops.CloudSpec;
import org.csv2.api.ops.CloudView;
import org.csv2.api.ops.ConfigChange;
import org.csv2.api.ops.Controls;
import org.csv2.api.ops.GroupDefaults;
import org.csv2.api.ops.GroupStatus;
import org.csv2.api.ops.Intent;
import org.csv2.api.ops.IntentKind;
import org.csv2.api.ops.IntentStatus;
import org.csv2.api.ops.JobFilter;
import org.csv2.api.ops.JobView;
import org.csv2.api.ops.OperationException;
import org.csv2.api.ops.Operations;
import org.csv2.api.ops.VmFilter;
import org.csv2.api.ops.VmView;
import org.csv2.core.config.ConfigLoader;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.Alias;
import org.csv2.model.AliasName;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.JobId;
import org.csv2.model.JobState;
import org.csv2.model.Resources;
import org.csv2.model.UserDataDocument;
import org.csv2.model.Vm;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.spi.StoreChanges;
import org.csv2.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator verbs over an in-memory store holding a configuration and a few VMs. */
class Csv2OperationsTest {
  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
  private static final GroupName ATLAS = GroupName.of("atlas");
  private static final CloudName C1 = CloudName.of("c1");
  private static final CloudName C2 = CloudName.of("c2");
  private static final Actor ALICE = Actor.of("alice", "admin");
  private static final Actor BOB = Actor.of("bob", "cli");
  private static final String YAML =
      """
      engine:
        instance-id: t1
      groups:
        - name: atlas
          user-data:
            - name: worker
              template: |
                #cloud-config
                hostname: {{vm_name}}
        - name: belle
      clouds:
        - name: c1
          driver: fake
          config:
            auth-url: http://127.0.0.1:5000
            password: ${OS_PASSWORD}
        - name: c2
          driver: fake
          config:
            password: hunter2
      allocations:
        - {group: atlas, cloud: c1, priority: 0}
        - {group: atlas, cloud: c2, priority: 1, cores-ctl: 10}
        - {group: belle, cloud: c2}
      aliases:
        - {group: atlas, name: big, clouds: [c1, c2]}
      job-source:
        driver: fake
      """;

  private final MutableClock clock = MutableClock.at(T0);
  private final InMemoryStateStore store = new InMemoryStateStore(clock);
  private final Operations ops = Csv2Operations.builder(store, clock).env(name -> null).build();

  private Vm idle;
  private Vm running;
  private Vm manual;
  private Vm gone;

  @BeforeEach
  void seed() {
    store.saveConfig(YAML, 0, "engine-t1");
    idle = vm("atlas--c1--t1--aaaa", C1, VmState.IDLE, false);
    running = vm("atlas--c1--t1--bbbb", C1, VmState.RUNNING, false);
    manual = vm("atlas--c1--t1--cccc", C1, VmState.RUNNING, true);
    gone = vm("atlas--c2--t1--dddd", C2, VmState.TERMINATED, false);
    List<Vm> stored = store.commit(new StoreChanges(List.of(idle, running, manual, gone), List.of(), List.of(), List.of(), List.of(), List.of()));
    idle = stored.get(0);
    running = stored.get(1);
    manual = stored.get(2);
    gone = stored.get(3);
    clock.advance(Duration.ofMinutes(5));
  }

  private static Vm vm(String name, CloudName cloud, VmState state, boolean isManual) {
    return Vm.builder(VmId.of(name), ATLAS, cloud, FlavorName.of("m1.large"), T0)
        .resources(Resources.of(4, 8000))
        .image("centos")
        .state(state)
        .stateSince(T0)
        .manual(isManual)
        .build();
  }

  private long version() {
    return store.config().orElseThrow().version();
  }

  // ------------------------------------------------------------------------------- act verbs

  @Test
  void retireStoresAnIntentAndAnAuditEntryWithTheActor() {
    Intent i = ops.retire(ALICE, idle.id());
    assertThat(i.id()).isPositive();
    assertThat(i.kind()).isEqualTo(IntentKind.RETIRE);
    assertThat(i.status()).isEqualTo(IntentStatus.PENDING);
    assertThat(i.actor()).isEqualTo(ALICE);
    assertThat(i.group()).isEqualTo(ATLAS);
    assertThat(i.cloud()).isEqualTo(C1);
    assertThat(i.created()).isEqualTo(clock.instant());
    assertThat(store.pendingIntents(List.of(ATLAS))).containsExactly(i);
    List<AuditEntry> audit = store.audit(T0, 10);
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).actor()).isEqualTo(ALICE);
    assertThat(audit.get(0).action()).isEqualTo("vm retire");
    assertThat(audit.get(0).target()).isEqualTo(idle.id().value());
    assertThat(audit.get(0).before()).contains("state=IDLE").contains("manual=false");
    assertThat(audit.get(0).after()).contains("RETIRE");
    assertThat(ops.audit(BOB, T0, 10)).isEqualTo(audit);
  }

  @Test
  void anUnknownVmIsRefusedAndNothingIsStored() {
    assertThatThrownBy(() -> ops.kill(ALICE, VmId.of("atlas--c1--t1--zzzz"), true))
        .isInstanceOfSatisfying(OperationException.class, e -> {
          assertThat(e.reason()).isEqualTo(OperationException.Reason.NOT_FOUND);
          assertThat(e.getMessage()).contains("atlas--c1--t1--zzzz").contains("not in the state store");
        });
    assertThat(store.intents(null, 10)).isEmpty();
    assertThat(store.audit(T0, 10)).isEmpty();
  }

  @Test
  void manualVmsAreProtectedUntilHandedBack() {
    assertThatThrownBy(() -> ops.retire(ALICE, manual.id()))
        .isInstanceOfSatisfying(OperationException.class, e -> assertThat(e.getMessage()).contains("manual control").contains("sysctl"));
    assertThatThrownBy(() -> ops.kill(ALICE, manual.id(), false))
        .isInstanceOfSatisfying(OperationException.class, e -> assertThat(e.reason()).isEqualTo(OperationException.Reason.REFUSED));
    assertThatThrownBy(() -> ops.manual(ALICE, manual.id(), true)).hasMessageContaining("already under manual control");
    assertThatThrownBy(() -> ops.sysctl(ALICE, idle.id())).hasMessageContaining("not under manual control");
    Intent forced = ops.kill(ALICE, manual.id(), true);
    assertThat(forced.force()).isTrue();
    Intent back = ops.sysctl(BOB, manual.id());
    assertThat(back.kind()).isEqualTo(IntentKind.MANUAL_OFF);
    // the pending hand-back counts: a retire is now accepted
    assertThat(ops.retire(ALICE, manual.id()).kind()).isEqualTo(IntentKind.RETIRE);
    // and a pending manctl protects a VM before the engine applied it
    ops.manual(ALICE, running.id(), true);
    assertThatThrownBy(() -> ops.retire(ALICE, running.id())).hasMessageContaining("manual control");
  }

  @Test
  void aDuplicatePendingIntentAndATerminatedVmAreRefused() {
    Intent first = ops.retire(ALICE, idle.id());
    assertThatThrownBy(() -> ops.retire(BOB, idle.id()))
        .hasMessageContaining("already has a pending RETIRE")
        .hasMessageContaining("intent " + first.id())
        .hasMessageContaining("alice");
    assertThatThrownBy(() -> ops.kill(ALICE, gone.id(), true)).hasMessageContaining("is terminated");
    store.completeIntent(first.id(), first.version(), IntentStatus.DONE, "retired", clock.instant());
    assertThat(ops.retire(BOB, idle.id()).actor()).isEqualTo(BOB);
  }

  @Test
  void retainNeedsAnAllocationOrVmsAndANonNegativeCount() {
    Intent i = ops.retain(ALICE, ATLAS, C1, 1);
    assertThat(i.kind()).isEqualTo(IntentKind.RETAIN);
    assertThat(i.count()).isEqualTo(1);
    assertThat(i.target()).isEqualTo("atlas/c1");
    assertThatThrownBy(() -> ops.retain(ALICE, GroupName.of("belle"), C1, 0))
        .isInstanceOfSatisfying(OperationException.class, e -> assertThat(e.reason()).isEqualTo(OperationException.Reason.NOT_FOUND));
    assertThatThrownBy(() -> ops.retain(ALICE, ATLAS, C1, -1)).hasMessageContaining(">= 0");
    assertThat(ops.intents(BOB, ATLAS, 10)).containsExactly(i);
  }

  // -------------------------------------------------------------------------- configuration

  @Test
  void aStaleConfigurationWriteIsRefusedNamingBothVersions() {
    long read = version();
    ops.pauseCloud(ALICE, C1, read);
    assertThatThrownBy(() -> ops.setControls(BOB, ATLAS, C2, new Controls(20, null, null), read))
        .isInstanceOfSatisfying(StateStoreException.class, e -> {
          assertThat(e.reason()).isEqualTo(StateStoreException.Reason.CONFLICT);
          assertThat(e.getMessage()).contains("version " + read + " was read").contains("version " + (read + 1));
        });
    assertThat(version()).isEqualTo(read + 1);
    assertThat(store.audit(T0, 10)).extracting(AuditEntry::action).containsExactly("cloud pause");
  }

  @Test
  void aChangeThatChangesNothingStoresNoVersionAndNoAuditEntry() {
    ConfigChange first = ops.excludeFlavors(ALICE, ATLAS, C1, Set.of(FlavorName.of("m1.tiny")), version());
    ConfigChange again = ops.excludeFlavors(ALICE, ATLAS, C1, Set.of(FlavorName.of("m1.tiny")), first.version());
    assertThat(again.version()).isEqualTo(first.version());
    assertThat(again.before()).isEqualTo(again.after());
    assertThat(version()).isEqualTo(first.version());
    ops.setControls(BOB, ATLAS, C2, new Controls(20, null, null), version());
    ConfigChange same = ops.setControls(BOB, ATLAS, C2, new Controls(20, null, null), version());
    assertThat(same.intents()).isEmpty();
    assertThat(store.audit(T0, 10)).extracting(AuditEntry::action)
        .containsExactlyInAnyOrder("cloud update flavor-exclusions", "cloud update controls");
    // a stale version is still refused, changed or not
    assertThatThrownBy(() -> ops.excludeFlavors(ALICE, ATLAS, C1, Set.of(FlavorName.of("m1.tiny")), first.version()))
        .isInstanceOf(StateStoreException.class);
  }

  @Test
  void pauseEnableAndControlsAreWhatTheEngineLoads() {
    ConfigChange paused = ops.pauseCloud(ALICE, C1, version());
    assertThat(paused.version()).isEqualTo(2);
    assertThat(paused.after()).contains("enabled: false");
    ops.setControls(ALICE, ATLAS, C2, new Controls(20, 40, 16_000L), Operations.ANY_VERSION);
    ops.excludeFlavors(ALICE, ATLAS, C1, Set.of(FlavorName.of("m1.tiny")), Operations.ANY_VERSION);
    Csv2Config loaded = engineLoad();
    assertThat(loaded.cloud(C1).orElseThrow().cloud().enabled()).isFalse();
    Allocation a2 = allocation(loaded, ATLAS, C2);
    assertThat(a2.coresCtl()).isEqualTo(20);
    assertThat(a2.coresSoftmax()).isEqualTo(40);
    assertThat(a2.ramCtlMiB()).isEqualTo(16_000);
    assertThat(allocation(loaded, ATLAS, C1).excludedFlavors()).containsExactly(FlavorName.of("m1.tiny"));
    ops.setControls(ALICE, ATLAS, C2, new Controls(-1, null, null), Operations.ANY_VERSION);
    assertThat(allocation(engineLoad(), ATLAS, C2).coresCtl()).isEqualTo(-1);
    assertThat(allocation(engineLoad(), ATLAS, C2).coresSoftmax()).as("left as it was").isEqualTo(40);
    ops.enableCloud(BOB, C1, Operations.ANY_VERSION);
    assertThat(engineLoad().cloud(C1).orElseThrow().cloud().enabled()).isTrue();
    // the stored text keeps the user-data template and the secret reference as written
    assertThat(store.config().orElseThrow().document()).contains("${OS_PASSWORD}").contains("hostname: {{vm_name}}");
  }

  /** Parses the stored document the way a running engine does at its next cycle. */
  private Csv2Config engineLoad() {
    return ConfigLoader.parse(store.config().orElseThrow().document(), name -> "x", "stored");
  }

  private static Allocation allocation(Csv2Config c, GroupName g, CloudName cloud) {
    return c.allocations().stream().filter(a -> a.group().equals(g) && a.cloud().equals(cloud)).findFirst().orElseThrow();
  }

  @Test
  void disableRetiresTheCloudsLiveVmsButRefusesWhileOneIsManual() {
    assertThatThrownBy(() -> ops.disableCloud(ALICE, C1, version())).hasMessageContaining("manual control").hasMessageContaining(manual.id().value());
    assertThat(version()).isEqualTo(1);
    ops.sysctl(ALICE, manual.id());
    store.completeIntent(store.pendingIntents(List.of(ATLAS)).get(0).id(), 1, IntentStatus.DONE, "", clock.instant());
    store.commit(new StoreChanges(List.of(), List.of(manual.toBuilder().manual(false).build()), List.of(), List.of(), List.of(), List.of()));
    ConfigChange c = ops.disableCloud(ALICE, C1, version());
    assertThat(c.intents()).extracting(Intent::vm).containsExactlyInAnyOrder(idle.id(), running.id(), manual.id());
    assertThat(c.intents()).allMatch(i -> i.kind() == IntentKind.RETIRE && i.id() > 0);
    assertThat(engineLoad().cloud(C1).orElseThrow().cloud().enabled()).isFalse();
  }

  @Test
  void aCloudWithOnlyTerminatedVmsIsDeletedWithoutRetiring() {
    ConfigChange c = ops.deleteCloud(ALICE, C2, false, version());
    assertThat(c.intents()).isEmpty();
    Csv2Config loaded = engineLoad();
    assertThat(loaded.cloud(C2)).isEmpty();
    assertThat(loaded.allocations()).extracting(Allocation::cloud).containsOnly(C1);
    assertThat(loaded.aliases()).singleElement().satisfies(a -> assertThat(a.clouds()).containsExactly(C1));
  }

  @Test
  void deleteWithLiveVmsIsRefused() {
    vmsOnC1AreNotManual();
    assertThatThrownBy(() -> ops.deleteCloud(ALICE, C1, false, version()))
        .isInstanceOfSatisfying(OperationException.class, e -> {
          assertThat(e.reason()).isEqualTo(OperationException.Reason.REFUSED);
          assertThat(e.getMessage()).contains("3 live VM(s)").contains(idle.id().value());
        });
    assertThat(version()).as("nothing saved").isEqualTo(1);
    ConfigChange c = ops.deleteCloud(ALICE, C1, true, version());
    assertThat(c.intents()).hasSize(3);
    assertThat(c.before()).contains("name: c1");
    assertThat(c.after()).isEmpty();
    Csv2Config loaded = engineLoad();
    assertThat(loaded.cloud(C1)).isEmpty();
    assertThat(loaded.allocations()).noneMatch(a -> a.cloud().equals(C1));
    assertThat(loaded.aliases()).singleElement().satisfies(a -> assertThat(a.clouds()).containsExactly(C2));
  }

  private void vmsOnC1AreNotManual() {
    Vm m = store.vm(manual.id()).orElseThrow();
    store.commit(new StoreChanges(List.of(), List.of(m.toBuilder().manual(false).build()), List.of(), List.of(), List.of(), List.of()));
  }

  @Test
  void anInvalidChangeReportsEveryProblemAndSavesNothing() {
    Alias bad = new Alias(ATLAS, AliasName.of("far"), Set.of(CloudName.of("nowhere"), CloudName.of("elsewhere")));
    assertThatThrownBy(() -> ops.putAlias(ALICE, bad, version()))
        .isInstanceOfSatisfying(ConfigurationException.class, e -> {
          assertThat(e.problems()).hasSize(2);
          assertThat(e.getMessage()).contains("nowhere").contains("elsewhere").contains("alias update");
        });
    assertThat(version()).isEqualTo(1);
    assertThatThrownBy(() -> ops.pauseCloud(ALICE, CloudName.of("c9"), version()))
        .isInstanceOfSatisfying(OperationException.class, e -> assertThat(e.getMessage()).contains("c9").contains("c1, c2"));
  }

  @Test
  void auditAndViewsRedactSecretsAndARedactedValuePassedBackKeepsTheSecret() {
    ops.addCloud(
        ALICE,
        new CloudSpec(CloudName.of("c3"), "fake", true, Map.of("auth-url", "http://127.0.0.1:5001", "password", "s3cr3t", "token", "${TOKEN}")),
        version());
    AuditEntry added = store.audit(T0, 10).get(0);
    assertThat(added.after()).doesNotContain("s3cr3t").contains("***").contains("${TOKEN}").contains("http://127.0.0.1:5001");
    List<CloudView> clouds = ops.clouds(BOB);
    assertThat(clouds).extracting(v -> v.spec().name().value()).containsExactly("c1", "c2", "c3");
    CloudView c2 = clouds.get(1);
    assertThat(c2.spec().config()).containsEntry("password", "***");
    assertThat(clouds.get(0).spec().config()).containsEntry("password", "${OS_PASSWORD}");
    assertThat(clouds.get(0).liveVms()).isEqualTo(3);
    assertThat(clouds.get(0).allocations()).extracting(Allocation::group).containsExactly(ATLAS);
    assertThat(c2.version()).isEqualTo(2);
    // passing the view back with one change keeps the stored secret
    ops.updateCloud(ALICE, new CloudSpec(C2, "fake", false, c2.spec().config()), c2.version());
    assertThat(store.config().orElseThrow().document()).contains("hunter2");
    assertThat(store.audit(T0, 10)).allSatisfy(a -> assertThat(a.before() + a.after()).doesNotContain("hunter2").doesNotContain("s3cr3t"));
  }

  @Test
  void groupsUserDataDefaultsAndAliasesRoundTrip() {
    Group gamma =
        new Group(GroupName.of("gamma"), Resources.of(2, 4000, 10), new VmDefaults("alma9", FlavorName.of("m1.medium"), Duration.ofMinutes(10), "key1", null, null),
            List.of(new UserDataDocument("boot", 5, "text/cloud-config", "#cloud-config\nruncmd: [echo {{vm_name}}]\n", true)),
            List.of("alice"), 2.0, Map.of("site", "victoria"));
    ops.addGroup(ALICE, gamma, version());
    assertThatThrownBy(() -> ops.addGroup(ALICE, gamma, Operations.ANY_VERSION)).hasMessageContaining("already configured");
    Group loaded = ops.groups(BOB).value().stream().filter(g -> g.name().equals(gamma.name())).findFirst().orElseThrow();
    assertThat(loaded).isEqualTo(gamma);
    ops.putAllocation(ALICE, Allocation.of("gamma", "c1", 0), Operations.ANY_VERSION);
    ops.putAlias(ALICE, new Alias(gamma.name(), AliasName.of("all"), Set.of(C1)), Operations.ANY_VERSION);
    assertThat(ops.aliases(BOB).value()).extracting(Alias::name).contains(AliasName.of("all"));
    GroupDefaults d = new GroupDefaults(Resources.of(1, 2000), VmDefaults.NONE);
    ops.setDefaults(ALICE, gamma.name(), d, Operations.ANY_VERSION);
    assertThat(ops.defaults(BOB, gamma.name()).value()).isEqualTo(d);
    ops.putUserData(ALICE, gamma.name(), new UserDataDocument("extra", 9, "text/x-shellscript", "#!/bin/sh\necho hi\n", false), Operations.ANY_VERSION);
    assertThat(ops.userData(BOB, gamma.name()).value()).extracting(UserDataDocument::name).containsExactly("boot", "extra");
    ops.deleteUserData(ALICE, gamma.name(), "boot", Operations.ANY_VERSION);
    assertThatThrownBy(() -> ops.deleteUserData(ALICE, gamma.name(), "boot", Operations.ANY_VERSION)).hasMessageContaining("extra");
    ops.deleteGroup(ALICE, gamma.name(), false, Operations.ANY_VERSION);
    Csv2Config after = engineLoad();
    assertThat(after.group(gamma.name())).isEmpty();
    assertThat(after.allocations()).noneMatch(a -> a.group().equals(gamma.name()));
    assertThat(after.aliases()).noneMatch(a -> a.group().equals(gamma.name()));
    assertThat(ops.configuration(BOB).version()).isEqualTo(version());
    assertThat(store.audit(T0, 100)).extracting(AuditEntry::action)
        .containsExactly("group add", "allocation update", "alias update", "group defaults", "group metadata-update",
            "group metadata-delete", "group delete");
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void concurrentConfigurationWritersNeverLoseAChange() throws Exception {
    Operations other = Csv2Operations.builder(store, clock).env(name -> null).build();
    java.util.concurrent.atomic.AtomicInteger saved = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger conflicts = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<Thread> threads = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Operations mine = t % 2 == 0 ? ops : other;
      int cores = 1000 + 100 * t; // every write a new value: a write that changes nothing stores nothing
      threads.add(new Thread(() -> {
        try {
          start.await();
          for (int k = 0; k < 10; k++) {
            try {
              mine.setControls(ALICE, ATLAS, C2, new Controls(cores + k, null, null), Operations.ANY_VERSION);
              saved.incrementAndGet();
            } catch (StateStoreException e) {
              conflicts.incrementAndGet();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    threads.forEach(Thread::start);
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(saved.get() + conflicts.get()).isEqualTo(40);
    assertThat(version()).as("one version per saved change").isEqualTo(1 + saved.get());
    assertThat(store.audit(T0, 100)).as("one audit entry per saved change").hasSize(saved.get());
  }

  @Test
  void withoutAStoredConfigurationConfigVerbsSaySo() {
    InMemoryStateStore empty = new InMemoryStateStore(clock);
    Operations bare = Csv2Operations.over(empty, clock);
    assertThatThrownBy(() -> bare.pauseCloud(ALICE, C1, 0)).hasMessageContaining("holds no configuration");
    assertThat(bare.clouds(ALICE)).isEmpty();
    assertThat(bare.groups(ALICE).version()).isZero();
  }

  // ----------------------------------------------------------------------------------- views

  @Test
  void vmJobAndStatusViewsReadTheEnginesSnapshot() {
    Intent pending = ops.retire(ALICE, idle.id());
    GroupStatus status =
        new GroupStatus(
            ATLAS, clock.instant(), "t1@abc", 1,
            List.of(new GroupStatus.JobCounts(null, 2, 1, 0, 0)),
            List.of(new GroupStatus.CloudFigures(C1, true, Map.of(VmState.RUNNING, 2), new GroupStatus.Usage(100, -1, 8, 0),
                new GroupStatus.Usage(-1, -1, 16000, -1), List.of(), true, Duration.ofMillis(80), BreakerState.CLOSED, 20, "")),
            List.of(new GroupStatus.ShapeNote("cores=64", null, 1, "no flavor fits 64 cores on c1, c2"),
                new GroupStatus.ShapeNote("cores=1", AliasName.of("big"), 1, "")),
            List.of(new GroupStatus.VmFigures(running.id(), 4, 0, 4)),
            List.of(new GroupStatus.JobRow(JobId.of("1.0"), null, JobState.IDLE, "alice", T0, "cores=64"),
                new GroupStatus.JobRow(JobId.of("2.0"), AliasName.of("big"), JobState.IDLE, "bob", T0, "cores=1")),
            List.of());
    store.saveStatus(status);
    List<VmView> vms = ops.vms(BOB, new VmFilter(ATLAS, C1, null, null, "BBBB"));
    assertThat(vms).singleElement().satisfies(v -> {
      assertThat(v.vm().id()).isEqualTo(running.id());
      assertThat(v.slotsBusy()).isEqualTo(4);
      assertThat(v.jobs()).isEqualTo(4);
      assertThat(v.age()).isEqualTo(Duration.ofMinutes(5));
    });
    assertThat(ops.vms(BOB, VmFilter.group(ATLAS)).stream().filter(v -> v.vm().id().equals(idle.id())).findFirst().orElseThrow().pending())
        .containsExactly(pending);
    assertThat(ops.vms(BOB, new VmFilter(null, null, VmState.TERMINATED, null, null))).extracting(v -> v.vm().id()).containsExactly(gone.id());
    List<JobView> jobs = ops.jobs(BOB, new JobFilter(ATLAS, null, JobState.IDLE), 10);
    assertThat(jobs).extracting(JobView::whyNot).containsExactly("no flavor fits 64 cores on c1, c2", "");
    assertThat(ops.jobs(BOB, new JobFilter(null, AliasName.of("big"), null), 10)).extracting(j -> j.job().id()).containsExactly(JobId.of("2.0"));
    assertThat(ops.jobs(BOB, JobFilter.ALL, 1)).hasSize(1);
    assertThat(ops.status(BOB, ATLAS)).containsExactly(status);
    assertThat(ops.status(BOB, GroupName.of("belle"))).isEmpty();
    assertThat(ops.clouds(BOB).get(0).status()).containsExactly(status.clouds().get(0));
  }
}

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

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.csv2.core.engine.CountingStore;
import org.csv2.api.ConfigurationException;
import org.csv2.api.CycleReport;
import org.csv2.api.PluginException;
import org.csv2.api.Scheduler;
import org.csv2.api.SchedulerListener;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.config.EngineSettings;
import org.csv2.core.config.PluginSelection;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.Allocation;
import org.csv2.model.BootRequest;
import org.csv2.model.Cloud;
import org.csv2.model.CloudCapacity;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.Group;
import org.csv2.model.Image;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.JobSnapshot;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.JobSource;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.csv2.testkit.MutableClock;
import org.junit.jupiter.api.Test;

class Csv2SchedulerTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2024-05-01T10:00:00Z"));
  private final List<String> closed = new CopyOnWriteArrayList<>();
  private boolean failingCloudClose;
  private volatile CountingStore lastStore;
  private static final String YAML =
      """
      # the running configuration, kept as written
      engine:
        instance-id: t1
      groups:
        - name: atlas
      clouds:
        - name: c1
          driver: fake
        - name: c2
          driver: fake
      allocations:
        - {group: atlas, cloud: c1, priority: 0}
        - {group: atlas, cloud: c2, priority: 1}
      job-source:
        driver: fake
      state-store:
        driver: test-memory
      """;

  @Test
  void buildsRunsAndClosesInReverseOrder() {
    failingCloudClose = true;
    Scheduler s = builder().build();
    List<CycleReport> reports = new CopyOnWriteArrayList<>();
    s.addListener(new SchedulerListener() {
      @Override
      public void cycleCompleted(CycleReport report) {
        reports.add(report);
      }
    });

    CycleReport r = s.runOnce();
    assertThat(r.cycle()).isEqualTo(1);
    assertThat(r.failures()).isEmpty();
    assertThat(reports).containsExactly(r);
    assertThat(s.plan().actions()).isEmpty();
    assertThat(s.status().clouds()).extracting(c -> c.cloud().value()).containsExactly("c1", "c2");
    assertThat(s.status().instanceId()).isEqualTo("t1");

    s.close();
    s.close();
    assertThat(closed).as("clouds (one failing), job source, store").containsExactly("cloud c2", "cloud c1", "jobs", "store");
    assertThatThrownBy(s::runOnce).isInstanceOf(IllegalStateException.class);
    assertThat(s.status().running()).isFalse();
  }

  @Test
  void anUnknownPluginFailsTheBuildAndClosesWhatWasCreated() {
    Csv2Config cfg = config("nosuchdriver");
    assertThatThrownBy(() -> builder().config(cfg).build())
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("nosuchdriver");
    assertThat(closed).containsExactly("jobs", "store");
  }

  @Test
  void aPluginCompiledAgainstAnotherApiStopsTheEngineOnlyWhenTheConfigurationUsesIt() {
    CloudDriverProvider future = new CloudDriverProvider() {
      @Override
      public String name() {
        return "future";
      }

      @Override
      public String apiVersion() {
        return "2.0";
      }

      @Override
      public CloudDriver create(PluginConfig config, PluginContext context) {
        throw new AssertionError("an incompatible driver is never created");
      }
    };
    try (Scheduler s = builder().addCloudDriverProvider(future).build()) {
      assertThat(s.runOnce().failures()).as("an unused incompatible plugin is harmless").isEmpty();
    }
    closed.clear();
    assertThatThrownBy(() -> builder().config(config("future")).addCloudDriverProvider(future).build())
        .isInstanceOfSatisfying(PluginException.class, e -> assertThat(e.reason()).isEqualTo(PluginException.Reason.INCOMPATIBLE))
        .hasMessageContaining("compiled against csv2-api 2.0");
    assertThat(closed).as("what was created is closed").containsExactly("jobs", "store");
  }

  @Test
  void theConfigurationIsGivenExactlyOnce() {
    assertThatThrownBy(() -> builder().configYaml("clouds: []").build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Csv2Scheduler.builder().configYaml("engine: [").build())
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void startRunsCyclesInTheBackground() throws Exception {
    CopyOnWriteArrayList<CycleReport> reports = new CopyOnWriteArrayList<>();
    CountDownLatch first = new CountDownLatch(1);
    try (Scheduler s = builder().build()) {
      s.addListener(new SchedulerListener() {
        @Override
        public void cycleCompleted(CycleReport report) {
          reports.add(report);
          first.countDown();
        }
      });
      s.start();
      s.start();
      assertThat(s.status().running()).isTrue();
      assertThat(first.await(60, TimeUnit.SECONDS)).as("a background cycle ran").isTrue();
    }
    assertThat(reports.get(0).cycle()).isEqualTo(1);
  }

  @Test
  void theRunningYamlIsSavedAtTheFirstCycleAndAStoredChangeAppliesNextCycle() {
    try (Scheduler s = yamlBuilder().configYaml(YAML).build()) {
      Csv2Scheduler engine = (Csv2Scheduler) s;
      assertThat(engine.leaseOwner()).startsWith("t1@").isNotEqualTo("t1@");
      CycleReport first = s.runOnce();
      assertThat(first.failures()).isEmpty();
      StateStore store = lastStore;
      assertThat(store.config()).hasValueSatisfying(c -> {
        assertThat(c.document()).isEqualTo(YAML);
        assertThat(c.version()).isEqualTo(1);
        assertThat(c.updatedBy()).isEqualTo(engine.leaseOwner());
      });
      assertThat(leasedGroups(store)).containsExactly("atlas");

      String withBelle =
          YAML.replace("groups:\n  - name: atlas\n", "groups:\n  - name: atlas\n  - name: belle\n")
              .replace("allocations:\n", "allocations:\n  - {group: belle, cloud: c2, priority: 0}\n");
      assertThat(withBelle).contains("belle");
      store.saveConfig(withBelle, 1, "operator");
      CycleReport second = s.runOnce();
      assertThat(second.failures()).isEmpty();
      assertThat(leasedGroups(store)).as("the new group is served").containsExactlyInAnyOrder("atlas", "belle");

      String otherDriver = withBelle.replace("  - name: c2\n    driver: fake\n", "  - name: c2\n    driver: fake2\n");
      assertThat(otherDriver).isNotEqualTo(withBelle);
      store.saveConfig(otherDriver.replace("  - name: belle\n", "  - name: belle\n  - name: cms\n"), 2, "operator");
      CycleReport third = s.runOnce();
      assertThat(third.failures())
          .singleElement()
          .satisfies(m -> assertThat(m).contains("version 3").contains("rejected: cloud c2 (driver fake2) could not be started: no cloud driver named 'fake2'"));
      assertThat(leasedGroups(store)).as("the running configuration stays").containsExactlyInAnyOrder("atlas", "belle");
      assertThat(s.runOnce().failures()).as("reported once").isEmpty();
    }
  }

  @Test
  void aGroupAddedThroughTheSchedulersOperationsIsServedAtTheNextCycle() {
    try (Scheduler s = yamlBuilder().configYaml(YAML).build()) {
      s.runOnce();
      org.csv2.api.ops.Operations ops = s.operations();
      org.csv2.api.ops.Actor alice = org.csv2.api.ops.Actor.of("alice", "admin");
      long read = ops.groups(alice).version();
      assertThat(read).isEqualTo(1);
      ops.addGroup(alice, Group.of("belle"), read);
      org.csv2.api.ops.ConfigChange c = ops.putAllocation(alice, Allocation.of("belle", "c2", 0), org.csv2.api.ops.Operations.ANY_VERSION);
      assertThat(c.version()).isEqualTo(3);
      CycleReport next = s.runOnce();
      assertThat(next.failures()).isEmpty();
      assertThat(leasedGroups(lastStore)).as("the group added by the operator is served").containsExactlyInAnyOrder("atlas", "belle");
      assertThat(lastStore.audit(Instant.EPOCH, 10)).extracting(a -> a.actor().name()).containsExactly("alice", "alice");
    }
    Scheduler closed = yamlBuilder().configYaml(YAML).build();
    closed.close();
    assertThatThrownBy(closed::operations).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aConfigurationBuiltInCodeIsNotSaved() {
    try (Scheduler s = builder().build()) {
      s.runOnce();
      assertThat(lastStore.config()).isEmpty();
    }
  }

  @Test
  void pluginFiguresReachTheStoreAsSamples() {
    try (Scheduler s = builder().build()) {
      s.runOnce();
      assertThat(lastStore.samples("fake.calls", Instant.EPOCH, clock.instant().plusSeconds(1)))
          .extracting(smp -> smp.labels().get("element"))
          .containsExactlyInAnyOrder("c1", "c2");
      assertThat(lastStore.samples("fake.calls", Instant.EPOCH, clock.instant().plusSeconds(1)))
          .allSatisfy(smp -> assertThat(smp.labels()).containsEntry("plugin", "fake").containsEntry("verb", "instances"));
    }
  }

  private static List<String> leasedGroups(StateStore store) {
    // the engine's presence lease (balanced leases) is not a group
    return store.leases().stream().map(l -> l.group().value())
        .filter(g -> !g.startsWith(org.csv2.core.config.ConfigLoader.RESERVED_GROUP_PREFIX)).toList();
  }

  private Csv2Scheduler.Builder yamlBuilder() {
    return Csv2Scheduler.builder()
        .clock(clock)
        .addCloudDriverProvider(cloudProvider())
        .addJobSourceProvider(jobProvider())
        .addStateStoreProvider(storeProvider());
  }

  private Csv2Scheduler.Builder builder() {
    return Csv2Scheduler.builder()
        .config(config("fake"))
        .clock(clock)
        .addCloudDriverProvider(cloudProvider())
        .addJobSourceProvider(jobProvider())
        .addStateStoreProvider(storeProvider());
  }

  private Csv2Config config(String driver) {
    EngineSettings d = EngineSettings.defaults("t1");
    return new Csv2Config(
        d,
        List.of(Group.of("atlas")),
        List.of(
            new CloudConfig(new Cloud(CloudName.of("c1"), driver, true), new PluginSelection(driver, Map.of(), "clouds[0].config")),
            new CloudConfig(new Cloud(CloudName.of("c2"), driver, true), new PluginSelection(driver, Map.of(), "clouds[1].config"))),
        List.of(Allocation.of("atlas", "c1", 0), Allocation.of("atlas", "c2", 1)),
        List.of(),
        new PluginSelection("fake", Map.of(), "job-source.config"),
        new PluginSelection("test-memory", Map.of(), "state-store.config"));
  }

  private CloudDriverProvider cloudProvider() {
    return new CloudDriverProvider() {
      @Override
      public String name() {
        return "fake";
      }

      @Override
      public CloudDriver create(PluginConfig config, PluginContext context) {
        String name = context.name();
        return new CloudDriver() {
          @Override
          public List<Flavor> flavors() {
            return List.of();
          }

          @Override
          public List<Image> images() {
            return List.of();
          }

          @Override
          public CloudCapacity capacity() {
            return CloudCapacity.UNLIMITED;
          }

          @Override
          public List<Instance> boot(BootRequest request) {
            throw new UnsupportedOperationException("not in this test");
          }

          @Override
          public List<Instance> instances() {
            context.metrics().count("fake.calls", 1, Map.of("verb", "instances"));
            return List.of();
          }

          @Override
          public void terminate(InstanceId id) {}

          @Override
          public void close() {
            closed.add("cloud " + name);
            if (failingCloudClose && name.equals("c2")) {
              throw new IllegalStateException("close of c2 fails");
            }
          }
        };
      }
    };
  }

  private JobSourceProvider jobProvider() {
    return new JobSourceProvider() {
      @Override
      public String name() {
        return "fake";
      }

      @Override
      public JobSource create(PluginConfig config, PluginContext context) {
        return new JobSource() {
          @Override
          public JobSnapshot snapshot() {
            return new JobSnapshot(clock.instant(), List.of(), List.of(), 0);
          }

          @Override
          public void retire(Worker worker) {}

          @Override
          public void forget(VmId vm) {}

          @Override
          public void close() {
            closed.add("jobs");
          }
        };
      }
    };
  }

  private StateStoreProvider storeProvider() {
    return new StateStoreProvider() {
      @Override
      public String name() {
        return "test-memory";
      }

      @Override
      public StateStore create(PluginConfig config, PluginContext context) {
        CountingStore store = new CountingStore(new InMemoryStateStore(context.clock()));
        store.onClose = () -> closed.add("store");
        lastStore = store;
        return store;
      }
    };
  }
}

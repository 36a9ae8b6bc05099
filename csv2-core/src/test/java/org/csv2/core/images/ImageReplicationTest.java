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
package org.csv2.core.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.api.ops.ImageTransfer;
import org.csv2.api.ops.StoredKeyPair;
import org.csv2.core.Csv2Scheduler;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.config.EngineSettings;
import org.csv2.core.config.ImageSettings;
import org.csv2.core.config.PluginSelection;
import org.csv2.core.sim.SimulatedCloud;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.Allocation;
import org.csv2.model.Cloud;
import org.csv2.model.CloudName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Image;
import org.csv2.model.InstanceState;
import org.csv2.model.Resources;
import org.csv2.model.VmDefaults;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.csv2.testkit.SshKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication through the whole engine: a group on three simulated clouds whose image is on one
 * of them. The engine copies the image and imports the key pair everywhere, in the background,
 * and boots nowhere before the image is there.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImageReplicationTest {
  private static final GroupName ATLAS = GroupName.of("atlas");
  private static final List<CloudName> CLOUDS = List.of(CloudName.of("a"), CloudName.of("b"), CloudName.of("c"));
  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

  @AfterAll
  static void shutdown() {
    EXECUTOR.shutdownNow();
  }

  @TempDir java.nio.file.Path tmp;

  private final VirtualClock clock = new VirtualClock();
  private final SimulatedWorld world = new SimulatedWorld(clock, 11);
  private final StateStore store = new InMemoryStateStore(clock);

  @Test
  void theImageAndKeyPairReachEveryCloudOfTheGroupAndNoVmBootsBeforeItsImage() throws Exception {
    store.saveKeyPair(new StoredKeyPair("ops", SshKeys.rsaPublicKey("ops@site"), "", clock.instant()));
    List<String> notes = new ArrayList<>();
    try (Scheduler s = build()) {
      for (int i = 0; i < 30; i++) { // more than the 24 cores of the three clouds together
        world.pool().submit(ATLAS, "u", Resources.of(1, 1000, 5), Duration.ofHours(3), 0);
      }
      boolean everywhere = false;
      for (int cycle = 0; cycle < 200 && !everywhere; cycle++) {
        CycleReport r = s.runOnce();
        notes.addAll(r.plan().notes());
        for (CloudName c : CLOUDS) {
          SimulatedCloud cloud = world.cloud(c).orElseThrow();
          assertThat(cloud.counters().invalidRequests())
              .as("boots refused on cloud %s (an image missing) by cycle %d", c, cycle)
              .isZero();
        }
        everywhere = CLOUDS.stream().allMatch(this::hasImageAndAtlasVms);
        clock.advance(Duration.ofSeconds(10));
        Thread.sleep(20); // transfers run on their own threads, in real time
      }
      assertThat(everywhere).as("the image and atlas VMs on every cloud; notes %s", notes.stream().distinct().limit(10).toList()).isTrue();
    }
    assertThat(notes).as("the planner's why-not while the image travels")
        .anyMatch(n -> n.contains("waiting for image worker on cloud b"))
        .anyMatch(n -> n.contains("waiting for image worker on cloud c"));
    List<ImageTransfer> transfers = store.transfers(false, 100);
    assertThat(transfers).as("one transfer per cloud that lacked the image")
        .extracting(t -> t.target().value() + ":" + t.state() + ":" + t.requestedBy())
        .containsExactlyInAnyOrder("b:DONE:replication", "c:DONE:replication");
    for (CloudName c : CLOUDS) {
      assertThat(world.cloud(c).orElseThrow().driver("x").keyPairs())
          .as("key pairs of cloud %s", c).anyMatch(k -> k.name().equals("ops"));
    }
  }

  /**
   * A cloud added through {@code Operations} while the engine runs (issue 17): replication and the
   * transfer service read the engine's live gateways, so the new cloud gets the image and then VMs.
   */
  @Test
  void aCloudAddedWhileTheEngineRunsGetsTheImageToo() throws Exception {
    String yaml = """
        engine: { instance-id: repl-live }
        groups:
          - { name: atlas, vm-defaults: { image: worker } }
        clouds:
          - { name: a, driver: simulated, config: { images: [worker], quota: { cores: 2 }, boot-delay: { min: 10s, max: 10s }, seed: 3 } }
        allocations:
          - { group: atlas, cloud: a }
        job-source: { driver: simulated, config: { register-delay: 20s } }
        state-store: { driver: shared-memory }
        images:
          cache-dir: %s
          replicate: [atlas]
        """.formatted(tmp.resolve("cache"));
    CloudName c = CloudName.of("c");
    org.csv2.api.ops.Actor alice = org.csv2.api.ops.Actor.of("alice", "admin");
    try (Scheduler s = builder().configYaml(yaml).build()) {
      for (int i = 0; i < 6; i++) {
        world.pool().submit(ATLAS, "u", Resources.of(1, 1000, 5), Duration.ofHours(3), 0);
      }
      s.runOnce(); // saves the running configuration in the store
      clock.advance(Duration.ofSeconds(10));
      org.csv2.api.ops.Operations ops = s.operations();
      ops.addCloud(alice, new org.csv2.api.ops.CloudSpec(c, "simulated", true, Map.of(
              "images", List.of("centos7"), "quota", Map.of("cores", 8), "boot-delay", Map.of("min", "10s", "max", "10s"), "seed", 5)),
          org.csv2.api.ops.Operations.ANY_VERSION);
      ops.putAllocation(alice, Allocation.of("atlas", "c", 1), org.csv2.api.ops.Operations.ANY_VERSION);
      boolean there = false;
      for (int cycle = 0; cycle < 200 && !there; cycle++) {
        s.runOnce();
        world.cloud(c).ifPresent(cloud -> assertThat(cloud.counters().invalidRequests())
            .as("boots refused on the new cloud (its image missing)").isZero());
        there = world.cloud(c).isPresent() && hasImageAndAtlasVms(c);
        clock.advance(Duration.ofSeconds(10));
        Thread.sleep(20); // transfers run on their own threads, in real time
      }
      assertThat(there).as("the image, then atlas VMs, on the cloud added live").isTrue();
    }
    assertThat(store.transfers(false, 100)).as("the transfer to the new cloud")
        .extracting(t -> t.target().value() + ":" + t.state() + ":" + t.requestedBy())
        .containsExactly("c:DONE:replication");
  }

  private boolean hasImageAndAtlasVms(CloudName c) {
    SimulatedCloud cloud = world.cloud(c).orElseThrow();
    boolean image = cloud.driver("probe").images().stream().map(Image::name).anyMatch("worker"::equals);
    boolean vms = cloud.instances().stream()
        .anyMatch(i -> i.state() != InstanceState.TERMINATED && ATLAS.value().equals(i.tags().get(org.csv2.spi.Csv2Tags.GROUP)));
    return image && vms;
  }

  private Scheduler build() {
    return builder().config(config()).build();
  }

  private Csv2Scheduler.Builder builder() {
    StateStore shared = store;
    StateStoreProvider provider = new StateStoreProvider() {
      @Override
      public String name() {
        return "shared-memory";
      }

      @Override
      public StateStore create(PluginConfig config, PluginContext context) {
        return shared;
      }
    };
    return Csv2Scheduler.builder()
        .clock(clock)
        .executor(EXECUTOR)
        .random(new Random(7))
        .addCloudDriverProvider(world.cloudProvider())
        .addJobSourceProvider(world.jobSourceProvider())
        .addStateStoreProvider(provider);
  }

  private Csv2Config config() {
    List<CloudConfig> clouds = new ArrayList<>();
    List<Allocation> allocations = new ArrayList<>();
    int i = 0;
    for (CloudName c : CLOUDS) {
      Map<String, Object> cfg = Map.of(
          "images", List.of(c.value().equals("a") ? "worker" : "centos7"),
          "quota", Map.of("cores", 8),
          "boot-delay", Map.of("min", "10s", "max", "20s"),
          "seed", 3 + i);
      clouds.add(new CloudConfig(new Cloud(c, "simulated", true), new PluginSelection("simulated", cfg, "clouds[" + i + "].config")));
      allocations.add(Allocation.of("atlas", c.value(), 0));
      i++;
    }
    return new Csv2Config(
        EngineSettings.defaults("repl"),
        List.of(new Group(ATLAS, Group.DEFAULT_JOB, new VmDefaults("worker", null, null, "ops", null, null), List.of(), List.of(), 1.0, Map.of())),
        clouds,
        allocations,
        List.of(),
        new PluginSelection("simulated", Map.of("register-delay", "20s"), "job-source.config"),
        new PluginSelection("shared-memory", Map.of(), "state-store.config"),
        ImageSettings.DEFAULTS.withCacheDir(tmp.resolve("cache")).replicating(List.of(ATLAS)));
  }
}

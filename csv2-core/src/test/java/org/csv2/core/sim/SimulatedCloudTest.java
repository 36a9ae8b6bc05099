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
package org.csv2.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.csv2.core.sim.SimFixtures.CLOUD;
import static org.csv2.core.sim.SimFixtures.ENGINE;
import static org.csv2.core.sim.SimFixtures.boot;
import static org.csv2.core.sim.SimFixtures.instantCloud;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.csv2.api.CloudException;
import org.csv2.api.ConfigurationException;
import org.csv2.model.Instance;
import org.csv2.model.InstanceState;
import org.csv2.model.Limits;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Csv2Tags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedCloudTest {
  private final VirtualClock clock = new VirtualClock();
  private final SimulatedWorld world = new SimulatedWorld(clock, 42);

  @TempDir Path dir;

  private CloudDriver driver(SimulatedCloudConfig config) {
    return world.addCloud(CLOUD, config).driver(ENGINE);
  }

  @Test
  void bootsPendingThenActiveAfterTheBootDelayWithAllTags() {
    CloudDriver d =
        driver(SimulatedCloudConfig.DEFAULTS.withBootDelay(SimulatedCloudConfig.BootDelay.fixed(Duration.ofSeconds(90))));
    List<Instance> booted = d.boot(boot("c2-8gb", 2));
    assertThat(booted).hasSize(2).allSatisfy(i -> assertThat(i.state()).isEqualTo(InstanceState.PENDING));
    Instance first = booted.get(0);
    assertThat(first.flavor().value()).isEqualTo("c2-8gb");
    assertThat(first.tags())
        .containsEntry(Csv2Tags.INSTANCE_ID, ENGINE)
        .containsEntry(Csv2Tags.GROUP, "atlas")
        .containsEntry(Csv2Tags.CLOUD, "arbutus")
        .containsEntry(Csv2Tags.VM_NAME, first.name().value())
        .containsEntry("site", "test");
    clock.advance(Duration.ofSeconds(89));
    assertThat(d.instances()).extracting(Instance::state).containsOnly(InstanceState.PENDING);
    clock.advance(Duration.ofSeconds(1));
    assertThat(d.instances()).extracting(Instance::state).containsOnly(InstanceState.ACTIVE);
  }

  @Test
  void refusesUnknownFlavorsAndImagesNamingThem() {
    CloudDriver d = driver(instantCloud());
    assertThatThrownBy(() -> d.boot(boot("m1.huge", 1)))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.reason()).isEqualTo(CloudException.Reason.INVALID_REQUEST))
        .hasMessageContaining("m1.huge")
        .hasMessageContaining("arbutus");
    assertThatThrownBy(() -> d.boot(boot("c1-4gb", "windows", 1)))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.reason()).isEqualTo(CloudException.Reason.INVALID_REQUEST))
        .hasMessageContaining("windows");
    assertThat(d.instances()).isEmpty();
  }

  @Test
  void refusesBootsOverQuotaCountingForeignUsage() {
    CloudDriver d =
        driver(
            instantCloud()
                .withQuota(new SimulatedCloudConfig.Quota(10, null, 5))
                .withForeignUsage(new SimulatedCloudConfig.Usage(4, 1000L, 1)));
    d.boot(boot("c4-16gb", 1));
    assertThat(d.capacity().used()).isEqualTo(new Limits(8, 17000, 2));
    assertThat(d.capacity().max()).isEqualTo(new Limits(10, -1, 5));
    assertThatThrownBy(() -> d.boot(boot("c2-8gb", 2)))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.reason()).isEqualTo(CloudException.Reason.QUOTA_EXCEEDED))
        .hasMessageContaining("cores");
    d.boot(boot("c2-8gb", 1));
    assertThat(world.cloud(CLOUD).orElseThrow().counters().quotaRefusals()).isEqualTo(1);
    assertThat(d.instances()).hasSize(2);
  }

  @Test
  void listsOnlyTheEnginesOwnInstancesButCountsEveryoneInCapacity() {
    SimulatedCloud cloud = world.addCloud(CLOUD, instantCloud());
    CloudDriver a = cloud.driver(ENGINE);
    CloudDriver b = cloud.driver("engine-b");
    a.boot(boot("c1-4gb", 1));
    b.boot(boot("c1-4gb", 2));
    assertThat(a.instances()).hasSize(1).allSatisfy(i -> assertThat(i.tags()).containsEntry(Csv2Tags.INSTANCE_ID, ENGINE));
    assertThat(b.instances()).hasSize(2).allSatisfy(i -> assertThat(i.tags()).containsEntry(Csv2Tags.INSTANCE_ID, "engine-b"));
    assertThat(a.capacity().used().instances()).isEqualTo(3);
  }

  @Test
  void terminateIsIdempotentAndFreesTheQuota() {
    CloudDriver d = driver(instantCloud().withQuota(new SimulatedCloudConfig.Quota(null, null, 1)));
    Instance i = d.boot(boot("c1-4gb", 1)).get(0);
    d.terminate(i.id());
    d.terminate(i.id());
    assertThat(d.instances()).isEmpty();
    assertThat(world.cloud(CLOUD).orElseThrow().instances()).extracting(Instance::state).containsExactly(InstanceState.TERMINATED);
    d.boot(boot("c1-4gb", 1));
    assertThat(world.cloud(CLOUD).orElseThrow().counters().instancesTerminated()).isEqualTo(1);
  }

  @Test
  void terminatingLastsTheTerminateDelay() {
    CloudDriver d = driver(instantCloud().withTerminateDelay(Duration.ofSeconds(20)));
    Instance i = d.boot(boot("c1-4gb", 1)).get(0);
    d.terminate(i.id());
    assertThat(d.instances()).extracting(Instance::state).containsExactly(InstanceState.TERMINATING);
    assertThat(d.capacity().used().instances()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(20));
    assertThat(d.instances()).isEmpty();
    assertThat(d.capacity().used().instances()).isZero();
  }

  @Test
  void scriptedFailuresComeFirstAndDoNotAct() {
    SimulatedCloud cloud = world.addCloud(CLOUD, instantCloud());
    CloudDriver d = cloud.driver(ENGINE);
    cloud.failNext("boot", CloudException.Reason.AUTHENTICATION);
    cloud.failNext("instances", CloudException.Reason.UNAVAILABLE);
    assertThatThrownBy(() -> d.boot(boot("c1-4gb", 1)))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.reason()).isEqualTo(CloudException.Reason.AUTHENTICATION));
    assertThatThrownBy(d::instances).isInstanceOf(CloudException.class);
    assertThat(d.instances()).isEmpty();
    assertThat(cloud.counters().scriptedFailures()).isEqualTo(2);
    assertThatThrownBy(() -> cloud.failNext("resize", CloudException.Reason.UNAVAILABLE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lostRepliesLeaveInstancesBehind() {
    SimulatedCloud cloud =
        world.addCloud(
            CLOUD, instantCloud().withFailures(new SimulatedCloudConfig.Failures(null, 1.0, null, null, null)));
    CloudDriver d = cloud.driver(ENGINE);
    assertThatThrownBy(() -> d.boot(boot("c1-4gb", 3)))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.reason()).isEqualTo(CloudException.Reason.UNAVAILABLE));
    assertThat(d.instances()).hasSize(3).allSatisfy(i -> assertThat(i.state()).isEqualTo(InstanceState.ACTIVE));
    assertThat(cloud.counters().lostReplies()).isEqualTo(1);
    assertThat(cloud.counters().instancesBooted()).isEqualTo(3);
  }

  @Test
  void timeoutsAlsoActThenThrow() {
    SimulatedCloud cloud =
        world.addCloud(
            CLOUD, instantCloud().withFailures(new SimulatedCloudConfig.Failures(null, null, 1.0, null, null)));
    CloudDriver d = cloud.driver(ENGINE);
    assertThatThrownBy(() -> d.boot(boot("c1-4gb", 1)))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.reason()).isEqualTo(CloudException.Reason.UNAVAILABLE))
        .hasMessageContaining("timed out");
    assertThat(d.instances()).hasSize(1);
  }

  @Test
  void loseNextBootReplyScriptsOneLostReply() {
    SimulatedCloud cloud = world.addCloud(CLOUD, instantCloud());
    CloudDriver d = cloud.driver(ENGINE);
    cloud.loseNextBootReply();
    assertThatThrownBy(() -> d.boot(boot("c1-4gb", 1))).isInstanceOf(CloudException.class);
    d.boot(boot("c1-4gb", 1));
    assertThat(d.instances()).hasSize(2);
  }

  @Test
  void injectedFailureRatesFollowTheSeed() {
    SimulatedCloudConfig.Failures rates = new SimulatedCloudConfig.Failures(0.2, null, null, 0.1, 0.1);
    List<String> first = outcomes(new SimulatedWorld(new VirtualClock(), 7), rates);
    List<String> again = outcomes(new SimulatedWorld(new VirtualClock(), 7), rates);
    assertThat(again).isEqualTo(first);
    long capacity = first.stream().filter("CAPACITY_UNAVAILABLE"::equals).count();
    long errors = first.stream().filter("UNAVAILABLE"::equals).count();
    // 2000 calls: capacity errors ~ 200, boot errors ~ 0.9 * 0.2 * 2000 = 360 (wide bounds: 6 sigma)
    assertThat(capacity).isBetween(120L, 280L);
    assertThat(errors).isBetween(260L, 460L);
    SimulatedWorld w = new SimulatedWorld(new VirtualClock(), 7);
    outcomes(w, rates);
    SimulatedCloud.Counters c = w.cloud(CLOUD).orElseThrow().counters();
    assertThat(c.capacityErrors()).isEqualTo(capacity);
    assertThat(c.bootErrors()).isEqualTo(errors);
    assertThat(c.errorsAfterBoot()).isBetween(80L, 200L);
    long errored = w.cloud(CLOUD).orElseThrow().instances().stream().filter(i -> i.state() == InstanceState.ERROR).count();
    assertThat(errored).isEqualTo(c.errorsAfterBoot());
    assertThat(w.statistics().bootFailuresInjected()).isEqualTo(c.bootFailuresInjected());
  }

  private static List<String> outcomes(SimulatedWorld w, SimulatedCloudConfig.Failures rates) {
    CloudDriver d = w.addCloud(CLOUD, instantCloud().withFailures(rates)).driver(ENGINE);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      try {
        out.add(d.boot(boot("c1-4gb", 1)).get(0).state().name());
      } catch (CloudException e) {
        out.add(e.reason().name());
      }
    }
    return out;
  }

  @Test
  void theStateFileOutlivesTheWorld() throws Exception {
    Path file = dir.resolve("state/arbutus.json");
    SimulatedCloudConfig config =
        SimulatedCloudConfig.DEFAULTS
            .withBootDelay(SimulatedCloudConfig.BootDelay.fixed(Duration.ofSeconds(100)))
            .withStateFile(file.toString());
    CloudDriver d = driver(config);
    List<Instance> booted = d.boot(boot("c2-8gb", 3));
    d.terminate(booted.get(2).id());
    assertThat(file).exists();

    VirtualClock later = new VirtualClock(clock.instant().plusSeconds(50));
    SimulatedWorld restarted = new SimulatedWorld(later, 1);
    CloudDriver again = restarted.addCloud(CLOUD, config).driver(ENGINE);
    assertThat(again.instances())
        .extracting(Instance::id)
        .containsExactly(booted.get(0).id(), booted.get(1).id());
    assertThat(again.instances()).extracting(Instance::state).containsOnly(InstanceState.PENDING);
    later.advance(Duration.ofSeconds(50));
    assertThat(again.instances()).extracting(Instance::state).containsOnly(InstanceState.ACTIVE);
    Instance fresh = again.boot(boot("c1-4gb", 1)).get(0);
    assertThat(fresh.id()).isNotIn(booted.stream().map(Instance::id).toList());
    assertThat(again.capacity().used().instances()).isEqualTo(3);
  }

  @Test
  void aCorruptStateFileIsAConfigurationErrorNamingIt() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{not json");
    assertThatThrownBy(() -> driver(instantCloud().withStateFile(file.toString())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void aClosedDriverRefusesCalls() {
    CloudDriver d = driver(instantCloud());
    d.close();
    d.close();
    assertThatThrownBy(d::flavors).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void offersTheConfiguredFlavorsAndImages() {
    CloudDriver d =
        driver(
            instantCloud()
                .withFlavors(List.of(new SimulatedCloudConfig.FlavorSpec("big", 16, 64000L, null, 1, 1.5))));
    assertThat(d.flavors()).singleElement().satisfies(f -> {
      assertThat(f.name().value()).isEqualTo("big");
      assertThat(f.resources().cores()).isEqualTo(16);
      assertThat(f.resources().gpus()).isEqualTo(1);
      assertThat(f.pricePerHour()).isEqualTo(1.5);
    });
    assertThat(d.images()).extracting(i -> i.name()).containsExactly("centos7", "alma9");
  }
}

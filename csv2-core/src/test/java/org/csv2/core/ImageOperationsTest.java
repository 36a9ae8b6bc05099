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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.csv2.api.Scheduler;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.AuditEntry;
import org.csv2.api.ops.ImageTransfer;
import org.csv2.api.ops.Images;
import org.csv2.api.ops.OperationException;
import org.csv2.api.ops.StoredKeyPair;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Image;
import org.csv2.model.Resources;
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
 * The image and key-pair verbs of {@link org.csv2.api.ops.Operations} end to end: a group that
 * replicates its image over three simulated clouds, watched through the replication status of a
 * second process over the store; an operator's transfer asked, refused twice, cancelled; key pairs
 * kept, listed with OpenSSH's fingerprint, forgotten; every change in the audit log.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImageOperationsTest {
  static final GroupName ATLAS = GroupName.of("atlas");
  static final CloudName A = CloudName.of("a");
  static final CloudName B = CloudName.of("b");
  static final CloudName C = CloudName.of("c");
  static final Actor ADMIN = Actor.of("admin", "cli");
  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

  @AfterAll
  static void shutdown() {
    EXECUTOR.shutdownNow();
  }

  @TempDir Path tmp;
  final VirtualClock clock = new VirtualClock();
  final SimulatedWorld world = new SimulatedWorld(clock, 13);
  final StateStore store = new InMemoryStateStore(clock);

  String yaml() {
    return """
        engine:
          instance-id: img1
        timers:
          cycle: 10s
        groups:
          - name: atlas
            vm-defaults: { image: worker, key-name: ops }
        clouds:
          - name: a
            driver: simulated
            config: { images: [worker, tools], quota: { cores: 8 }, boot-delay: { min: 10s, max: 20s }, seed: 3 }
          - name: b
            driver: simulated
            config: { images: [centos7], quota: { cores: 8 }, boot-delay: { min: 10s, max: 20s }, seed: 4 }
          - name: c
            driver: simulated
            config: { images: [centos7], quota: { cores: 8 }, boot-delay: { min: 10s, max: 20s }, seed: 5 }
        allocations:
          - { group: atlas, cloud: a, priority: 0 }
          - { group: atlas, cloud: b, priority: 0 }
          - { group: atlas, cloud: c, priority: 0 }
        job-source:
          driver: simulated
          config: { register-delay: 20s }
        state-store:
          driver: shared-memory
        images:
          cache-dir: %s
          replicate: [atlas]
        """.formatted(tmp.resolve("cache"));
  }

  @Test
  void transfersReplicationAndKeyPairsThroughTheOperations() throws Exception {
    Images images = Csv2Operations.over(store, clock).images();
    String key = SshKeys.rsaPublicKey("ops@site");
    StoredKeyPair kept = images.addKeyPair(ADMIN, "ops", key + "\n");
    assertThat(kept.fingerprint()).isEqualTo(sshKeygenFingerprint(key));
    assertThat(images.keyPairs(ADMIN)).extracting(StoredKeyPair::name).containsExactly("ops");
    assertThatThrownBy(() -> images.addKeyPair(ADMIN, "bad", "not a key"))
        .isInstanceOf(OperationException.class).hasMessageContaining("key pair bad").hasMessageContaining("OpenSSH line");

    try (Scheduler s = build()) {
      for (int i = 0; i < 30; i++) {
        world.pool().submit(ATLAS, "u", Resources.of(1, 1000, 5), Duration.ofHours(3), 0);
      }
      assertThat(images.replication(ADMIN, null)).as("no configuration stored before the first cycle").isEmpty();
      s.runOnce();
      assertThat(images.replication(ADMIN, ATLAS)).as("after the first cycle: a is the source, b and c on their way (or there)")
          .extracting(r -> r.cloud().value() + ":" + (r.state() == Images.Replication.State.PRESENT && r.transfer() != null ? "MOVING" : r.state()))
          .containsExactly("a:PRESENT", "b:MOVING", "c:MOVING");
      // an operator's transfer: asked, asked again (refused), and cancelled before any cycle takes it
      String toolsId = world.cloud(A).orElseThrow().driver("probe").images().stream()
          .filter(i -> i.name().equals("tools")).map(Image::id).findFirst().orElseThrow();
      ImageTransfer asked = images.requestTransfer(ADMIN, ImageTransfer.fromCloud("tools", null, A, toolsId, B, "qcow2", "x", clock.instant()));
      assertThat(asked.state()).isEqualTo(ImageTransfer.State.PENDING);
      assertThat(asked.requestedBy()).isEqualTo("admin");
      assertThatThrownBy(() -> images.requestTransfer(ADMIN, ImageTransfer.fromCloud("tools", null, A, toolsId, B, "qcow2", "x", clock.instant())))
          .isInstanceOf(OperationException.class).hasMessageContaining("already on its way to cloud b (transfer " + asked.id());
      assertThatThrownBy(() -> images.requestTransfer(ADMIN, ImageTransfer.fromCloud("tools", null, A, toolsId, CloudName.of("zz"), "qcow2", "x", clock.instant())))
          .isInstanceOf(OperationException.class).hasMessageContaining("target cloud zz is not configured");
      assertThat(images.cancelTransfer(ADMIN, asked.id()).state()).isEqualTo(ImageTransfer.State.CANCELLED);
      assertThatThrownBy(() -> images.cancelTransfer(ADMIN, asked.id()))
          .isInstanceOf(OperationException.class).hasMessageContaining("is over (CANCELLED)");
      ImageTransfer again = images.requestTransfer(ADMIN, ImageTransfer.fromCloud("tools", null, A, toolsId, C, "qcow2", "x", clock.instant()));

      boolean done = false;
      for (int cycle = 0; cycle < 200 && !done; cycle++) {
        s.runOnce();
        List<Images.Replication> rows = images.replication(ADMIN, ATLAS);
        done = rows.stream().allMatch(r -> r.state() == Images.Replication.State.PRESENT)
            && images.transfer(ADMIN, again.id()).state() == ImageTransfer.State.DONE;
        clock.advance(Duration.ofSeconds(10));
        Thread.sleep(20); // transfers run on their own threads, in real time
      }
      assertThat(done).as("replication and the operator's transfer done; status %s", images.replication(ADMIN, null)).isTrue();
    }
    assertThat(images.replication(ADMIN, null)).extracting(r -> r.cloud().value() + ":" + r.image() + ":" + r.state())
        .containsExactly("a:worker:PRESENT", "b:worker:PRESENT", "c:worker:PRESENT");
    assertThat(images.replication(ADMIN, null).get(1).transfer()).isNotNull()
        .satisfies(t -> assertThat(t.requestedBy()).isEqualTo("replication"));
    assertThat(images.transfers(ADMIN, false, 10)).extracting(t -> t.image() + ">" + t.target() + ":" + t.state())
        .contains("tools>b:CANCELLED", "tools>c:DONE", "worker>b:DONE", "worker>c:DONE");
    assertThat(images.transfers(ADMIN, true, 10)).isEmpty();
    assertThat(world.cloud(C).orElseThrow().driver("probe").images()).extracting(Image::name).contains("tools", "worker");
    assertThatThrownBy(() -> images.transfer(ADMIN, 9999)).isInstanceOf(OperationException.class).hasMessageContaining("9999 does not exist");

    images.deleteKeyPair(ADMIN, "ops");
    assertThat(images.keyPairs(ADMIN)).isEmpty();
    assertThatThrownBy(() -> images.deleteKeyPair(ADMIN, "ops")).isInstanceOf(OperationException.class).hasMessageContaining("not kept");
    assertThat(Csv2Operations.over(store, clock).audit(ADMIN, java.time.Instant.EPOCH, 100)).extracting(AuditEntry::action)
        .containsSubsequence("keypair add", "image transfer", "image cancel", "image transfer", "keypair delete");
  }

  @Test
  void theMatrixIsWhatTheCloudsListAndDeletesAndKeyCopiesAreCarriedOutByTheEngine() throws Exception {
    Images images = Csv2Operations.over(store, clock).images();
    images.addKeyPair(ADMIN, "ops", SshKeys.rsaPublicKey("ops@site"));
    assertThat(images.matrix(ADMIN, null).clouds()).as("no configuration yet").isEmpty();
    try (Scheduler s = build()) {
      s.runOnce();
      Images.Matrix m = images.matrix(ADMIN, null);
      // replication may already have put worker on b and c (its transfers run on their own threads)
      assertThat(m.clouds()).extracting(c -> c.cloud().value() + ":" + (c.read() != null)).containsExactly("a:true", "b:true", "c:true");
      assertThat(m.clouds().get(0).images()).isEqualTo(2);
      assertThat(m.clouds().get(0).groups()).containsExactly(ATLAS);
      assertThat(m.rows()).extracting(r -> r.image() + "@" + r.on().stream().map(i -> i.cloud().value()).toList())
          .startsWith("centos7@[b, c]", "tools@[a]");
      assertThat(m.rows().get(2).on().get(0).cloud()).as("worker, on a first (the columns' order)").isEqualTo(A);
      assertThat(images.matrix(ADMIN, ATLAS).clouds()).hasSize(3);
      assertThatThrownBy(() -> images.matrix(ADMIN, GroupName.of("nope")))
          .isInstanceOf(OperationException.class).hasMessageContaining("group nope is not configured");
      assertThat(m.visibleTo(g -> false).clouds()).as("a caller of no group sees no cloud").isEmpty();
      assertThat(m.visibleTo(g -> false).rows()).isEmpty();

      // replication puts worker on b and c through the cache: those cells then know the bytes
      runUntil(s, () -> images.replication(ADMIN, ATLAS).stream().allMatch(r -> r.state() == Images.Replication.State.PRESENT));
      assertThat(images.matrix(ADMIN, null).rows()).filteredOn(r -> r.image().equals("worker")).singleElement()
          .satisfies(r -> assertThat(r.on()).filteredOn(i -> !i.cloud().equals(A))
              .hasSize(2).allSatisfy(i -> assertThat(i.sha256()).hasSize(64)));

      assertThatThrownBy(() -> images.deleteImage(ADMIN, B, "tools"))
          .isInstanceOf(OperationException.class).hasMessageContaining("cloud b was not seen listing an image named tools");
      var delete = images.deleteImage(ADMIN, B, "worker");
      assertThatThrownBy(() -> images.deleteImage(ADMIN, B, "worker"))
          .isInstanceOf(OperationException.class).hasMessageContaining("already being deleted");
      var copies = images.copyKeyPair(ADMIN, "ops", ATLAS, List.of(B, C));
      assertThat(copies).extracting(a -> a.cloud().value()).containsExactly("b", "c");
      assertThatThrownBy(() -> images.copyKeyPair(ADMIN, "other", ATLAS, List.of()))
          .isInstanceOf(OperationException.class).hasMessageContaining("key pair other is not kept");
      runUntil(s, () -> images.actions(ADMIN, true, 10).isEmpty());
      assertThat(images.actions(ADMIN, false, 10)).extracting(a -> a.kind() + ":" + a.cloud() + ":" + a.state())
          .containsExactly("IMPORT_KEY_PAIR:c:DONE", "IMPORT_KEY_PAIR:b:DONE", "DELETE_IMAGE:b:DONE");
      assertThat(world.cloud(B).orElseThrow().driver("probe").images()).extracting(Image::id).doesNotContain(delete.imageId());
      assertThat(world.cloud(C).orElseThrow().driver("probe").keyPairs()).extracting(org.csv2.model.KeyPair::name).contains("ops");
      assertThat(images.matrix(ADMIN, null).rows()).as("the deleted image left the matrix at once")
          .filteredOn(r -> r.image().equals("worker")).singleElement()
          .satisfies(r -> assertThat(r.on()).extracting(i -> i.cloud().value()).doesNotContain("b"));
    }
    assertThat(Csv2Operations.over(store, clock).audit(ADMIN, java.time.Instant.EPOCH, 100)).extracting(AuditEntry::action)
        .contains("image delete", "keypair copy");
  }

  /** Runs cycles (ten virtual seconds apart) until the condition holds; the image threads run in real time. */
  private void runUntil(Scheduler s, java.util.function.BooleanSupplier condition) throws InterruptedException {
    for (int cycle = 0; cycle < 200; cycle++) {
      s.runOnce();
      if (condition.getAsBoolean()) {
        return;
      }
      clock.advance(Duration.ofSeconds(10));
      Thread.sleep(20);
    }
    throw new AssertionError("not reached in 200 cycles");
  }

  /** What {@code ssh-keygen -lf} says of the key, or the same computation when it is not installed. */
  private String sshKeygenFingerprint(String key) throws Exception {
    Path file = tmp.resolve("key.pub");
    Files.writeString(file, key + "\n", StandardCharsets.US_ASCII);
    Path keygen = Path.of("/usr/bin/ssh-keygen");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(keygen), "ssh-keygen is not installed");
    Process p = new ProcessBuilder(keygen.toString(), "-lf", file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out.split(" ")[1];
  }

  private Scheduler build() {
    StateStoreProvider provider = new StateStoreProvider() {
      @Override
      public String name() {
        return "shared-memory";
      }

      @Override
      public StateStore create(PluginConfig config, PluginContext context) {
        return store;
      }
    };
    return Csv2Scheduler.builder()
        .configYaml(yaml())
        .clock(clock)
        .executor(EXECUTOR)
        .random(new Random(7))
        .addCloudDriverProvider(world.cloudProvider())
        .addJobSourceProvider(world.jobSourceProvider())
        .addStateStoreProvider(provider)
        .build();
  }
}

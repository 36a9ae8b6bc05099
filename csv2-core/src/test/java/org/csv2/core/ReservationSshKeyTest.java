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

import com.google.inject.AbstractModule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.csv2.api.Scheduler;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.OperationException;
import org.csv2.api.ops.Operations;
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.ReservationRequest;
import org.csv2.api.ops.ReservationState;
import org.csv2.core.engine.BootComposer;
import org.csv2.core.engine.UserDataBootComposer;
import org.csv2.core.sim.CallingThreadExecutor;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A reservation's SSH key reaches its VMs (issue 15): the engine boots the cluster through the
 * real composers, and the user data it sends holds the group's document and, after it, a
 * cloud-config part whose {@code ssh_authorized_keys} is exactly the owner's key; elastic VMs of
 * the same group do not get it. A key that is not one OpenSSH public key line is refused at booking.
 */
class ReservationSshKeyTest {
  static final GroupName ATLAS = GroupName.of("atlas");
  static final CloudName C1 = CloudName.of("c1");
  static final Actor ALICE = Actor.of("alice", "cli");
  static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGkq3ZtUo0c2dG9uZXN0LWtleS1mb3ItdGVzdHM= alice@laptop: 'work' key #1";
  static final String YAML =
      """
      engine:
        instance-id: resv-key
      timers:
        cycle: 30s
        keep-alive: 10m
      groups:
        - name: atlas
          vm-defaults: { image: alma9 }
          user-data:
            - { name: site.yaml, priority: 5, template: "#cloud-config\\nruncmd: [echo {{cloud}}]" }
      clouds:
        - name: c1
          driver: simulated
          config:
            quota: { cores: 16 }
            boot-delay: { min: 60s, max: 90s }
            flavors:
              - { name: m4, cores: 4, ram-mib: 8000, disk-gib: 40 }
      allocations:
        - { group: atlas, cloud: c1, priority: 0 }
      job-source:
        driver: simulated
        config: { register-delay: 10s }
      state-store:
        driver: shared-memory
      """;

  final VirtualClock clock = new VirtualClock();
  final SimulatedWorld world = new SimulatedWorld(clock, 3);
  final StateStore store = new InMemoryStateStore(clock);
  final Operations ops = Csv2Operations.over(store, clock);
  final List<BootRequest> sent = new CopyOnWriteArrayList<>();

  Scheduler engine() {
    StateStoreProvider shared = new StateStoreProvider() {
      @Override
      public String name() {
        return "shared-memory";
      }

      @Override
      public StateStore create(PluginConfig config, PluginContext context) {
        return store;
      }
    };
    BootComposer standard = new UserDataBootComposer("resv-key");
    BootComposer recording = (group, allocation, boot, flavor, names, defaults, tags) -> {
      List<BootRequest> requests = standard.requests(group, allocation, boot, flavor, names, defaults, tags);
      sent.addAll(requests);
      return requests;
    };
    return Csv2Scheduler.builder()
        .configYaml(YAML)
        .clock(clock)
        .executor(new CallingThreadExecutor())
        .random(new Random(5))
        .addCloudDriverProvider(world.cloudProvider())
        .addJobSourceProvider(world.jobSourceProvider())
        .addStateStoreProvider(shared)
        .modules(new AbstractModule() {
          @Override
          protected void configure() {
            bind(BootComposer.class).toInstance(recording);
          }
        })
        .build();
  }

  @Test
  void theOwnersKeyIsInTheUserDataOfTheClusterOnly() {
    try (Scheduler engine = engine()) {
      // an elastic VM of the group first: no key
      world.pool().submit(ATLAS, "u1", org.csv2.model.Resources.of(4, 8000, 5), Duration.ofHours(1), 0);
      for (int i = 0; i < 20 && sent.isEmpty(); i++) {
        engine.runOnce();
        clock.advance(Duration.ofSeconds(30));
      }
      assertThat(sent).as("an elastic boot").isNotEmpty();
      assertThat(parts(sent.get(0))).singleElement().asString().contains("runcmd").doesNotContain("ssh_authorized_keys");
      sent.clear();

      Instant start = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(20));
      Reservation r = ops.reservations().book(ALICE, new ReservationRequest(
          ATLAS, C1, null, 4, 8000, 2, null, null, "  " + KEY + "\n", start, start.plus(Duration.ofHours(1))));
      assertThat(r.state()).isEqualTo(ReservationState.CONFIRMED);
      assertThat(r.sshKey()).as("stored trimmed").isEqualTo(KEY);
      for (int i = 0; i < 40 && sent.isEmpty(); i++) {
        engine.runOnce();
        clock.advance(Duration.ofSeconds(30));
      }
      assertThat(sent).as("the cluster's boot").isNotEmpty();
      assertThat(sent.get(0).names()).hasSize(2);
      List<String> parts = parts(sent.get(0));
      assertThat(parts).as("the group's document, then the key's").hasSize(2);
      assertThat(parts.get(0)).contains("runcmd: [echo c1]");
      Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(parts.get(1));
      assertThat(yaml).as("the key, exactly, though its comment has ': ', quotes and ' #'")
          .isEqualTo(Map.of("ssh_authorized_keys", List.of(KEY)));
    }
  }

  @Test
  void aKeyThatIsNotOnePublicKeyLineIsRefusedAtBooking() {
    try (Scheduler engine = engine()) {
      engine.runOnce(); // stores the configuration that booking reads
    }
    Instant start = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofHours(1));
    for (String bad : List.of(
        "ssh-ed25519 AAAAC3Nza x\"\nruncmd: [reboot]",
        "ssh-ed25519 AAAAC3Nza {{group}}",
        "-----BEGIN OPENSSH PRIVATE KEY-----",
        "ssh-foo AAAAC3Nza me")) {
      assertThatThrownBy(() -> ops.reservations().book(ALICE, new ReservationRequest(
          ATLAS, C1, null, 4, 8000, 1, null, null, bad, start, start.plus(Duration.ofHours(1)))))
          .as(bad)
          .isInstanceOf(OperationException.class)
          .hasMessageContaining("SSH key")
          .hasMessageNotContaining("AAAAC3Nza");
    }
  }

  /** The bodies of the MIME multipart message of a boot's user data. */
  static List<String> parts(BootRequest b) {
    assertThat(b.userData().gzipped()).isFalse();
    String message = new String(Base64.getDecoder().decode(b.userData().base64()), StandardCharsets.UTF_8);
    String boundary = message.replaceAll("(?s)^.*?boundary=\"?([^\"\\r\\n]+)\"?.*", "$1");
    List<String> out = new ArrayList<>();
    String[] chunks = message.split("--" + java.util.regex.Pattern.quote(boundary));
    for (int i = 1; i < chunks.length; i++) {
      String c = chunks[i];
      if (c.startsWith("--")) {
        break;
      }
      int body = c.indexOf("\n\n");
      int bodyCrLf = c.indexOf("\r\n\r\n");
      out.add(bodyCrLf >= 0 && (body < 0 || bodyCrLf < body) ? c.substring(bodyCrLf + 4) : c.substring(body + 2));
    }
    return out;
  }
}

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
package org.csv2.examples.clouds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.plugin.openstack.OpenStackSampleServer;
import org.csv2.spi.Csv2Tags;
import org.junit.jupiter.api.Test;

/**
 * Issue 5 "done when": the real engine ({@code Csv2Scheduler}) with the real {@code openstack}
 * driver against {@link OpenStackSampleServer} (in process, answering with the official API
 * samples), a {@link MachinePool} job source whose workers are the sample server's ACTIVE servers,
 * and the memory store, in virtual time. The group's VMs are {@code m1.small} (one core), so five
 * one-core jobs need five servers. Idle jobs make the engine boot servers (one {@code POST
 * /servers} each, with csv2's metadata and the user data it composed), list them (BUILD, then
 * ACTIVE), see them register and run the jobs, retire them once idle past keep-alive and delete
 * them. Checked on the sample server: every server's metadata and user data; at the end no server
 * of the engine is left; in the store: every VM TERMINATED with a history through RUNNING.
 */
class OpenStackEngineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CYCLE = Duration.ofSeconds(10);
  private static final String CLOUD = "sample-os";
  private static final String IMAGE = "cirros-0.3.2-x86_64-disk";
  private static final GroupName ATLAS = GroupName.of("atlas");
  private static final int JOBS = 5;

  private final String engineId = String.format(Locale.ROOT, "ose2e%06x", new Random().nextInt(0x1000000));

  @Test
  void bootsListsAndTerminatesServersEndToEnd() {
    try (OpenStackSampleServer os = new OpenStackSampleServer().start()) {
      VirtualClock clock = new VirtualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
      InMemoryStateStore store = new InMemoryStateStore(clock);
      Map<String, Resources> flavors = sampleFlavors();
      Map<String, JsonNode> seen = new LinkedHashMap<>();
      MachinePool pool = new MachinePool(clock, () -> machines(os, flavors));
      pool.submit(ATLAS, JOBS, Resources.of(1, 1500), 3);

      EngineRun.Result run =
          EngineRun.run(
              yaml(os), clock, CYCLE, pool, store,
              () -> ours(os).forEach((id, s) -> seen.putIfAbsent(id, s)),
              () -> ours(os).isEmpty(),
              200);
      System.out.printf(
          Locale.ROOT,
          "OpenStack end to end: %d jobs, %d servers booted (peak %d VMs), %d cycles (%s virtual), %.2f s wall%n",
          JOBS, run.booted(), run.peak(), run.cycles(), CYCLE.multipliedBy(run.cycles()),
          run.wall().toNanos() / 1e9);

      // booted: one POST /servers per VM, each with csv2's metadata and its own user data
      List<JsonNode> boots = os.bootBodies();
      assertThat(boots).as("POST /servers bodies").hasSize(run.booted()).hasSize(JOBS);
      Map<String, JsonNode> bootByName = new HashMap<>();
      for (JsonNode b : boots) {
        JsonNode s = b.get("server");
        String name = s.get("name").asText();
        assertThat(bootByName.put(name, s)).as("servers booted as %s", name).isNull();
        Map<String, String> metadata = strings(s.get("metadata"));
        assertThat(metadata)
            .as("metadata of the boot of %s", name)
            .containsEntry(Csv2Tags.INSTANCE_ID, engineId)
            .containsEntry(Csv2Tags.GROUP, "atlas")
            .containsEntry(Csv2Tags.CLOUD, CLOUD)
            .containsEntry(Csv2Tags.VM_NAME, name);
        String userData = new String(Base64.getDecoder().decode(s.get("user_data").asText()), StandardCharsets.UTF_8);
        assertThat(userData)
            .as("user data of %s", name)
            .contains("Content-Type: multipart/mixed")
            .contains("#cloud-config")
            .contains("CONDOR_HOST = condor.example.org")
            .contains("Csv2VmName = \"" + name + "\"")
            .contains("Csv2Group = \"atlas\"")
            .contains("Csv2Cloud = \"" + CLOUD + "\"")
            .contains("Csv2InstanceId = \"" + engineId + "\"");
      }

      // listed: every server was seen on the sample server with that metadata, and the engine read
      // it through its listings (BUILD -> ACTIVE happens only by being listed)
      assertThat(seen).as("servers of the engine seen on the sample server").hasSize(boots.size());
      Map<String, String> serverIdByName = new HashMap<>();
      seen.forEach((id, s) -> {
        Map<String, String> metadata = strings(s.get("metadata"));
        String name = s.get("name").asText();
        serverIdByName.put(name, id);
        assertThat(metadata)
            .as("metadata of server %s", id)
            .containsEntry(Csv2Tags.INSTANCE_ID, engineId)
            .containsEntry(Csv2Tags.GROUP, "atlas")
            .containsEntry(Csv2Tags.CLOUD, CLOUD)
            .containsEntry(Csv2Tags.VM_NAME, name);
        assertThat(s.path("image").path("id").asText())
            .as("image of %s (%s in the Glance sample)", name, IMAGE)
            .isEqualTo("1bea47ed-f6a9-463b-b423-14b9cca9ad27");
      });
      assertThat(os.requests())
          .as("requests to the sample server")
          .anyMatch(r -> r.startsWith("GET ") && r.contains("/servers/detail"));

      // terminated: nothing of the engine left, one DELETE per server
      assertThat(ours(os)).as("servers of the engine left on the sample server").isEmpty();
      for (String id : seen.keySet()) {
        assertThat(os.requests())
            .as("DELETE of server %s", id)
            .anyMatch(r -> r.startsWith("DELETE ") && r.endsWith("/servers/" + id));
      }

      // the store: every VM TERMINATED, recorded with its server's id, and it ran jobs
      List<Vm> vms = store.vms();
      assertThat(vms.stream().map(v -> v.id().value()).collect(Collectors.toSet()))
          .as("VM records").isEqualTo(bootByName.keySet());
      for (Vm vm : vms) {
        assertThat(vm.state()).as("state of %s", vm.id()).isEqualTo(VmState.TERMINATED);
        assertThat(vm.instanceId()).as("instance id of %s", vm.id()).isNotNull();
        assertThat(vm.instanceId().value())
            .as("instance id of %s", vm.id())
            .isEqualTo(serverIdByName.get(vm.id().value()));
        List<VmState> path = store.history(vm.id()).stream().map(VmEvent::to).toList();
        assertThat(path).as("history of %s", vm.id())
            .startsWith(VmState.REQUESTED)
            .contains(VmState.BOOTING, VmState.TERMINATING)
            .endsWith(VmState.TERMINATED);
      }
      assertThat(vms.stream().filter(v -> store.history(v.id()).stream().anyMatch(e -> e.to() == VmState.RUNNING)))
          .as("VMs that ran jobs").isNotEmpty();
      assertThat(pool.completed()).as("jobs completed").isEqualTo(JOBS);
      assertThat(pool.registeredEver()).as("workers registered").containsExactlyInAnyOrderElementsOf(
          vms.stream().map(Vm::id).toList());
    }
  }

  /**
   * Issue 22, a burst at reduced scale: 300 one-core jobs become 300 servers in the first cycle
   * (throttles opened for a burst), booted {@code boot-concurrency} at a time, each with its own
   * name and metadata; they run the jobs and are all deleted.
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 300, unit = java.util.concurrent.TimeUnit.SECONDS)
  void aBurstOfHundredsOfServersBootsConcurrentlyAndIsDeleted() {
    int n = 300;
    try (OpenStackSampleServer os = new OpenStackSampleServer().start()) {
      os.limits(2 * n, 1_000_000, 2 * n);
      os.latency(Duration.ofMillis(3));
      VirtualClock clock = new VirtualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
      InMemoryStateStore store = new InMemoryStateStore(clock);
      Map<String, Resources> flavors = sampleFlavors();
      MachinePool pool = new MachinePool(clock, () -> machines(os, flavors));
      pool.submit(ATLAS, n, Resources.of(1, 400), 2);
      String yaml = yaml(os, "m1.tiny", List.of("boot-concurrency: 8"))
          .replace("groups:\n", "throttles:\n  vms-per-boot-call: 100\n  starting-per-cloud: 1000\n  idle-vms: 1000\ngroups:\n");
      EngineRun.Result run = EngineRun.run(yaml, clock, CYCLE, pool, store, () -> {}, () -> ours(os).isEmpty(), 400);
      System.out.printf(Locale.ROOT, "OpenStack burst: %d servers, %d cycles, %.2f s wall, at most %d boots in flight%n",
          run.booted(), run.cycles(), run.wall().toNanos() / 1e9, os.mostBootsInFlight());
      assertThat(run.booted()).isEqualTo(n);
      assertThat(run.peak()).as("all requested at once").isEqualTo(n);
      assertThat(os.bootBodies()).hasSize(n);
      assertThat(os.bootBodies().stream().map(b -> b.path("server").path("name").asText()).distinct().count()).isEqualTo(n);
      assertThat(os.mostBootsInFlight()).isBetween(2, 8);
      assertThat(pool.completed()).isEqualTo(n);
      assertThat(ours(os)).isEmpty();
      assertThat(store.vms()).hasSize(n).allMatch(v -> v.state() == VmState.TERMINATED);
    }
  }

  /** The engine's servers on the sample server now, by id. */
  private Map<String, JsonNode> ours(OpenStackSampleServer os) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    os.servers().forEach((id, s) -> {
      if (engineId.equals(s.path("metadata").path(Csv2Tags.INSTANCE_ID).asText())) {
        out.put(id, s);
      }
    });
    return out;
  }

  /** The ACTIVE servers of the engine, as the machines whose startds join the pool. */
  private List<MachinePool.Machine> machines(OpenStackSampleServer os, Map<String, Resources> flavors) {
    List<MachinePool.Machine> out = new ArrayList<>();
    ours(os).forEach((id, s) -> {
      if (!"ACTIVE".equals(s.path("status").asText())) {
        return;
      }
      JsonNode md = s.path("metadata");
      Resources total = flavors.get(s.path("flavor").path("id").asText());
      out.add(new MachinePool.Machine(
          VmId.of(md.path(Csv2Tags.VM_NAME).asText()),
          GroupName.of(md.path(Csv2Tags.GROUP).asText()),
          CloudName.of(md.path(Csv2Tags.CLOUD).asText()),
          md.path(Csv2Tags.INSTANCE_ID).asText(),
          total));
    });
    return out;
  }

  /** The sample's flavors by id: vcpus, ram, disk. */
  private static Map<String, Resources> sampleFlavors() {
    try {
      JsonNode root = JSON.readTree(
          OpenStackSampleServer.samplesDirectory().resolve("nova/flavors/flavors-detail-resp.json").toFile());
      Map<String, Resources> out = new HashMap<>();
      for (JsonNode f : root.get("flavors")) {
        out.put(f.get("id").asText(),
            Resources.of(f.get("vcpus").asInt(), f.get("ram").asLong(), f.get("disk").asLong()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new HashMap<>();
    object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private String yaml(OpenStackSampleServer os) {
    return yaml(os, "m1.small", List.of());
  }

  private String yaml(OpenStackSampleServer os, String flavor, List<String> extra) {
    List<String> lines = new ArrayList<>(List.of(
        "auth-url: \"" + os.authUrl() + "\"",
        "region: RegionOne",
        "project: " + OpenStackSampleServer.PROJECT,
        "user: " + OpenStackSampleServer.USER,
        "password: \"" + OpenStackSampleServer.PASSWORD + "\"",
        "connect-timeout: 2s",
        "read-timeout: 5s"));
    lines.addAll(extra);
    return EngineRun.config(engineId, "10s", IMAGE, flavor, CLOUD, "openstack", lines);
  }

}

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

import org.csv2.testkit.TestEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.csv2.spi.Csv2Tags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Issue 6 "done when": the real engine ({@code Csv2Scheduler}) with the real {@code ec2} driver
 * against moto of {@code scripts/testenv up} (reset first), a {@link MachinePool} job source whose
 * workers are moto's running instances of the engine, and the memory store, in virtual time. Idle
 * jobs make the engine boot instances (one RunInstances each, tagged at creation, with the user
 * data it composed), list them, see them register and run the jobs, retire them once idle past
 * keep-alive and terminate them. Read back with the AWS SDK, behind the driver's back: every
 * instance's tags (DescribeInstances) and user data (DescribeInstanceAttribute userData); at the end
 * every instance of the engine is terminated, and the store has every VM TERMINATED with a history
 * through RUNNING. Fails (never skips) when moto is not running.
 */
class Ec2EngineIT {
  private static final Duration CYCLE = Duration.ofSeconds(10);
  private static final String CLOUD = "moto-east";
  private static final String IMAGE_NAME = "amzn2-ami-ecs-hvm-2.0.*-x86_64-ebs";
  private static final GroupName ATLAS = GroupName.of("atlas");
  private static final int JOBS = 4;

  private final String engineId = String.format(Locale.ROOT, "ec2e2e%06x", new Random().nextInt(0x1000000));
  private TestEnvironment env;
  private Ec2Client ec2;

  @BeforeEach
  void resetMoto() {
    env = TestEnvironment.load();
    env.requireListening("moto", "moto.endpoint");
    HttpRequest request = HttpRequest.newBuilder(URI.create(env.get("moto.reset-url")))
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw TestEnvironment.missing("a moto that resets (POST " + request.uri() + " -> " + response.statusCode() + ")");
      }
    } catch (IOException e) {
      throw TestEnvironment.missing("moto at " + request.uri() + " (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while resetting moto", e);
    }
    ec2 = Ec2Client.builder()
        .endpointOverride(URI.create(env.get("moto.endpoint")))
        .region(Region.of(env.get("moto.region")))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(env.get("moto.access-key"), env.get("moto.secret-key"))))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @AfterEach
  void closeClient() {
    if (ec2 != null) {
      ec2.close();
    }
  }

  @Test
  void bootsListsAndTerminatesInstancesEndToEnd() {
    VirtualClock clock = new VirtualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    InMemoryStateStore store = new InMemoryStateStore(clock);
    Map<String, Resources> types = new HashMap<>();
    Map<String, Instance> seen = new LinkedHashMap<>();
    Map<String, String> userData = new HashMap<>();
    MachinePool pool = new MachinePool(clock, () -> machines(types));
    pool.submit(ATLAS, JOBS, Resources.of(1, 400), 3);

    EngineRun.Result run =
        EngineRun.run(
            yaml(), clock, CYCLE, pool, store,
            () -> {
              for (Instance i : ours()) {
                if (seen.putIfAbsent(i.instanceId(), i) == null) {
                  String b64 = ec2.describeInstanceAttribute(
                          r -> r.instanceId(i.instanceId()).attribute(InstanceAttributeName.USER_DATA))
                      .userData().value();
                  userData.put(i.instanceId(), new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8));
                }
              }
            },
            () -> ours().stream().allMatch(i -> i.state().name() == InstanceStateName.TERMINATED),
            200);
    System.out.printf(
        Locale.ROOT,
        "EC2 (moto) end to end: %d jobs, %d instances booted (peak %d VMs), %d cycles (%s virtual), %.2f s wall%n",
        JOBS, run.booted(), run.peak(), run.cycles(), CYCLE.multipliedBy(run.cycles()), run.wall().toNanos() / 1e9);

    // booted and tagged at creation, with the composed user data
    List<Instance> all = ours();
    assertThat(all).as("instances of the engine in moto").hasSize(run.booted()).isNotEmpty();
    assertThat(seen.keySet()).as("instances seen while they ran")
        .containsExactlyInAnyOrderElementsOf(all.stream().map(Instance::instanceId).toList());
    Map<String, String> idByName = new HashMap<>();
    for (Instance i : seen.values()) {
      Map<String, String> tags = i.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
      String name = tags.get(Csv2Tags.VM_NAME);
      assertThat(name).as("csv2-vm tag of %s", i.instanceId()).isNotNull();
      assertThat(idByName.put(name, i.instanceId())).as("instances tagged %s", name).isNull();
      assertThat(tags)
          .as("tags of %s", i.instanceId())
          .containsEntry(Csv2Tags.INSTANCE_ID, engineId)
          .containsEntry(Csv2Tags.GROUP, "atlas")
          .containsEntry(Csv2Tags.CLOUD, CLOUD)
          .containsEntry("Name", name);
      assertThat(i.instanceTypeAsString()).as("type of %s", i.instanceId()).isEqualTo("t3.micro");
      assertThat(userData.get(i.instanceId()))
          .as("user data of %s", i.instanceId())
          .contains("Content-Type: multipart/mixed")
          .contains("#cloud-config")
          .contains("CONDOR_HOST = condor.example.org")
          .contains("Csv2VmName = \"" + name + "\"")
          .contains("Csv2Group = \"atlas\"")
          .contains("Csv2Cloud = \"" + CLOUD + "\"")
          .contains("Csv2InstanceId = \"" + engineId + "\"");
    }

    // terminated: every instance of the engine
    assertThat(all).as("instances of the engine at the end")
        .allSatisfy(i -> assertThat(i.state().name())
            .as("state of %s", i.instanceId())
            .isEqualTo(InstanceStateName.TERMINATED));

    // the store: every VM TERMINATED, recorded with its instance's id, and it ran jobs
    List<Vm> vms = store.vms();
    assertThat(vms.stream().map(v -> v.id().value()).collect(Collectors.toSet()))
        .as("VM records").isEqualTo(idByName.keySet());
    for (Vm vm : vms) {
      assertThat(vm.state()).as("state of %s", vm.id()).isEqualTo(VmState.TERMINATED);
      assertThat(vm.instanceId()).as("instance id of %s", vm.id()).isNotNull();
      assertThat(vm.instanceId().value()).as("instance id of %s", vm.id()).isEqualTo(idByName.get(vm.id().value()));
      List<VmState> path = store.history(vm.id()).stream().map(VmEvent::to).toList();
      assertThat(path).as("history of %s", vm.id())
          .startsWith(VmState.REQUESTED)
          .contains(VmState.BOOTING, VmState.TERMINATING)
          .endsWith(VmState.TERMINATED);
    }
    assertThat(vms.stream().filter(v -> store.history(v.id()).stream().anyMatch(e -> e.to() == VmState.RUNNING)))
        .as("VMs that ran jobs").isNotEmpty();
    assertThat(pool.completed()).as("jobs completed").isEqualTo(JOBS);
    assertThat(pool.registeredEver()).as("workers registered")
        .containsExactlyInAnyOrderElementsOf(vms.stream().map(Vm::id).toList());
  }

  /** Every instance of the engine in moto, in any state. */
  private List<Instance> ours() {
    List<Instance> out = new ArrayList<>();
    for (Reservation r : ec2.describeInstances(
            b -> b.filters(Filter.builder().name("tag:" + Csv2Tags.INSTANCE_ID).values(engineId).build()))
        .reservations()) {
      out.addAll(r.instances());
    }
    return out;
  }

  /** The running instances of the engine, as the machines whose startds join the pool. */
  private List<MachinePool.Machine> machines(Map<String, Resources> types) {
    List<MachinePool.Machine> out = new ArrayList<>();
    for (Instance i : ours()) {
      if (i.state().name() != InstanceStateName.RUNNING) {
        continue;
      }
      Map<String, String> tags = i.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
      Resources total = types.computeIfAbsent(i.instanceTypeAsString(), t -> {
        InstanceTypeInfo info = ec2.describeInstanceTypes(b -> b.instanceTypesWithStrings(t)).instanceTypes().get(0);
        return Resources.of(info.vCpuInfo().defaultVCpus(), info.memoryInfo().sizeInMiB());
      });
      out.add(new MachinePool.Machine(
          VmId.of(tags.get(Csv2Tags.VM_NAME)),
          GroupName.of(tags.get(Csv2Tags.GROUP)),
          CloudName.of(tags.get(Csv2Tags.CLOUD)),
          tags.get(Csv2Tags.INSTANCE_ID),
          total));
    }
    return out;
  }

  /**
   * The AMI the group boots: the newest (highest name) of moto's Amazon images matching {@link
   * #IMAGE_NAME}, by id. (The planner needs an image that the cloud's {@code images()} lists by
   * name or id; a name pattern is resolved by the driver only.)
   */
  private String image() {
    return ec2.describeImages(b -> b.owners("amazon").filters(Filter.builder().name("name").values(IMAGE_NAME).build()))
        .images().stream()
        .max(java.util.Comparator.comparing(software.amazon.awssdk.services.ec2.model.Image::name))
        .orElseThrow(() -> new AssertionError("moto lists no Amazon image named " + IMAGE_NAME))
        .imageId();
  }

  private String yaml() {
    return EngineRun.config(
        engineId, "30s", image(), "t3.micro", CLOUD, "ec2",
        List.of(
            "region: " + env.get("moto.region"),
            "endpoint: \"" + env.get("moto.endpoint") + "\"",
            "access-key-id: \"" + env.get("moto.access-key") + "\"",
            "secret-access-key: \"" + env.get("moto.secret-key") + "\"",
            "image-name: \"" + IMAGE_NAME + "\"",
            "image-owners: [amazon]",
            "instance-types: { families: [t3] }",
            "vcpu-quota: 64",
            "call-timeout: 20s"));
  }

}

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
package org.csv2.plugin.openstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.csv2.api.CloudException;
import org.csv2.model.BootRequest;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.Limits;
import org.csv2.model.OpportunisticPolicy;
import org.csv2.model.UserData;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Csv2Tags;
import org.csv2.spi.OpportunisticMetadata;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The administrators' metadata read from project properties and host aggregates, and concurrent
 * boots, against the sample server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenStackOpportunisticTest {
  private static OpenStackSampleServer server;
  private final List<CloudDriver> drivers = new ArrayList<>();

  @BeforeAll
  static void startServer() {
    server = new OpenStackSampleServer().start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void reset() {
    server.reset();
  }

  @AfterEach
  void close() {
    drivers.forEach(CloudDriver::close);
  }

  private CloudDriver driver(Map<String, Object> extra) {
    Map<String, Object> raw = SampleConfigs.password(server);
    raw.putAll(extra);
    CloudDriver d = new OpenStackCloudDriverProvider()
        .create(TestPluginConfig.of(raw, "clouds[0].config"), new TestPluginContext(Clock.systemUTC(), "engine1", "arbutus"));
    drivers.add(d);
    return d;
  }

  @Test
  void aProjectWithoutPropertiesGovernsNothing() {
    OpportunisticPolicy p = driver(Map.of()).opportunisticPolicy();
    assertThat(p.governed()).isFalse();
    assertThat(p.notes()).isEmpty();
    assertThat(server.requests()).contains("GET /identity/v3/projects/" + OpenStackSampleServer.PROJECT_ID);
    assertThat(server.requests()).noneMatch(r -> r.contains("os-aggregates"));
  }

  @Test
  void projectPropertiesAreTheAdministratorsPolicy() {
    server.projectProperties(Map.of(
        OpportunisticMetadata.CORES, "400",
        OpportunisticMetadata.INSTANCES, "50",
        OpportunisticMetadata.GROUPS, "lhcb,belle2",
        "owner", "someone"));
    OpportunisticPolicy p = driver(Map.of()).opportunisticPolicy();
    assertThat(p.governed()).isTrue();
    assertThat(p.cores()).isEqualTo(400);
    assertThat(p.instances()).isEqualTo(50);
    assertThat(p.groups()).containsExactlyInAnyOrder(GroupName.of("lhcb"), GroupName.of("belle2"));
    assertThat(p.source()).isEqualTo("properties of project admin");
    assertThat(p.notes()).isEmpty();

    // changed by the administrators: the next read sees it
    server.projectProperties(Map.of(OpportunisticMetadata.RECLAIM, "true", OpportunisticMetadata.RECLAIM_DEADLINE, "2026-12-04T18:00:00Z"));
    OpportunisticPolicy r = drivers.get(0).opportunisticPolicy();
    assertThat(r.reclaim()).isTrue();
    assertThat(r.deadline()).isEqualTo(Instant.parse("2026-12-04T18:00:00Z"));
  }

  @Test
  void malformedPropertiesGiveSafeValuesAndNotes() {
    server.projectProperties(Map.of(OpportunisticMetadata.CORES, "4OO", OpportunisticMetadata.RECLAIM_DEADLINE, "noon"));
    OpportunisticPolicy p = driver(Map.of()).opportunisticPolicy();
    assertThat(p.cores()).isZero();
    assertThat(p.reclaim()).isFalse();
    assertThat(p.notes()).hasSize(2);
    assertThat(p.notes()).anySatisfy(n -> assertThat(n).contains("properties of project admin", "csv2-opportunistic-cores '4OO'"));
  }

  @Test
  void aggregatesForThisProjectCombineWithTheProjectMostRestrictiveFirst() {
    server.projectProperties(Map.of(OpportunisticMetadata.CORES, "400", OpportunisticMetadata.GROUPS, "lhcb,belle2"));
    server.aggregate("farm-a", Map.of(OpportunisticMetadata.CORES, "200", OpportunisticMetadata.GROUPS, "lhcb"));
    server.aggregate("farm-b", Map.of(
        OpportunisticMetadata.CORES, "8", "filter_tenant_id", "someone-else"));
    server.aggregate("plain", Map.of("availability_zone", "london"));
    OpportunisticPolicy p = driver(Map.of("opportunistic-metadata", List.of("project", "aggregates"))).opportunisticPolicy();
    assertThat(p.cores()).isEqualTo(200);
    assertThat(p.groups()).containsExactly(GroupName.of("lhcb"));
    assertThat(p.instances()).isEqualTo(Limits.UNLIMITED);
    assertThat(p.notes()).singleElement().asString()
        .contains("disagree on cores, groups", "metadata of host aggregate farm-a", "properties of project admin");
  }

  @Test
  void sourcesThatMayNotBeReadAreNotedNotFatal() {
    server.failNext("GET", "/os-aggregates", 403,
        "{\"forbidden\":{\"message\":\"Policy doesn't allow os_compute_api:os-aggregates:index to be performed.\",\"code\":403}}");
    server.failNext("GET", "/identity/v3/projects/", 403,
        "{\"error\":{\"code\":403,\"title\":\"Forbidden\",\"message\":\"You are not authorized to perform the requested action.\"}}");
    OpportunisticPolicy p = driver(Map.of("opportunistic-metadata", List.of("project", "aggregates"))).opportunisticPolicy();
    assertThat(p.governed()).isFalse();
    assertThat(p.notes()).hasSize(2);
    assertThat(p.notes()).anySatisfy(n -> assertThat(n).contains("host aggregates may not be read (HTTP 403"));
    assertThat(p.notes()).anySatisfy(n -> assertThat(n).contains("properties of project admin may not be read (HTTP 403)"));
  }

  @Test
  void noSourceConfiguredReadsNothing() {
    server.projectProperties(Map.of(OpportunisticMetadata.CORES, "1"));
    assertThat(driver(Map.of("opportunistic-metadata", List.of())).opportunisticPolicy()).isEqualTo(OpportunisticPolicy.NONE);
    assertThat(server.requests()).noneMatch(r -> r.contains("/projects/"));
  }

  private static BootRequest request(int n) {
    List<VmId> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(VmId.of(String.format("atlas--arbutus--engine1--b%03d", i)));
    }
    return new BootRequest(GroupName.of("atlas"), FlavorName.of("m1.tiny"), "cirros-0.3.2-x86_64-disk", ids,
        UserData.ofText("#cloud-config\n"), Map.of(), VmDefaults.NONE, 0);
  }

  @Test
  void aBurstGoesBootConcurrencyAtATimeAndEveryServerKeepsItsOwnName() {
    server.latency(Duration.ofMillis(30));
    List<Instance> booted = driver(Map.of("boot-concurrency", 6)).boot(request(40));
    assertThat(booted).hasSize(40);
    assertThat(booted).extracting(i -> i.name().value()).doesNotHaveDuplicates();
    assertThat(server.mostBootsInFlight()).isBetween(2, 6);
    Set<String> names = new HashSet<>();
    server.servers().values().forEach(s -> {
      String vm = s.path("metadata").path(Csv2Tags.VM_NAME).asText("");
      if (!vm.isEmpty()) {
        assertThat(s.path("name").asText()).isEqualTo(vm);
        names.add(vm);
      }
    });
    assertThat(names).hasSize(40);
  }

  @Test
  void aFailureInABurstStopsFurtherRequestsAndReturnsWhatWasAccepted() {
    server.failNth("POST", "/servers$", 5, 403,
        "{\"forbidden\":{\"message\":\"Quota exceeded for instances: Requested 1, but already used 10 of 10 instances\",\"code\":403}}");
    List<Instance> booted = driver(Map.of("boot-concurrency", 2)).boot(request(30));
    assertThat(booted.size()).isBetween(4, 6);
    long posts = server.requests().stream().filter(r -> r.startsWith("POST") && r.endsWith("/servers")).count();
    assertThat(posts).isLessThan(30);
    assertThat(server.servers().size() - 1).isEqualTo(booted.size());
  }

  @Test
  void terminateEachDeletesBootConcurrencyAtATimeAndReportsEachServersOwnRefusal() {
    CloudDriver d = driver(Map.of("boot-concurrency", 6));
    List<Instance> booted = d.boot(request(30));
    server.latency(Duration.ofMillis(30));
    List<InstanceId> ids = new ArrayList<>(booted.stream().map(Instance::id).toList());
    InstanceId locked = ids.get(7);
    InstanceId gone = InstanceId.of("0b5e37a0-aaaa-4bbb-8ccc-000000000000"); // already deleted: a success
    ids.add(gone);
    server.failNext("DELETE", "/servers/" + locked.value() + "$", 409,
        "{\"conflictingRequest\":{\"message\":\"Instance " + locked.value() + " is locked\",\"code\":409}}");

    Map<InstanceId, CloudException> refused = d.terminateEach(ids);

    assertThat(refused).containsOnlyKeys(locked);
    assertThat(refused.get(locked).getMessage()).contains("is locked");
    assertThat(server.mostDeletesInFlight()).isBetween(2, 6);
    assertThat(d.instances()).extracting(Instance::id).containsExactly(locked);
  }

  @Test
  void terminateEachStopsSendingWhenTheCloudFailsAndReportsTheRestNotSent() {
    CloudDriver d = driver(Map.of("boot-concurrency", 1));
    List<InstanceId> ids = d.boot(request(10)).stream().map(Instance::id).toList();
    server.failNth("DELETE", "/servers/", 3, 500, "{\"computeFault\":{\"message\":\"boom\",\"code\":500}}");

    Map<InstanceId, CloudException> refused = d.terminateEach(ids);

    assertThat(refused.keySet()).as("after %s", server.requests()).containsExactlyElementsOf(ids.subList(2, 10));
    assertThat(refused.get(ids.get(9)).getMessage()).contains("not sent");
    assertThat(server.requests().stream().filter(r -> r.startsWith("DELETE"))).hasSize(3);
    assertThat(d.instances()).hasSize(8);
  }

  @Test
  void concurrencyOneBootsOneAfterTheOther() {
    server.latency(Duration.ofMillis(5));
    assertThat(driver(Map.of("boot-concurrency", 1)).boot(request(6))).hasSize(6);
    assertThat(server.mostBootsInFlight()).isEqualTo(1);
  }
}

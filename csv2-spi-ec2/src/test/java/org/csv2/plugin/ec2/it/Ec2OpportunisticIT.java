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
package org.csv2.plugin.ec2.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csv2.model.BootRequest;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.OpportunisticPolicy;
import org.csv2.model.UserData;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Csv2Tags;
import org.csv2.spi.OpportunisticMetadata;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The administrators' opportunistic policy read from the tags of resources they own, and a burst
 * of concurrent RunInstances, against moto ({@code scripts/testenv up}; reset before each test).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Ec2OpportunisticIT {
  private static final String ENGINE = "oppit";
  private static final String CLOUD = "moto-east";

  private final Moto moto = new Moto();
  private final List<AutoCloseable> open = new ArrayList<>();
  private Ec2Client raw;

  @BeforeEach
  void reset() {
    moto.reset();
    raw = moto.client();
    open.add(raw);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private CloudDriver driver(Map<String, Object> extra) {
    Map<String, Object> config = new java.util.LinkedHashMap<>(moto.config());
    config.putAll(extra);
    CloudDriver d = moto.driver(config, new TestPluginContext(Clock.systemUTC(), ENGINE, CLOUD));
    open.add(d);
    return d;
  }

  private String vpc() {
    return raw.createVpc(r -> r.cidrBlock("10.42.0.0/16")).vpc().vpcId();
  }

  private void tag(String resource, Map<String, String> tags) {
    List<Tag> list = new ArrayList<>();
    tags.forEach((k, v) -> list.add(Tag.builder().key(k).value(v).build()));
    raw.createTags(r -> r.resources(resource).tags(list));
  }

  @Test
  void noResourceConfiguredGovernsNothing() {
    assertThat(driver(Map.of()).opportunisticPolicy()).isEqualTo(OpportunisticPolicy.NONE);
  }

  @Test
  void anUntaggedResourceGovernsNothing() {
    String vpc = vpc();
    tag(vpc, Map.of("Name", "farm"));
    OpportunisticPolicy p = driver(Map.of("opportunistic-metadata", List.of(vpc))).opportunisticPolicy();
    assertThat(p.governed()).isFalse();
    assertThat(p.notes()).isEmpty();
  }

  @Test
  void tagsOfAResourceTheAdministratorsOwnAreThePolicy() {
    String vpc = vpc();
    tag(vpc, Map.of(
        OpportunisticMetadata.CORES, "96",
        OpportunisticMetadata.INSTANCES, "12",
        OpportunisticMetadata.GROUPS, "lhcb",
        "Name", "trigger-farm"));
    CloudDriver d = driver(Map.of("opportunistic-metadata", List.of(vpc)));
    OpportunisticPolicy p = d.opportunisticPolicy();
    assertThat(p.governed()).isTrue();
    assertThat(p.cores()).isEqualTo(96);
    assertThat(p.instances()).isEqualTo(12);
    assertThat(p.groups()).containsExactly(GroupName.of("lhcb"));
    assertThat(p.source()).isEqualTo("tags of " + vpc);

    tag(vpc, Map.of(OpportunisticMetadata.RECLAIM, "true", OpportunisticMetadata.RECLAIM_DEADLINE, "2026-12-04T18:00:00Z"));
    OpportunisticPolicy r = d.opportunisticPolicy();
    assertThat(r.reclaim()).isTrue();
    assertThat(r.deadline()).isEqualTo(Instant.parse("2026-12-04T18:00:00Z"));
  }

  @Test
  void malformedAndContradictoryTagsGiveSafeValuesAndNotes() {
    String a = vpc();
    String b = raw.createSecurityGroup(r -> r.groupName("farm-b").description("farm b").vpcId(a)).groupId();
    tag(a, Map.of(OpportunisticMetadata.CORES, "ninety", OpportunisticMetadata.GROUPS, "lhcb,belle2"));
    tag(b, Map.of(OpportunisticMetadata.CORES, "64", OpportunisticMetadata.GROUPS, "belle2", OpportunisticMetadata.RECLAIM, "maybe"));
    OpportunisticPolicy p = driver(Map.of("opportunistic-metadata", List.of(a, b))).opportunisticPolicy();
    assertThat(p.cores()).isZero();
    assertThat(p.groups()).containsExactly(GroupName.of("belle2"));
    assertThat(p.reclaim()).isTrue();
    assertThat(p.deadline()).isNull();
    assertThat(p.notes())
        .anySatisfy(n -> assertThat(n).contains("tags of " + a, "'ninety'", "treated as 0"))
        .anySatisfy(n -> assertThat(n).contains("tags of " + b, "'maybe'"))
        .anySatisfy(n -> assertThat(n).contains("disagree", "most restrictive"));
  }

  @Test
  void aBurstOfConcurrentRunInstancesTagsEveryInstanceWithItsOwnName() {
    List<VmId> names = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      names.add(VmId.of(String.format("atlas--%s--%s--b%02d", CLOUD, ENGINE, i)));
    }
    BootRequest request = new BootRequest(GroupName.of("atlas"), FlavorName.of("t3.micro"), Moto.IMAGE_NAME, names,
        UserData.EMPTY, Map.of(Csv2Tags.INSTANCE_ID, ENGINE, Csv2Tags.GROUP, "atlas", Csv2Tags.CLOUD, CLOUD),
        VmDefaults.NONE, 0);
    CloudDriver d = driver(Map.of("boot-concurrency", 6));
    List<Instance> booted = d.boot(request);
    assertThat(booted).hasSize(24);
    assertThat(booted).extracting(i -> i.name().value()).doesNotHaveDuplicates();
    assertThat(d.instances()).extracting(i -> i.name()).containsExactlyInAnyOrderElementsOf(names);
  }

  private List<Instance> burst(CloudDriver d, int n) {
    List<VmId> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add(VmId.of(String.format("atlas--%s--%s--t%02d", CLOUD, ENGINE, i)));
    }
    return d.boot(new BootRequest(GroupName.of("atlas"), FlavorName.of("t3.micro"), Moto.IMAGE_NAME, names,
        UserData.EMPTY, Map.of(Csv2Tags.INSTANCE_ID, ENGINE, Csv2Tags.GROUP, "atlas", Csv2Tags.CLOUD, CLOUD),
        VmDefaults.NONE, 0));
  }

  private List<String> running(List<InstanceId> ids) {
    return raw.describeInstances(r -> r.instanceIds(ids.stream().map(InstanceId::value).toList())).reservations().stream()
        .flatMap(r -> r.instances().stream())
        .filter(i -> !"terminated".equals(i.state().nameAsString()) && !"shutting-down".equals(i.state().nameAsString()))
        .map(i -> i.instanceId())
        .toList();
  }

  @Test
  void terminateEachEndsABatchInOneCall() {
    CloudDriver d = driver(Map.of("boot-concurrency", 4));
    List<InstanceId> ids = burst(d, 12).stream().map(Instance::id).toList();
    assertThat(d.terminateEach(ids)).isEmpty();
    assertThat(running(ids)).isEmpty();
    assertThat(d.instances()).isEmpty();
  }

  @Test
  void oneVanishedInstanceInABatchDoesNotBlockTheOthers() {
    CloudDriver d = driver(Map.of("boot-concurrency", 4));
    List<InstanceId> ids = new ArrayList<>(burst(d, 8).stream().map(Instance::id).toList());
    InstanceId vanished = InstanceId.of("i-0123456789abcdef0"); // never existed: EC2 refuses the whole request
    ids.add(3, vanished);
    assertThat(d.terminateEach(ids)).as("an instance already gone is a success").isEmpty();
    ids.remove(vanished);
    assertThat(running(ids)).isEmpty();
    assertThat(d.instances()).isEmpty();
  }
}

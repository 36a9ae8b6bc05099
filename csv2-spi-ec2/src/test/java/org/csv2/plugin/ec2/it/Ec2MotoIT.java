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
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudCapacity;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Image;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Resources;
import org.csv2.model.UserData;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Csv2Tags;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Boot, list, tags, user data, spot, capacity and terminate against moto's EC2 server ({@code
 * scripts/testenv up}), with the configuration a deployment would write for it (endpoint override,
 * static credentials, an AMI found by name). moto is reset before each test.
 */
class Ec2MotoIT {
  private static final String ENGINE = "motoit";
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

  private CloudDriver driver(Map<String, Object> config) {
    CloudDriver d = moto.driver(config, new TestPluginContext(Clock.systemUTC(), ENGINE, CLOUD));
    open.add(d);
    return d;
  }

  private static BootRequest request(String flavor, String image, UserData userData, String... suffixes) {
    List<VmId> names = new ArrayList<>();
    for (String s : suffixes) {
      names.add(VmId.of("atlas--" + CLOUD + "--" + ENGINE + "--" + s));
    }
    return new BootRequest(
        GroupName.of("atlas"),
        FlavorName.of(flavor),
        image,
        names,
        userData,
        Map.of(Csv2Tags.INSTANCE_ID, ENGINE, Csv2Tags.GROUP, "atlas", Csv2Tags.CLOUD, CLOUD, "project", "atlas-mc"),
        VmDefaults.NONE,
        0);
  }

  private software.amazon.awssdk.services.ec2.model.Instance describe(InstanceId id) {
    return raw.describeInstances(r -> r.instanceIds(id.value())).reservations().get(0).instances().get(0);
  }

  private static Map<String, String> tags(List<Tag> tags) {
    return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value));
  }

  @Test
  void flavorsComeFromDescribeInstanceTypesThroughTheFilter() {
    Map<String, Flavor> flavors = driver(moto.config()).flavors().stream()
        .collect(Collectors.toMap(f -> f.name().value(), Function.identity()));
    assertThat(flavors).isNotEmpty().allSatisfy((name, f) -> assertThat(name).startsWith("t3."));
    assertThat(flavors.get("t3.micro").resources()).isEqualTo(Resources.of(2, 1024));
    assertThat(flavors.get("t3.micro").available()).isTrue();
  }

  @Test
  void imagesAreTheNamePatternsMatchesNewestFirstAndBootResolvesTheNameToTheFirst() {
    CloudDriver d = driver(moto.config());
    List<Image> all = d.images();
    Image pattern = all.get(0);
    assertThat(pattern.name()).as("the configured pattern is listed first, as an image the engine can name").isEqualTo(Moto.IMAGE_NAME);
    List<Image> images = all.subList(1, all.size());
    assertThat(images).hasSizeGreaterThan(1).allSatisfy(i -> assertThat(i.name()).startsWith("amzn2-ami-ecs-hvm-2.0."));
    assertThat(images.get(0).name())
        .as("moto stamps all images alike: the highest name wins")
        .isEqualTo(images.stream().map(Image::name).max(Comparator.naturalOrder()).orElseThrow());
    assertThat(pattern.id()).as("the pattern stands for the newest match").isEqualTo(images.get(0).id());

    Instance booted = d.boot(request("t3.micro", Moto.IMAGE_NAME, UserData.EMPTY, "img1")).get(0);
    assertThat(describe(booted.id()).imageId()).isEqualTo(images.get(0).id());
  }

  @Test
  void bootTagsEveryVmWithItsOwnNameAndCarriesTheUserData() {
    CloudDriver d = driver(moto.config());
    String image = d.images().get(0).id();
    UserData userData = UserData.ofText("#cloud-config\nwrite_files:\n  - path: /etc/condor/config.d/50-csv2\n");
    List<Instance> booted = d.boot(request("t3.small", image, userData, "a1", "a2"));

    assertThat(booted).hasSize(2).allSatisfy(i -> assertThat(i.flavor()).isEqualTo(FlavorName.of("t3.small")));
    for (Instance i : booted) {
      software.amazon.awssdk.services.ec2.model.Instance seen = describe(i.id());
      assertThat(tags(seen.tags()))
          .containsEntry(Csv2Tags.INSTANCE_ID, ENGINE)
          .containsEntry(Csv2Tags.GROUP, "atlas")
          .containsEntry(Csv2Tags.CLOUD, CLOUD)
          .containsEntry(Csv2Tags.VM_NAME, i.name().value())
          .containsEntry("Name", i.name().value())
          .containsEntry("project", "atlas-mc");
      String sent = raw.describeInstanceAttribute(r -> r.instanceId(i.id().value()).attribute(InstanceAttributeName.USER_DATA))
          .userData().value();
      assertThat(sent).isEqualTo(userData.base64());
      assertThat(seen.instanceLifecycleAsString()).as("on-demand").isNull();
    }
    assertThat(booted.get(0).name()).isNotEqualTo(booted.get(1).name());

    List<Instance> listed = d.instances();
    assertThat(listed).extracting(Instance::id).containsExactlyInAnyOrderElementsOf(booted.stream().map(Instance::id).toList());
    assertThat(listed).allSatisfy(i -> assertThat(i.state()).isIn(InstanceState.PENDING, InstanceState.ACTIVE));
  }

  @Test
  void spotBootsGoThroughInstanceMarketOptions() {
    Map<String, Object> config = moto.config();
    config.put("market", "spot");
    config.put("spot-max-price", 0.05);
    CloudDriver d = driver(config);
    Instance booted = d.boot(request("t3.micro", d.images().get(0).id(), UserData.EMPTY, "s1")).get(0);
    assertThat(describe(booted.id()).instanceLifecycleAsString()).isEqualTo("spot");
    assertThat(d.flavors()).as("moto's synthetic spot price 0.00001 is under the max").allMatch(Flavor::available);
  }

  @Test
  void capacityCountsForeignInstancesToo() {
    CloudDriver d = driver(moto.config());
    raw.runInstances(r -> r.imageId(d.images().get(0).id()).instanceType(InstanceType.M5_LARGE).minCount(1).maxCount(1));
    d.boot(request("t3.micro", d.images().get(0).id(), UserData.EMPTY, "c1"));

    CloudCapacity capacity = d.capacity();
    assertThat(capacity.max().cores()).isEqualTo(64);
    assertThat(capacity.max().instances()).isEqualTo(-1);
    assertThat(capacity.used().cores()).as("m5.large (2) not ours + t3.micro (2) ours").isEqualTo(4);
    assertThat(capacity.used().ramMiB()).isEqualTo(8192 + 1024);
    assertThat(capacity.used().instances()).isEqualTo(2);
    assertThat(d.instances()).as("only ours are listed").hasSize(1);
  }

  @Test
  void terminateEndsTheInstanceAndIsIdempotent() {
    CloudDriver d = driver(moto.config());
    InstanceId id = d.boot(request("t3.micro", d.images().get(0).id(), UserData.EMPTY, "t1")).get(0).id();
    d.terminate(id);
    assertThat(describe(id).state().nameAsString()).isIn("shutting-down", "terminated");
    assertThatCode(() -> d.terminate(id)).doesNotThrowAnyException();
    assertThatCode(() -> d.terminate(InstanceId.of("i-0123456789abcdef0"))).doesNotThrowAnyException();
    assertThat(d.instances()).allSatisfy(i -> assertThat(i.state()).isEqualTo(InstanceState.TERMINATING));
    assertThat(d.capacity().used().instances()).isZero();
  }
}

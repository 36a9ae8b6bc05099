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
package org.csv2.plugin.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.csv2.api.CloudException;
import org.csv2.api.CloudException.Reason;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudCapacity;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Resources;
import org.csv2.model.UserData;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Csv2Tags;
import org.csv2.testkit.MutableClock;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The driver against a local HTTP server that replays EC2 XML: the real samples of {@code
 * ../shared/data/ec2-samples} (libcloud and jclouds fixtures) and AWS error bodies. Covers what moto
 * cannot show: error codes, real spot prices, the exact RunInstances parameters.
 */
class Ec2ReplayTest {
  private static final String CLOUD = "replay";
  private static final String ENGINE = "e1";

  /** Written here because no sample of DescribeInstanceTypes exists; values are AWS's for these types. */
  static final String INSTANCE_TYPES =
      """
      <DescribeInstanceTypesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
        <requestId>5d0f7f8c-0c0d-4d3a-9f3e-1b0f5c6b2a11</requestId>
        <instanceTypeSet>
          <item>
            <instanceType>m1.small</instanceType><currentGeneration>false</currentGeneration>
            <supportedUsageClasses><item>on-demand</item><item>spot</item></supportedUsageClasses>
            <vCpuInfo><defaultVCpus>1</defaultVCpus></vCpuInfo><memoryInfo><sizeInMiB>1740</sizeInMiB></memoryInfo>
            <instanceStorageInfo><totalSizeInGB>160</totalSizeInGB></instanceStorageInfo>
          </item>
          <item>
            <instanceType>m1.large</instanceType><currentGeneration>false</currentGeneration>
            <supportedUsageClasses><item>on-demand</item><item>spot</item></supportedUsageClasses>
            <vCpuInfo><defaultVCpus>2</defaultVCpus></vCpuInfo><memoryInfo><sizeInMiB>7680</sizeInMiB></memoryInfo>
            <instanceStorageInfo><totalSizeInGB>840</totalSizeInGB></instanceStorageInfo>
          </item>
          <item>
            <instanceType>t1.micro</instanceType><currentGeneration>false</currentGeneration>
            <supportedUsageClasses><item>on-demand</item><item>spot</item></supportedUsageClasses>
            <vCpuInfo><defaultVCpus>1</defaultVCpus></vCpuInfo><memoryInfo><sizeInMiB>627</sizeInMiB></memoryInfo>
          </item>
          <item>
            <instanceType>g2.2xlarge</instanceType><currentGeneration>false</currentGeneration>
            <supportedUsageClasses><item>on-demand</item></supportedUsageClasses>
            <vCpuInfo><defaultVCpus>8</defaultVCpus></vCpuInfo><memoryInfo><sizeInMiB>15360</sizeInMiB></memoryInfo>
            <gpuInfo><gpus><item><name>K520</name><manufacturer>NVIDIA</manufacturer><count>1</count></item></gpus></gpuInfo>
            <instanceStorageInfo><totalSizeInGB>60</totalSizeInGB></instanceStorageInfo>
          </item>
        </instanceTypeSet>
      </DescribeInstanceTypesResponse>
      """;

  private final Ec2ReplayServer server = new Ec2ReplayServer();
  private final MutableClock clock = MutableClock.at(Instant.parse("2025-03-01T12:00:00Z"));
  private final List<CloudDriver> drivers = new ArrayList<>();

  @TempDir Path tmp;

  @AfterEach
  void stop() {
    drivers.forEach(CloudDriver::close);
    server.close();
  }

  private Map<String, Object> config() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("region", "us-east-1");
    raw.put("endpoint", server.endpoint());
    raw.put("access-key-id", "AKIDEXAMPLE");
    raw.put("secret-access-key", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    raw.put("max-attempts", 1);
    raw.put("call-timeout", "5s");
    return raw;
  }

  @Test
  void sessionCredentialsSayWhenTheyExpireAndLongTermKeysDoNot() {
    assertThat(driver(config()).credentialsExpireAt()).as("long-term access keys").isEmpty();
    Map<String, Object> raw = config();
    raw.put("session-token", "FwoGZXIvYXdzEXAMPLE");
    raw.put("session-expiration", "2026-12-05T18:00:00+00:00");
    assertThat(driver(raw).credentialsExpireAt()).contains(java.time.Instant.parse("2026-12-05T18:00:00Z"));
  }

  private CloudDriver driver(Map<String, Object> raw) {
    CloudDriver d =
        new Ec2CloudDriverProvider()
            .create(TestPluginConfig.of(raw, "clouds[0].config"), new TestPluginContext(clock, ENGINE, CLOUD));
    drivers.add(d);
    return d;
  }

  private static BootRequest request(String flavor, String image, double maxPrice, String... names) {
    List<VmId> vms = List.of(names).stream().map(VmId::of).toList();
    Map<String, String> tags = Map.of(Csv2Tags.INSTANCE_ID, ENGINE, Csv2Tags.GROUP, "atlas", Csv2Tags.CLOUD, CLOUD);
    return new BootRequest(
        GroupName.of("atlas"),
        FlavorName.of(flavor),
        image,
        vms,
        UserData.ofText("#cloud-config\nruncmd: [echo hi]\n"),
        tags,
        new VmDefaults(null, null, null, "csv2-key", "subnet-1a2b3c4d", List.of("sg-0123", "condor")),
        maxPrice);
  }

  private static Map<String, Flavor> byName(List<Flavor> flavors) {
    return flavors.stream().collect(Collectors.toMap(f -> f.name().value(), Function.identity()));
  }

  @ParameterizedTest(name = "{1} {0} -> {2}")
  @CsvSource({
    "InsufficientInstanceCapacity, 500, CAPACITY_UNAVAILABLE",
    "InsufficientInstanceCapacity, 400, CAPACITY_UNAVAILABLE",
    "VcpuLimitExceeded, 400, QUOTA_EXCEEDED",
    "InstanceLimitExceeded, 400, QUOTA_EXCEEDED",
    "MaxSpotInstanceCountExceeded, 400, QUOTA_EXCEEDED",
    "RequestLimitExceeded, 503, UNAVAILABLE",
    "InternalError, 500, UNAVAILABLE",
    "Unavailable, 503, UNAVAILABLE",
    "AuthFailure, 401, AUTHENTICATION",
    "AuthFailure, 400, AUTHENTICATION",
    "UnauthorizedOperation, 403, AUTHENTICATION",
    "InvalidParameterValue, 400, INVALID_REQUEST",
    "InvalidParameterCombination, 400, INVALID_REQUEST",
    "InvalidAMIID.Malformed, 400, INVALID_REQUEST",
    "InvalidAMIID.NotFound, 400, INVALID_REQUEST",
    "InvalidInstanceType, 400, INVALID_REQUEST",
    "InvalidSubnetID.NotFound, 400, INVALID_REQUEST",
    "InvalidGroup.NotFound, 400, INVALID_REQUEST",
    "IdempotentParameterMismatch, 400, INVALID_REQUEST",
  })
  void awsErrorCodesMapToReasons(String code, int status, Reason expected) {
    String message = "AWS says " + code + " for this request";
    server.answer("DescribeImages", status, Ec2ReplayServer.error(code, message));
    CloudException e = catchThrowableOfType(CloudException.class, () -> driver(config()).images());
    assertThat(e).as("exception for %s", code).isNotNull();
    assertThat(e.reason()).isEqualTo(expected);
    assertThat(e.retryable()).isEqualTo(expected.retryable());
    assertThat(e.getMessage()).contains("cloud " + CLOUD).contains("DescribeImages");
    if (status == 401) {
      // HttpURLConnection drops the body of a 401 in streaming mode: the status is all that is left
      assertThat(e.getMessage()).contains("HTTP 401").contains("check the credentials");
    } else {
      assertThat(e.getMessage()).contains(message).contains(code);
    }
  }

  @Test
  void aRealErrorSampleKeepsAwsMessage() {
    server.answer("DescribeKeyPairs", 400, Ec2ReplayServer.sample("libcloud/describe_key_pairs_doesnt_exist.xml"));
    CloudException e = catchThrowableOfType(CloudException.class, () -> driver(config()).keyPairs());
    assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST);
    assertThat(e.getMessage()).contains("The key pair 'test-key-pair' does not exist").contains("InvalidKeyPair.NotFound");
  }

  @Test
  void aServerErrorWithoutBodyIsUnavailable() {
    server.answer("DescribeImages", 503, "");
    CloudException e = catchThrowableOfType(CloudException.class, () -> driver(config()).images());
    assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void aRefusedConnectionIsUnavailable() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Map<String, Object> raw = config();
    raw.put("endpoint", "http://127.0.0.1:" + port);
    CloudException e = catchThrowableOfType(CloudException.class, () -> driver(raw).instances());
    assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(e.getMessage()).contains("cloud " + CLOUD).contains("DescribeInstances");
  }

  @Test
  void aServerThatNeverAnswersIsUnavailableAfterTheCallTimeout() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          accepted.add(silent.accept());
        } catch (IOException e) {
          // closed at the end of the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      Map<String, Object> raw = config();
      raw.put("endpoint", "http://127.0.0.1:" + silent.getLocalPort());
      raw.put("call-timeout", "1s");
      CloudException e = catchThrowableOfType(CloudException.class, () -> driver(raw).images());
      assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void terminatingAnUnknownInstanceIsSuccessAndOtherErrorsAreNot() {
    server.answer("TerminateInstances", 400,
        Ec2ReplayServer.error("InvalidInstanceID.NotFound", "The instance ID 'i-0123456789abcdef0' does not exist"));
    CloudDriver d = driver(config());
    assertThatCode(() -> d.terminate(InstanceId.of("i-0123456789abcdef0"))).doesNotThrowAnyException();
    assertThat(server.requests("TerminateInstances")).singleElement()
        .satisfies(r -> assertThat(r).containsEntry("InstanceId.1", "i-0123456789abcdef0"));

    server.answer("TerminateInstances", 400,
        Ec2ReplayServer.error("InvalidInstanceID.Malformed", "Invalid id: \"nonsense\""));
    CloudException e = catchThrowableOfType(CloudException.class, () -> d.terminate(InstanceId.of("nonsense")));
    assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST);
  }

  @Test
  void terminateSendsTheId() {
    server.answer("TerminateInstances", Ec2ReplayServer.sample("libcloud/terminate_instances.xml"));
    driver(config()).terminate(InstanceId.of("i-4382922a"));
    assertThat(server.requests("TerminateInstances")).singleElement()
        .satisfies(r -> assertThat(r).containsEntry("InstanceId.1", "i-4382922a"));
  }

  @Test
  void flavorsCarryResourcesGpusLocalDiskAndTablePrices() throws IOException {
    server.answer("DescribeInstanceTypes", INSTANCE_TYPES);
    Path table = Files.writeString(tmp.resolve("prices.csv"), "type,price\nm1.small,0.044\ng2.2xlarge,0.65\n");
    Map<String, Object> raw = config();
    raw.put("price-table", table.toString());
    Map<String, Flavor> flavors = byName(driver(raw).flavors());
    assertThat(flavors).containsOnlyKeys("m1.small", "m1.large", "t1.micro", "g2.2xlarge");
    assertThat(flavors.get("m1.small").resources()).isEqualTo(new Resources(1, 1740, 160, 0, 0));
    assertThat(flavors.get("m1.small").pricePerHour()).isEqualTo(0.044);
    assertThat(flavors.get("g2.2xlarge").resources()).isEqualTo(new Resources(8, 15360, 60, 0, 1));
    assertThat(flavors.get("g2.2xlarge").pricePerHour()).isEqualTo(0.65);
    assertThat(flavors.get("t1.micro").pricePerHour()).as("no price in the table").isZero();
    assertThat(flavors.values()).allMatch(Flavor::available);
    assertThat(server.requests("DescribeSpotPriceHistory")).as("spot prices asked on-demand").isEmpty();
  }

  @Test
  void theInstanceTypeFilterSelectsFlavors() {
    server.answer("DescribeInstanceTypes", INSTANCE_TYPES);
    Map<String, Object> raw = config();
    raw.put("instance-types", Map.of("families", List.of("m1", "g2"), "max-vcpus", 4, "min-gib-per-vcpu", 1.5));
    assertThat(byName(driver(raw).flavors())).containsOnlyKeys("m1.small", "m1.large");
  }

  @Test
  void spotPricesAreTheLatestPerTypeForTheProductAndLimitAvailability() throws IOException {
    server.answer("DescribeInstanceTypes", INSTANCE_TYPES);
    server.answer("DescribeSpotPriceHistory", Ec2ReplayServer.sample("jclouds/describe_spot_price_history.xml"));
    Path table = Files.writeString(tmp.resolve("prices.csv"), "t1.micro,0.02\nm1.large,0.175\n");
    Map<String, Object> raw = config();
    raw.put("market", "spot");
    raw.put("spot-max-price", 0.1);
    raw.put("price-table", table.toString());
    CloudDriver d = driver(raw);
    Map<String, Flavor> flavors = byName(d.flavors());

    // the sample: m1.large Linux/UNIX 0.119 in us-west-1b; t1.micro only SUSE Linux and Windows
    Flavor large = flavors.get("m1.large");
    assertThat(large.pricePerHour()).isEqualTo(0.119);
    assertThat(large.properties())
        .containsEntry("spot-price", "0.119")
        .containsEntry("spot-zone", "us-west-1b")
        .containsEntry("on-demand-price", "0.175")
        .containsEntry("market", "spot");
    assertThat(large.available()).as("0.119 is above spot-max-price 0.1").isFalse();
    Flavor micro = flavors.get("t1.micro");
    assertThat(micro.pricePerHour()).as("no Linux/UNIX spot price: the table's price").isEqualTo(0.02);
    assertThat(micro.available()).isTrue();
    assertThat(flavors).as("g2.2xlarge does not support spot").doesNotContainKey("g2.2xlarge");
    assertThat(server.requests("DescribeSpotPriceHistory")).singleElement()
        .satisfies(r -> assertThat(r)
            .containsEntry("ProductDescription.1", "Linux/UNIX")
            .containsEntry("StartTime", "2025-03-01T12:00:00Z"));

    d.flavors();
    assertThat(server.requests("DescribeSpotPriceHistory")).as("cached within spot-price-refresh").hasSize(1);
    clock.advance(Duration.ofMinutes(5));
    d.flavors();
    assertThat(server.requests("DescribeSpotPriceHistory")).as("refreshed after spot-price-refresh").hasSize(2);
  }

  @Test
  void bootSendsOneRunInstancesPerVmWithTagsUserDataNetworkAndSpotOptions() {
    server.answer("DescribeInstanceTypes", INSTANCE_TYPES);
    server.answer("DescribeImages", Ec2ReplayServer.sample("libcloud/describe_images.xml"));
    server.answer("RunInstances", Ec2ReplayServer.sample("libcloud/run_instances_spot.xml"));
    Map<String, Object> raw = config();
    raw.put("market", "spot");
    raw.put("spot-max-price", 0.08);
    CloudDriver d = driver(raw);
    BootRequest request = request("m1.small", "ami-57ba933a", 0.05, "atlas--replay--e1--a1", "atlas--replay--e1--a2");

    List<Instance> booted = d.boot(request);

    assertThat(booted).hasSize(2);
    Instance first = booted.get(0);
    assertThat(first.id()).isEqualTo(InstanceId.of("i-2ba64344"));
    assertThat(first.state()).isEqualTo(InstanceState.PENDING);
    assertThat(first.flavor()).isEqualTo(FlavorName.of("m1.small"));
    assertThat(first.name()).isEqualTo(VmId.of("atlas--replay--e1--a1"));
    assertThat(first.launchedAt()).isEqualTo(Instant.parse("2007-08-07T11:51:50Z"));
    assertThat(first.tags()).containsEntry(Csv2Tags.VM_NAME, "atlas--replay--e1--a1").containsEntry(Csv2Tags.INSTANCE_ID, ENGINE);

    List<Map<String, String>> runs = server.requests("RunInstances");
    assertThat(runs).hasSize(2);
    Map<String, String> run = runs.get(0);
    assertThat(run)
        .containsEntry("ImageId", "ami-57ba933a")
        .containsEntry("InstanceType", "m1.small")
        .containsEntry("MinCount", "1")
        .containsEntry("MaxCount", "1")
        .containsEntry("KeyName", "csv2-key")
        .containsEntry("SubnetId", "subnet-1a2b3c4d")
        .containsEntry("SecurityGroupId.1", "sg-0123")
        .containsEntry("SecurityGroup.1", "condor")
        .containsEntry("UserData", request.userData().base64())
        .containsEntry("InstanceMarketOptions.MarketType", "spot")
        .containsEntry("InstanceMarketOptions.SpotOptions.MaxPrice", "0.05")
        .containsEntry("InstanceMarketOptions.SpotOptions.SpotInstanceType", "one-time")
        .containsEntry("TagSpecification.1.ResourceType", "instance");
    assertThat(new String(Base64.getDecoder().decode(run.get("UserData")), StandardCharsets.UTF_8)).startsWith("#cloud-config");
    assertThat(tagsOf(run))
        .containsEntry(Csv2Tags.INSTANCE_ID, ENGINE)
        .containsEntry(Csv2Tags.GROUP, "atlas")
        .containsEntry(Csv2Tags.CLOUD, CLOUD)
        .containsEntry(Csv2Tags.VM_NAME, "atlas--replay--e1--a1")
        .containsEntry("Name", "atlas--replay--e1--a1");
    assertThat(tagsOf(runs.get(1))).containsEntry(Csv2Tags.VM_NAME, "atlas--replay--e1--a2").containsEntry("Name", "atlas--replay--e1--a2");
    assertThat(run.get("ClientToken")).isNotBlank().isNotEqualTo(runs.get(1).get("ClientToken"));
  }

  @Test
  void onDemandBootsSendNoMarketOptionsAndImagesResolveByNameToTheNewest() {
    server.answer("DescribeInstanceTypes", INSTANCE_TYPES);
    server.answer("DescribeImages", Ec2ReplayServer.sample("libcloud/describe_images.xml"));
    server.answer("RunInstances", Ec2ReplayServer.sample("libcloud/run_instances.xml"));
    Map<String, Object> raw = config();
    raw.put("image-owners", List.of("123456788908"));
    CloudDriver d = driver(raw);

    d.boot(request("m1.small", "Test Image*", 0, "atlas--replay--e1--b1"));

    assertThat(server.requests("DescribeImages")).singleElement()
        .satisfies(r -> assertThat(r)
            .containsEntry("Owner.1", "123456788908")
            .containsEntry("Filter.1.Name", "name")
            .containsEntry("Filter.1.Value.1", "Test Image*"));
    Map<String, String> run = server.requests("RunInstances").get(0);
    assertThat(run).containsEntry("ImageId", "ami-57ba933a").doesNotContainKey("InstanceMarketOptions.MarketType");
    assertThat(d.images().get(0).id()).as("newest creation date first").isEqualTo("ami-57ba933a");
  }

  @Test
  void unknownFlavorsAndImagesAreInvalidRequestsNamingThem() {
    server.answer("DescribeInstanceTypes", INSTANCE_TYPES);
    server.answer("DescribeImages", 400, Ec2ReplayServer.error("InvalidAMIID.NotFound", "The image id '[ami-00000000]' does not exist"));
    CloudDriver d = driver(config());
    CloudException flavor = catchThrowableOfType(CloudException.class,
        () -> d.boot(request("m9.huge", "ami-00000000", 0, "atlas--replay--e1--c1")));
    assertThat(flavor.reason()).isEqualTo(Reason.INVALID_REQUEST);
    assertThat(flavor.getMessage()).contains("m9.huge");
    CloudException image = catchThrowableOfType(CloudException.class,
        () -> d.boot(request("m1.small", "ami-00000000", 0, "atlas--replay--e1--c1")));
    assertThat(image.reason()).isEqualTo(Reason.INVALID_REQUEST);
    assertThat(image.getMessage()).contains("ami-00000000");
    assertThat(server.requests("RunInstances")).isEmpty();
  }

  @Test
  void insufficientCapacityMarksTheTypeUnavailableForTheCoolDown() {
    server.answer("DescribeInstanceTypes", INSTANCE_TYPES);
    server.answer("DescribeImages", Ec2ReplayServer.sample("libcloud/describe_images.xml"));
    server.answer("RunInstances", 500, Ec2ReplayServer.error("InsufficientInstanceCapacity",
        "We currently do not have sufficient m1.small capacity in the Availability Zone you requested (us-east-1b)."));
    Map<String, Object> raw = config();
    raw.put("capacity-cool-down", "3m");
    CloudDriver d = driver(raw);
    BootRequest request = request("m1.small", "ami-57ba933a", 0, "atlas--replay--e1--d1");

    CloudException first = catchThrowableOfType(CloudException.class, () -> d.boot(request));
    assertThat(first.reason()).isEqualTo(Reason.CAPACITY_UNAVAILABLE);
    assertThat(first.getMessage()).contains("sufficient m1.small capacity");
    assertThat(byName(d.flavors()).get("m1.small").available()).isFalse();
    assertThat(byName(d.flavors()).get("m1.large").available()).isTrue();

    CloudException again = catchThrowableOfType(CloudException.class, () -> d.boot(request));
    assertThat(again.reason()).isEqualTo(Reason.CAPACITY_UNAVAILABLE);
    assertThat(server.requests("RunInstances")).as("no call while cooling down").hasSize(1);

    clock.advance(Duration.ofMinutes(3));
    assertThat(byName(d.flavors()).get("m1.small").available()).isTrue();
    server.answer("RunInstances", Ec2ReplayServer.sample("libcloud/run_instances.xml"));
    assertThat(d.boot(request)).hasSize(1);
  }

  @Test
  void aFailureAfterTheFirstVmReturnsWhatWasBooted() {
    server.answer("DescribeInstanceTypes", INSTANCE_TYPES);
    server.answer("DescribeImages", Ec2ReplayServer.sample("libcloud/describe_images.xml"));
    server.answerOnce("RunInstances", 200, Ec2ReplayServer.sample("libcloud/run_instances.xml"));
    server.answer("RunInstances", 400, Ec2ReplayServer.error("VcpuLimitExceeded",
        "You have requested more vCPU capacity than your current vCPU limit of 1 allows"));
    CloudDriver d = driver(config());
    BootRequest request = request("m1.small", "ami-57ba933a", 0, "atlas--replay--e1--f1", "atlas--replay--e1--f2", "atlas--replay--e1--f3");

    List<Instance> booted = d.boot(request);

    assertThat(booted).extracting(Instance::id).containsExactly(InstanceId.of("i-2ba64342"));
    // the first goes alone, the other two overlap (boot-concurrency): both may be sent before
    // the failure is seen; nothing is sent after it
    assertThat(server.requests("RunInstances")).as("stops at the first failure").hasSizeBetween(2, 3);
    CloudException quota = catchThrowableOfType(CloudException.class, () -> d.boot(request));
    assertThat(quota.reason()).as("a failure of the first VM is thrown").isEqualTo(Reason.QUOTA_EXCEEDED);
    assertThat(quota.getMessage()).contains("vCPU limit of 1");
  }

  @Test
  void instancesMapStatesAndNamesFromTheRealSample() {
    server.answer("DescribeInstances", Ec2ReplayServer.sample("libcloud/describe_instances.xml"));
    server.answer("DescribeInstanceTypes", INSTANCE_TYPES);
    CloudDriver d = driver(config());
    List<Instance> instances = d.instances();
    assertThat(instances).extracting(Instance::id).containsExactly(InstanceId.of("i-4382922a"), InstanceId.of("i-8474834a"));
    assertThat(instances).allMatch(i -> i.state() == InstanceState.STOPPED);
    assertThat(instances.get(0).name()).as("no csv2-vm or usable Name tag: the instance id").isEqualTo(VmId.of("i-4382922a"));
    assertThat(instances.get(1).tags()).containsEntry("Name", "Test Server 2");
    assertThat(server.requests("DescribeInstances")).singleElement()
        .satisfies(r -> assertThat(r).containsEntry("Filter.1.Name", "tag:csv2-instance").containsEntry("Filter.1.Value.1", ENGINE));

    CloudCapacity capacity = d.capacity();
    assertThat(capacity.used().instances()).as("stopped instances hold no vCPUs").isZero();
  }

  @Test
  void capacityCountsEveryRunningInstanceOfTheRegionAgainstTheConfiguredQuota() {
    String running = Ec2ReplayServer.sample("libcloud/describe_instances.xml").replace("<name>stopped</name>", "<name>running</name>");
    server.answer("DescribeInstances", running);
    server.answer("DescribeInstanceTypes", INSTANCE_TYPES);
    Map<String, Object> raw = config();
    raw.put("vcpu-quota", 32);
    raw.put("max-instances", 10);
    CloudCapacity capacity = driver(raw).capacity();
    assertThat(capacity.max().cores()).isEqualTo(32);
    assertThat(capacity.max().instances()).isEqualTo(10);
    assertThat(capacity.max().ramMiB()).isEqualTo(-1);
    // m1.small (1 vCPU, 1740 MiB) + t1.micro (1 vCPU, 627 MiB), neither tagged by csv2
    assertThat(capacity.used().cores()).isEqualTo(2);
    assertThat(capacity.used().ramMiB()).isEqualTo(1740 + 627);
    assertThat(capacity.used().instances()).isEqualTo(2);
    assertThat(server.requests("DescribeInstances")).singleElement()
        .satisfies(r -> assertThat(r).containsEntry("Filter.1.Name", "instance-state-name").doesNotContainValue("tag:csv2-instance"));
  }

  @Test
  void keyPairsAndSubnetsAreListed() {
    server.answer("DescribeKeyPairs", Ec2ReplayServer.sample("libcloud/describe_key_pairs.xml"));
    server.answer("DescribeSubnets", Ec2ReplayServer.sample("libcloud/describe_subnets.xml"));
    CloudDriver d = driver(config());
    assertThat(d.keyPairs()).isNotEmpty();
    assertThat(d.networks()).isNotEmpty().allSatisfy(n -> assertThat(n.id()).startsWith("subnet-"));
  }

  private static Map<String, String> tagsOf(Map<String, String> form) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int n = 1; form.containsKey("TagSpecification.1.Tag." + n + ".Key"); n++) {
      tags.put(form.get("TagSpecification.1.Tag." + n + ".Key"), form.get("TagSpecification.1.Tag." + n + ".Value"));
    }
    return tags;
  }
}

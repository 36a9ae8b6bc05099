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
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csv2.api.CloudException;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.spi.CloudDriver;
import org.csv2.testkit.MutableClock;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One record the AWS SDK itself cannot read (issue 20): jclouds' {@code DescribeInstances} reply
 * of {@code ../shared/data/ec2-samples} (two running instances), {@link Ec2ReplayTest}'s {@code
 * DescribeInstanceTypes} and jclouds' {@code DescribeSpotPriceHistory}, with one element of one
 * record made unreadable, replayed by {@link Ec2ReplayServer} to the real driver. That record is
 * left out and named in the rejections, the others are read; before {@link UnreadableRecords} the
 * SDK refused the whole reply and the cloud was unreadable.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class UnreadableRecordsTest {
  private static final String SAMPLE = Ec2ReplayServer.sample("jclouds/describe_instances_latest.xml");
  private static final String FIRST = "i-911444f0";
  private static final String SECOND = "i-931444f2";

  private final Ec2ReplayServer server = new Ec2ReplayServer();
  private final MutableClock clock = MutableClock.at(Instant.parse("2025-03-01T12:00:00Z"));
  private final List<String> rejections = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<CloudDriver> drivers = new ArrayList<>();

  @AfterEach
  void stop() {
    drivers.forEach(CloudDriver::close);
    server.close();
  }

  @Test
  void aNumberThatIsNotOneLeavesOutItsInstanceOnly() {
    assertReadsOnly(SECOND, replaceIn(FIRST, "<amiLaunchIndex>0</amiLaunchIndex>", "<amiLaunchIndex>lots</amiLaunchIndex>"),
        "instance " + FIRST + ": the AWS SDK cannot read it: amiLaunchIndex: 'lots' is not integer");
  }

  @Test
  void aTimeThatIsNotOneLeavesOutItsInstanceOnly() {
    assertReadsOnly(FIRST,
        replaceIn(SECOND, "<launchTime>2011-08-16T13:40:50.000Z</launchTime>", "<launchTime>yesterday</launchTime>"),
        "instance " + SECOND + ": the AWS SDK cannot read it: launchTime: 'yesterday' is not instant");
  }

  @Test
  void aBadNumberInsideANestedStructureLeavesOutItsInstanceOnly() {
    assertReadsOnly(SECOND, replaceIn(FIRST, "<code>16</code>", "<code>1e99</code>"),
        "instance " + FIRST + ": the AWS SDK cannot read it: code: '1e99' is not integer");
  }

  @Test
  void aCharacterXmlForbidsLeavesOutItsInstanceOnly() {
    assertReadsOnly(SECOND,
        replaceIn(FIRST, "<keyName>jclouds#zkclustertest#us-east-1#23</keyName>", "<keyName>bad&#0;key</keyName>"),
        "instance " + FIRST + ": the AWS SDK cannot read it: keyName: a character XML forbids");
  }

  @Test
  void anInstanceTypeTheSdkCannotReadLeavesOutThatTypeOnly() {
    String types = Ec2ReplayTest.INSTANCE_TYPES.replace(
        "<defaultVCpus>2</defaultVCpus></vCpuInfo><memoryInfo><sizeInMiB>7680",
        "<defaultVCpus>many</defaultVCpus></vCpuInfo><memoryInfo><sizeInMiB>7680");
    assertThat(types).isNotEqualTo(Ec2ReplayTest.INSTANCE_TYPES);
    server.answer("DescribeInstanceTypes", types);
    assertThat(driver(Map.of()).flavors()).extracting(f -> f.name().value())
        .contains("m1.small", "t1.micro")
        .doesNotContain("m1.large");
    assertThat(rejections)
        .contains("instance type m1.large: the AWS SDK cannot read it: defaultVCpus: 'many' is not integer");
  }

  @Test
  void aSpotPriceTheSdkCannotReadLeavesOutThatPriceOnly() {
    String spot = Ec2ReplayServer.sample("jclouds/describe_spot_price_history.xml");
    String bad = spot.replace("<timestamp>2011-03-07T12:17:19.000Z</timestamp>", "<timestamp>soon</timestamp>");
    assertThat(bad).isNotEqualTo(spot);
    server.answer("DescribeInstanceTypes", Ec2ReplayTest.INSTANCE_TYPES);
    server.answer("DescribeSpotPriceHistory", bad);
    Map<String, org.csv2.model.Flavor> flavors = new LinkedHashMap<>();
    driver(Map.of("market", "spot")).flavors().forEach(f -> flavors.put(f.name().value(), f));
    assertThat(flavors.get("m1.large").properties()).containsEntry("spot-price", "0.119");
    assertThat(rejections).contains(
        "spot price t1.micro us-west-1a SUSE Linux: the AWS SDK cannot read it: timestamp: 'soon' is not instant");
  }

  @Test
  void aReplyWithNothingToLeaveOutIsPassedOnByteForByte() {
    byte[] reply = SAMPLE.getBytes(StandardCharsets.UTF_8);
    assertThat(new UnreadableRecords(new TestPluginContext(clock, "e1", "replay", rejections)).filter(reply))
        .isEqualTo(reply);
    assertThat(rejections).isEmpty();
  }

  @Test
  void aForbiddenCharacterOutsideEveryInstanceStillRefusesTheReplyWhole() {
    server.answer("DescribeInstances", SAMPLE.replaceFirst("<requestId>([^<]*)</requestId>", "<requestId>$1&#0;</requestId>"));
    CloudException e = catchThrowableOfType(CloudException.class, () -> driver(Map.of()).instances());
    assertThat(e).as("a reply no instance can be taken out of is refused whole, as before").isNotNull();
    assertThat(e.getMessage()).contains("DescribeInstances");
  }

  private void assertReadsOnly(String kept, String reply, String rejection) {
    assertThat(reply).as("the case changed the sample").isNotEqualTo(SAMPLE);
    server.answer("DescribeInstances", reply);
    List<Instance> instances = driver(Map.of()).instances();
    assertThat(instances).extracting(Instance::id).containsExactly(InstanceId.of(kept));
    assertThat(rejections).contains(rejection);
  }

  /** The sample with {@code from} replaced by {@code to} inside the instance {@code id} only. */
  private static String replaceIn(String id, String from, String to) {
    int start = SAMPLE.indexOf("<instanceId>" + id + "</instanceId>");
    int end = SAMPLE.indexOf("</instancesSet>", start);
    int at = SAMPLE.indexOf(from, start);
    assertThat(at).as("%s in instance %s of the sample", from, id).isBetween(start, end);
    return SAMPLE.substring(0, at) + to + SAMPLE.substring(at + from.length());
  }

  private CloudDriver driver(Map<String, Object> extra) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("region", "us-east-1");
    raw.put("endpoint", server.endpoint());
    raw.put("access-key-id", "AKIDEXAMPLE");
    raw.put("secret-access-key", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    raw.put("max-attempts", 1);
    raw.put("call-timeout", "5s");
    raw.putAll(extra);
    CloudDriver d = new Ec2CloudDriverProvider()
        .create(TestPluginConfig.of(raw, "clouds[0].config"), new TestPluginContext(clock, "e1", "replay", rejections));
    drivers.add(d);
    return d;
  }
}

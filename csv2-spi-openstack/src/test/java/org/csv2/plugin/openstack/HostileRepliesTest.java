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

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csv2.model.BootRequest;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.UserData;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.spi.CloudDriver;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cloud replies that are partly bad (issue 20, item 5): one bad flavor or server is left out,
 * named, and the rest of the cloud stays usable; a server list whose marker is ignored ends.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileRepliesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ME = "engine1";
  private static OpenStackSampleServer server;
  private final List<CloudDriver> drivers = new ArrayList<>();
  private final TestPluginContext context = new TestPluginContext(Clock.systemUTC(), ME, "sample-cloud");

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

  private CloudDriver driver() {
    CloudDriver d =
        new OpenStackCloudDriverProvider()
            .create(TestPluginConfig.of(SampleConfigs.password(server), "clouds[0].config"), context);
    drivers.add(d);
    return d;
  }

  private static BootRequest request(String name) {
    return new BootRequest(GroupName.of("atlas"), FlavorName.of("m1.tiny"), "cirros-0.3.2-x86_64-disk",
        List.of(VmId.of(name)), UserData.ofText("#cloud-config\n{}\n"), Map.of(), VmDefaults.NONE, 0);
  }

  @Test
  void aServerListThatIgnoresItsMarkerIsReadOnceAndListsEachServerOnce() {
    CloudDriver d = driver();
    d.boot(request("atlas--sample-cloud--engine1--m1"));
    server.ignoreMarker(true);
    int before = server.requests().size();
    List<Instance> listed = d.instances();
    long listings = server.requests().subList(before, server.requests().size()).stream()
        .filter(r -> r.contains("/servers/detail"))
        .count();
    // on the main of 2026-12-04: 1,000 pages and 1,000 instances (1,000 adopt actions) for one VM
    assertThat(listed).hasSize(1);
    assertThat(listings).as("server list requests").isBetween(1L, 2L);
  }

  private static ObjectNode sample(String path) throws java.io.IOException {
    return (ObjectNode) JSON.readTree(Files.readString(OpenStackSampleServer.samplesDirectory().resolve(path)));
  }

  /** Adds a copy of the sample's first flavor with another id and name; returns it to spoil further. */
  private static ObjectNode withBadFlavor(ObjectNode sample, String id, String name) {
    ArrayNode flavors = (ArrayNode) sample.get("flavors");
    ObjectNode bad = flavors.get(0).deepCopy();
    bad.put("id", id);
    bad.put("name", name);
    flavors.add(bad);
    return bad;
  }

  @Test
  void oneFlavorCsv2CannotReadLeavesTheOthersUsable() throws Exception {
    ObjectNode sample = sample("nova/flavors/flavors-detail-resp.json");
    int good = sample.get("flavors").size();
    ObjectNode bad = withBadFlavor(sample, "bad-1", "  ");
    server.failNext("GET", "/flavors/detail", 200, sample.toString());
    List<Flavor> read = driver().flavors();
    assertThat(read).hasSize(good);
    assertThat(context.rejections()).singleElement().asString().contains("bad-1");
  }

  @Test
  void oneFlavorWithAnOverflowingNumberLeavesTheOthersUsable() throws Exception {
    ObjectNode sample = sample("nova/flavors/flavors-detail-resp.json");
    int good = sample.get("flavors").size();
    ObjectNode bad = withBadFlavor(sample, "huge-1", "huge");
    bad.put("vcpus", new java.math.BigInteger("99999999999999999999"));
    // the detailed list fails the client's parsing as a whole (on the main of 2026-12-04 the cloud
    // was unreachable); the plain list names every flavor, and only the bad one cannot be read
    server.failNext("GET", "/flavors/detail$", 200, sample.toString());
    ObjectNode plain = sample("nova/flavors/flavors-list-resp.json");
    ((ArrayNode) plain.get("flavors")).addObject().put("id", "huge-1").put("name", "huge");
    server.failNext("GET", "/flavors$", 200, plain.toString());
    ObjectNode one = JSON.createObjectNode();
    one.set("flavor", bad);
    server.failNext("GET", "/flavors/huge-1$", 200, one.toString());
    List<Flavor> read = driver().flavors();
    assertThat(read).hasSize(good).extracting(f -> f.name().value()).doesNotContain("huge");
    assertThat(context.rejections()).singleElement().asString().contains("huge-1").contains("out of range");
  }

  @Test
  void aNegativeQuotaIsTakenAsZeroNotAsUnlimitedAndNamed() throws Exception {
    ObjectNode sample = sample("nova/limits/limit-get-resp.json");
    ObjectNode absolute = (ObjectNode) sample.get("limits").get("absolute");
    absolute.put("maxTotalCores", -20);
    absolute.put("maxTotalInstances", -1); // Nova's "unlimited": kept
    absolute.put("totalRAMUsed", -5);
    server.failNext("GET", "/limits", 200, sample.toString());
    org.csv2.model.CloudCapacity c = driver().capacity();
    // on the main of 2026-12-04, -20 cores became "unlimited"
    assertThat(c.max().cores()).as("cores quota").isZero();
    assertThat(c.max().instances()).isEqualTo(org.csv2.model.Limits.UNLIMITED);
    assertThat(c.max().ramMiB()).isEqualTo(51200);
    assertThat(c.used().ramMiB()).isZero();
    assertThat(context.rejections())
        .hasSize(2)
        .anySatisfy(r -> assertThat(r).contains("sample-cloud").contains("maxTotalCores -20").contains("taken as 0"))
        .anySatisfy(r -> assertThat(r).contains("totalRAMUsed -5"));
  }
}

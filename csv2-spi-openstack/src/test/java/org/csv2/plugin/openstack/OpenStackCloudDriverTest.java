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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.csv2.api.CloudException;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudCapacity;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceState;
import org.csv2.model.KeyPair;
import org.csv2.model.Limits;
import org.csv2.model.Network;
import org.csv2.model.Resources;
import org.csv2.model.UserData;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Csv2Tags;
import org.csv2.testkit.MutableClock;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the driver reads from and sends to the sample-driven OpenStack server. */
class OpenStackCloudDriverTest {
  private static final String CLOUD = "sample-cloud";
  private static final String ME = "engine1";
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

  private CloudDriver driver(Map<String, Object> raw) {
    CloudDriver d = new OpenStackCloudDriverProvider()
        .create(TestPluginConfig.of(raw, "clouds[0].config"), new TestPluginContext(Clock.systemUTC(), ME, CLOUD));
    drivers.add(d);
    return d;
  }

  private CloudDriver driver() {
    return driver(SampleConfigs.password(server));
  }

  private static BootRequest request(String flavor, String image, VmDefaults vm, String... names) {
    List<VmId> ids = new ArrayList<>();
    for (String n : names) {
      ids.add(VmId.of(n));
    }
    return new BootRequest(GroupName.of("atlas"), FlavorName.of(flavor), image, ids,
        UserData.ofText("#cloud-config\nruncmd: [echo hi]\n"), Map.of("team", "ops"), vm, 0);
  }

  @Test
  void flavorsComeFromNovaWithTheirExtraSpecsAndGpus() {
    server.extraSpecs("5", Map.of("pci_passthrough:alias", "a100:2"));
    server.extraSpecs("4", Map.of("resources:VGPU", "1"));
    List<Flavor> flavors = driver().flavors();
    assertThat(flavors).extracting(f -> f.name().value())
        .containsExactly("m1.large", "m1.medium", "m1.small", "m1.tiny", "m1.tiny.specs", "m1.xlarge");
    Flavor tiny = flavors.stream().filter(f -> f.name().value().equals("m1.tiny")).findFirst().orElseThrow();
    assertThat(tiny.resources()).isEqualTo(Resources.of(1, 512, 1));
    assertThat(tiny.available()).isTrue();
    assertThat(tiny.properties()).containsEntry("hw:cpu_policy", "shared").containsEntry("hw:numa_nodes", "1");
    assertThat(flavors).filteredOn(f -> f.name().value().equals("m1.xlarge"))
        .singleElement().satisfies(f -> assertThat(f.resources().gpus()).isEqualTo(2));
    assertThat(flavors).filteredOn(f -> f.name().value().equals("m1.large"))
        .singleElement().satisfies(f -> assertThat(f.resources().gpus()).isEqualTo(1));
  }

  @Test
  void extraSpecsAreReadOncePerFlavorWithinTheirLifetime() {
    CloudDriver d = driver();
    d.flavors();
    d.flavors();
    assertThat(server.requests()).filteredOn(r -> r.endsWith("/os-extra_specs")).hasSize(6);
  }

  @Test
  void gpusAreCountedFromTheExtraSpecs() {
    assertThat(NovaMapping.gpus(Map.of("pci_passthrough:alias", "a100:2,t4:1"))).isEqualTo(3);
    assertThat(NovaMapping.gpus(Map.of("pci_passthrough:alias", "v100"))).isEqualTo(1);
    assertThat(NovaMapping.gpus(Map.of("resources:VGPU", "4"))).isEqualTo(4);
    assertThat(NovaMapping.gpus(Map.of("resources:PGPU", "2", "hw:cpu_policy", "dedicated"))).isEqualTo(2);
    assertThat(NovaMapping.gpus(Map.of("resources:VGPU", "many"))).isZero();
    assertThat(NovaMapping.gpus(Map.of())).isZero();
  }

  @Test
  void capacityIsTheComputeLimitsWithTheProjectsUsage() {
    CloudDriver d = driver();
    CloudCapacity before = d.capacity();
    assertThat(before.max()).isEqualTo(new Limits(20, 51200, 10));
    assertThat(before.used()).as("the sample's own server, flavor m1.tiny").isEqualTo(new Limits(1, 512, 1));
    d.boot(request("m1.medium", "cirros-0.3.2-x86_64-disk", VmDefaults.NONE, "atlas--sample-cloud--engine1--a1"));
    assertThat(d.capacity().used()).isEqualTo(new Limits(3, 4608, 2));
  }

  @Test
  void imagesNetworksAndKeyPairsComeFromGlanceNeutronAndNova() {
    CloudDriver d = driver();
    assertThat(d.images()).extracting(i -> i.name())
        .containsExactly("cirros-0.3.2-x86_64-disk", "F17-x86_64-cfntools");
    assertThat(d.networks()).containsExactly(
        new Network("d32019d3-bc6e-4319-9c1d-6722fc136a22", "net1"),
        new Network("db193ab3-96e3-4cb3-8fc5-05f4296d0324", "net2"));
    assertThat(d.keyPairs()).containsExactly(new KeyPair(
        "keypair-50ca852e-273f-4cdc-8949-45feba200837", "7e:eb:ab:24:ba:d1:e1:88:ae:9a:fb:66:53:df:d3:bd"));
    assertThat(server.requests()).contains("GET /image/v2/images", "GET /network/v2.0/networks");
  }

  @Test
  void eachVmOfABatchIsBootedWithItsOwnNameMetadataAndTheUserData() {
    CloudDriver d = driver();
    BootRequest req = request("m1.small", "cirros-0.3.2-x86_64-disk",
        new VmDefaults(null, null, null, "my-key", "net2", List.of("default", "condor")),
        "atlas--sample-cloud--engine1--a1", "atlas--sample-cloud--engine1--a2");
    List<Instance> booted = d.boot(req);
    assertThat(booted).extracting(Instance::name).containsExactlyElementsOf(req.names());
    assertThat(booted).allSatisfy(i -> {
      assertThat(i.state()).isEqualTo(InstanceState.PENDING);
      assertThat(i.flavor()).isEqualTo(FlavorName.of("m1.small"));
    });
    List<JsonNode> bodies = server.bootBodies();
    assertThat(bodies).as("one POST per VM").hasSize(2);
    for (int n = 0; n < 2; n++) {
      JsonNode s = bodies.get(n).path("server");
      String name = req.names().get(n).value();
      assertThat(s.path("name").asText()).isEqualTo(name);
      assertThat(s.path("flavorRef").asText()).isEqualTo("2");
      assertThat(s.path("imageRef").asText()).isEqualTo("1bea47ed-f6a9-463b-b423-14b9cca9ad27");
      assertThat(s.path("key_name").asText()).isEqualTo("my-key");
      assertThat(s.path("networks").path(0).path("uuid").asText()).isEqualTo("db193ab3-96e3-4cb3-8fc5-05f4296d0324");
      assertThat(s.path("security_groups").findValuesAsText("name")).containsExactly("default", "condor");
      assertThat(new String(Base64.getDecoder().decode(s.path("user_data").asText())))
          .isEqualTo("#cloud-config\nruncmd: [echo hi]\n");
      JsonNode md = s.path("metadata");
      assertThat(md.path(Csv2Tags.INSTANCE_ID).asText()).isEqualTo(ME);
      assertThat(md.path(Csv2Tags.GROUP).asText()).isEqualTo("atlas");
      assertThat(md.path(Csv2Tags.CLOUD).asText()).isEqualTo(CLOUD);
      assertThat(md.path(Csv2Tags.VM_NAME).asText()).isEqualTo(name);
      assertThat(md.path("team").asText()).isEqualTo("ops");
      assertThat(s.has("block_device_mapping_v2")).isFalse();
    }
  }

  @Test
  void aBootVolumeIsMadeFromTheImageWithItsSize() {
    Map<String, Object> raw = SampleConfigs.password(server);
    raw.put("boot-volume", Map.of("size-gb", 10, "gb-per-core", 5, "volume-type", "ssd"));
    raw.put("image", "F17-x86_64-cfntools");
    CloudDriver d = driver(raw);
    d.boot(request("m1.large", "", VmDefaults.NONE, "atlas--sample-cloud--engine1--v1"));
    JsonNode s = server.bootBodies().get(0).path("server");
    assertThat(s.has("imageRef")).as("no imageRef when booting from a volume").isFalse();
    JsonNode bdm = s.path("block_device_mapping_v2").path(0);
    assertThat(bdm.path("uuid").asText()).isEqualTo("781b3762-9469-4cec-b58d-3349e5de4e9c");
    assertThat(bdm.path("source_type").asText()).isEqualTo("image");
    assertThat(bdm.path("destination_type").asText()).isEqualTo("volume");
    assertThat(bdm.path("boot_index").asInt()).isZero();
    assertThat(bdm.path("volume_size").asInt()).as("10 + 5 * 4 cores").isEqualTo(30);
    assertThat(bdm.path("delete_on_termination").asBoolean()).isTrue();
    assertThat(bdm.path("volume_type").asText()).isEqualTo("ssd");
  }

  @Test
  void instancesListsExactlyOurServersThroughBuildActiveAndDelete() {
    server.buildListings(2);
    CloudDriver d = driver();
    CloudDriver other = new OpenStackCloudDriverProvider().create(TestPluginConfig.of(SampleConfigs.password(server), "clouds[0].config"),
        new TestPluginContext(Clock.systemUTC(), "engine2", CLOUD));
    drivers.add(other);
    Instance mine = d.boot(request("m1.tiny", "cirros-0.3.2-x86_64-disk", VmDefaults.NONE,
        "atlas--sample-cloud--engine1--b1")).get(0);
    other.boot(request("m1.tiny", "cirros-0.3.2-x86_64-disk", VmDefaults.NONE, "atlas--sample-cloud--engine2--b1"));

    List<Instance> first = d.instances();
    assertThat(first).extracting(Instance::id).containsExactly(mine.id());
    assertThat(first.get(0).state()).isEqualTo(InstanceState.PENDING);
    assertThat(first.get(0).launchedAt()).isNull();
    Instance active = d.instances().get(0);
    assertThat(active.state()).isEqualTo(InstanceState.ACTIVE);
    assertThat(active.launchedAt()).isNotNull();
    assertThat(active.name()).isEqualTo(VmId.of("atlas--sample-cloud--engine1--b1"));
    assertThat(active.flavor()).isEqualTo(FlavorName.of("m1.tiny"));
    assertThat(active.tags()).containsEntry(Csv2Tags.INSTANCE_ID, ME).containsEntry("team", "ops");
    assertThat(active.fault()).isEmpty();

    d.terminate(mine.id());
    assertThat(d.instances()).isEmpty();
    assertThat(server.servers()).hasSize(2);
  }

  @Test
  void aRestartedDriverFindsItsServersAgain() {
    CloudDriver first = driver();
    Instance booted = first.boot(request("m1.tiny", "1bea47ed-f6a9-463b-b423-14b9cca9ad27", VmDefaults.NONE,
        "atlas--sample-cloud--engine1--c1")).get(0);
    first.close();
    assertThat(driver().instances()).extracting(Instance::id).containsExactly(booted.id());
  }

  @Test
  void theDriverMayBeCalledFromAnyThread() throws Exception {
    CloudDriver d = driver();
    d.flavors();
    long auths = server.requests().stream().filter(r -> r.contains("/auth/tokens")).count();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      assertThat(other.submit(d::capacity).get(10, TimeUnit.SECONDS).max().cores()).isEqualTo(20);
    } finally {
      other.shutdownNow();
    }
    assertThat(server.requests().stream().filter(r -> r.contains("/auth/tokens")).count())
        .as("the token is shared between threads").isEqualTo(auths);
  }

  @Test
  void applicationCredentialsByNameAreSentAsKeystoneExpectsThem() {
    Map<String, Object> raw = SampleConfigs.applicationCredential(server);
    raw.remove("application-credential-id");
    raw.put("application-credential-name", OpenStackSampleServer.APP_NAME);
    raw.put("user", OpenStackSampleServer.USER);
    assertThat(driver(raw).flavors()).isNotEmpty();
    JsonNode identity = server.authBodies().get(0).path("auth").path("identity");
    assertThat(identity.path("methods").path(0).asText()).isEqualTo("application_credential");
    JsonNode cred = identity.path("application_credential");
    assertThat(cred.path("name").asText()).isEqualTo(OpenStackSampleServer.APP_NAME);
    assertThat(cred.path("user").path("name").asText()).isEqualTo(OpenStackSampleServer.USER);
    assertThat(cred.path("user").path("domain").path("name").asText()).isEqualTo("Default");
    assertThat(cred.path("secret").asText()).isEqualTo(OpenStackSampleServer.APP_SECRET);
    assertThat(server.authBodies().get(0).path("auth").has("scope")).isFalse();
  }

  @Test
  void anApplicationCredentialsExpiryIsReadFromKeystoneAtMostHourly() {
    server.applicationCredentialExpiresAt("2031-02-03T04:05:06.000000");
    MutableClock clock = MutableClock.at(Instant.parse("2031-01-01T00:00:00Z"));
    CloudDriver byId = new OpenStackCloudDriverProvider()
        .create(TestPluginConfig.of(SampleConfigs.applicationCredential(server), "clouds[0].config"),
            new TestPluginContext(clock, ME, CLOUD));
    assertThat(byId.credentialsExpireAt()).contains(Instant.parse("2031-02-03T04:05:06Z"));
    server.applicationCredentialExpiresAt(null); // renewed without expiry: seen after the hour
    assertThat(byId.credentialsExpireAt()).as("cached").contains(Instant.parse("2031-02-03T04:05:06Z"));
    assertThat(server.applicationCredentialReads()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(61));
    assertThat(byId.credentialsExpireAt()).as("never expires").isEmpty();
    assertThat(server.applicationCredentialReads()).isEqualTo(2);

    Map<String, Object> raw = SampleConfigs.applicationCredential(server);
    raw.remove("application-credential-id");
    raw.put("application-credential-name", OpenStackSampleServer.APP_NAME);
    raw.put("user", OpenStackSampleServer.USER);
    server.applicationCredentialExpiresAt("2030-12-24T00:00:00.000000");
    assertThat(driver(raw).credentialsExpireAt()).as("found by name").contains(Instant.parse("2030-12-24T00:00:00Z"));
    assertThat(driver().credentialsExpireAt()).as("a password does not expire").isEmpty();
  }

  @Test
  void anUnreadableApplicationCredentialHasNoKnownExpiry() {
    assertThat(OpenStackCloudDriver.parseCredentialExpiry("{\"application_credentials\":[]}", false, "c")).isEmpty();
    assertThat(OpenStackCloudDriver.parseCredentialExpiry("{\"application_credential\":{\"expires_at\":\"soon\"}}", true, "c")).isEmpty();
    assertThat(OpenStackCloudDriver.parseCredentialExpiry("{\"application_credential\":{\"expires_at\":\"2030-01-01T00:00:00Z\"}}", true, "c"))
        .contains(Instant.parse("2030-01-01T00:00:00Z"));
    assertThatThrownBy(() -> OpenStackCloudDriver.parseCredentialExpiry("<html>", true, "c")).isInstanceOf(CloudException.class);
  }

  @Test
  void passwordAuthIsScopedToTheProject() {
    driver().flavors();
    JsonNode auth = server.authBodies().get(0).path("auth");
    assertThat(auth.path("identity").path("password").path("user").path("name").asText())
        .isEqualTo(OpenStackSampleServer.USER);
    assertThat(auth.path("scope").path("project").path("name").asText()).isEqualTo(OpenStackSampleServer.PROJECT);
    assertThat(auth.path("scope").path("project").path("domain").path("name").asText()).isEqualTo("Default");
  }

  @Test
  void aTagLongerThanNovaAllowsIsRejectedBeforeBooting() {
    BootRequest req = new BootRequest(GroupName.of("atlas"), FlavorName.of("m1.tiny"), "cirros-0.3.2-x86_64-disk",
        List.of(VmId.of("atlas--sample-cloud--engine1--d1")), UserData.EMPTY, Map.of("note", "x".repeat(256)),
        VmDefaults.NONE, 0);
    CloudException e = catchThrowableOfType(CloudException.class, () -> driver().boot(req));
    assertThat(e.reason()).isEqualTo(CloudException.Reason.INVALID_REQUEST);
    assertThat(e.getMessage()).contains("'note'").contains("255");
    assertThat(server.bootBodies()).isEmpty();
  }

  @Test
  void novaStatesMapToInstanceStates() {
    assertThat(NovaMapping.state(org.openstack4j.model.compute.Server.Status.BUILD, "spawning", "building"))
        .isEqualTo(InstanceState.PENDING);
    assertThat(NovaMapping.state(org.openstack4j.model.compute.Server.Status.ACTIVE, null, "active"))
        .isEqualTo(InstanceState.ACTIVE);
    assertThat(NovaMapping.state(org.openstack4j.model.compute.Server.Status.ERROR, null, "error"))
        .isEqualTo(InstanceState.ERROR);
    assertThat(NovaMapping.state(org.openstack4j.model.compute.Server.Status.DELETED, null, "deleted"))
        .isEqualTo(InstanceState.TERMINATED);
    assertThat(NovaMapping.state(org.openstack4j.model.compute.Server.Status.UNRECOGNIZED, null, "soft-delete"))
        .as("SOFT_DELETED").isEqualTo(InstanceState.TERMINATED);
    assertThat(NovaMapping.state(org.openstack4j.model.compute.Server.Status.ACTIVE, "deleting", "active"))
        .isEqualTo(InstanceState.TERMINATING);
    for (org.openstack4j.model.compute.Server.Status s : List.of(
        org.openstack4j.model.compute.Server.Status.SHUTOFF, org.openstack4j.model.compute.Server.Status.PAUSED,
        org.openstack4j.model.compute.Server.Status.SUSPENDED, org.openstack4j.model.compute.Server.Status.SHELVED,
        org.openstack4j.model.compute.Server.Status.SHELVED_OFFLOADED)) {
      assertThat(NovaMapping.state(s, null, null)).as("%s", s).isEqualTo(InstanceState.STOPPED);
    }
    assertThat(NovaMapping.state(org.openstack4j.model.compute.Server.Status.REBOOT, "rebooting", "active"))
        .isEqualTo(InstanceState.UNKNOWN);
    assertThat(NovaMapping.state(null, null, null)).isEqualTo(InstanceState.UNKNOWN);
  }
}

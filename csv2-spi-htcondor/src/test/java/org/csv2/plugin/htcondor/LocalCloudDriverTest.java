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
package org.csv2.plugin.htcondor;

import org.csv2.testkit.TestPluginConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.csv2.api.CloudException;
import org.csv2.api.ConfigurationException;
import org.csv2.model.BootRequest;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceState;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.csv2.model.UserData;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Csv2Tags;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local driver with fake helper scripts in a temporary directory (no chroot, no condor): it
 * writes the VM's config from the user data, keeps its tags, lists, quotas and terminates.
 */
class LocalCloudDriverTest {
  @TempDir Path dir;

  private final TestPluginContext context = TestPluginContext.of("local");

  private CloudDriver driver(int maxInstances) throws IOException {
    Path helpers = Files.createDirectories(dir.resolve("helpers"));
    Path vms = dir.resolve("vms");
    // vm-start.sh NAME CONFIG: records the config, "starts" a master (a pid file with our shell's pid)
    script(helpers.resolve("vm-start.sh"), "mkdir -p '" + vms + "'/$1/run; cp \"$2\" '" + dir + "'/$1.started; echo $$ > '" + vms + "'/$1/run/master.pid; echo $$");
    script(helpers.resolve("vm-stop.sh"), "rm -rf '" + vms + "'/$1; echo $1 >> '" + dir + "'/stopped");
    script(helpers.resolve("vm-list.sh"), "for d in '" + vms + "'/*/; do [ -s \"$d/run/master.pid\" ] && basename \"$d\"; done; exit 0");
    LocalConfig config =
        new LocalConfig(
                List.of(new LocalConfig.LocalFlavor("c2", 2, 2048, null), new LocalConfig.LocalFlavor("c4", 4, 4096, 20L)),
                List.of(),
                helpers.toString(),
                dir.resolve("state").toString(),
                vms.toString(),
                maxInstances,
                null,
                null,
                Duration.ofSeconds(20),
                null)
            .validate("clouds[0].config");
    return new LocalCloudDriver(config, context);
  }

  private static void script(Path file, String body) throws IOException {
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    file.toFile().setExecutable(true);
  }

  private BootRequest request(String flavor, String image, UserData userData, String... names) {
    return new BootRequest(
        GroupName.of("atlas"),
        FlavorName.of(flavor),
        image,
        java.util.Arrays.stream(names).map(VmId::of).toList(),
        userData,
        Map.of(Csv2Tags.INSTANCE_ID, context.instanceId(), Csv2Tags.GROUP, "atlas", Csv2Tags.CLOUD, "local"),
        VmDefaults.NONE,
        0);
  }

  @Test
  void aBootWritesTheConfigFromTheUserDataBetweenTheDefaultsAndTheFlavor() throws IOException {
    CloudDriver d = driver(8);
    String rendered = Fixtures.render(Fixtures.workerTemplate(), Fixtures.variables("atlas", "local", context.instanceId(), "vm-a", ""));
    List<Instance> booted = d.boot(request("c4", "local", UserData.ofText(Fixtures.multipart("text/cloud-config", rendered)), "vm-a"));
    assertThat(booted).hasSize(1);
    assertThat(booted.get(0).state()).isEqualTo(InstanceState.ACTIVE);
    assertThat(booted.get(0).tags()).containsEntry(Csv2Tags.VM_NAME, "vm-a");
    String config = Files.readString(dir.resolve("vm-a.started"));
    assertThat(config.indexOf("START = False")).as("the default first").isLessThan(config.indexOf("START = ($(CSV2_GROUP_JOB))"));
    assertThat(config).contains("Csv2VmName = \"vm-a\"").contains("Csv2InstanceId = \"" + context.instanceId() + "\"");
    assertThat(config).endsWith("NUM_CPUS = 4\nMEMORY = 4096\n");
    assertThat(config).as("only the condor config, not the token file").doesNotContain("test.token").doesNotContain("#cloud-config");
  }

  @Test
  void bootedVmsAreListedWithTheirTagsByTheirEngineOnlyAndSurviveARestartedDriver() throws IOException {
    CloudDriver d = driver(8);
    d.boot(request("c2", "local", UserData.ofText("#cloud-config\n{}\n"), "vm-a", "vm-b"));
    CloudDriver restarted = driver(8);
    assertThat(restarted.instances()).extracting(Instance::name).containsExactlyInAnyOrder(VmId.of("vm-a"), VmId.of("vm-b"));
    Instance a = restarted.instances().stream().filter(i -> i.name().equals(VmId.of("vm-a"))).findFirst().orElseThrow();
    assertThat(a.flavor()).isEqualTo(FlavorName.of("c2"));
    assertThat(a.state()).isEqualTo(InstanceState.ACTIVE);
    assertThat(a.tags()).containsEntry(Csv2Tags.INSTANCE_ID, context.instanceId()).containsEntry(Csv2Tags.VM_NAME, "vm-a");
    assertThat(a.launchedAt()).isNotNull();
    LocalConfig other = new LocalConfig(List.of(new LocalConfig.LocalFlavor("c2", 2, 2048, null)), List.of(), dir.resolve("helpers").toString(), dir.resolve("state").toString(), dir.resolve("vms").toString(), null, null, null, null, null);
    assertThat(new LocalCloudDriver(other, context.withInstanceId("another")).instances()).as("another engine's listing").isEmpty();
    assertThat(d.capacity().used()).isEqualTo(new Limits(4, 4096, 2));
  }

  @Test
  void aTagFileWithATimeNoInstantHoldsLeavesOutThatVmOnly() throws IOException {
    // issue 20: a DateTimeException from one tags.json failed the whole listing
    CloudDriver d = driver(8);
    d.boot(request("c2", "local", UserData.ofText("#cloud-config\n{}\n"), "vm-a", "vm-b"));
    Path tags = dir.resolve("state").resolve("vm-b").resolve("tags.json");
    String spoiled = Files.readString(tags).replaceFirst("\"launched-at\":\\s*\\d+", "\"launched-at\":9223372036854775807");
    assertThat(spoiled).as("the fixture names launched-at").contains("9223372036854775807");
    Files.writeString(tags, spoiled);
    assertThat(d.instances()).extracting(Instance::name).containsExactly(VmId.of("vm-a"));
    assertThat(context.rejections()).singleElement().asString().contains("vm-b").contains("launched-at");
  }

  @Test
  void aVmWithoutUserDataStartsWithStartFalse() throws IOException {
    driver(8).boot(request("c2", "local", UserData.EMPTY, "vm-c"));
    assertThat(Files.readString(dir.resolve("vm-c.started"))).contains("START = False\n").doesNotContain("Csv2");
  }

  @Test
  void unreadableUserDataBootsAVmThatNeverJoins() throws IOException {
    driver(8).boot(request("c2", "local", UserData.ofText("#cloud-config\nwrite_files: [ {path: x\n"), "vm-d"));
    assertThat(Files.readString(dir.resolve("vm-d.started"))).contains("START = False\n").doesNotContain("from the user data");
  }

  @Test
  void terminateStopsTheVmAndIsIdempotent() throws IOException {
    CloudDriver d = driver(8);
    Instance i = d.boot(request("c2", "local", UserData.EMPTY, "vm-e")).get(0);
    d.terminate(i.id());
    d.terminate(i.id());
    d.terminate(org.csv2.model.InstanceId.of("never-booted"));
    d.terminate(org.csv2.model.InstanceId.of("../../etc"));
    assertThat(d.instances()).isEmpty();
    assertThat(Files.readAllLines(dir.resolve("stopped"))).containsExactly("vm-e");
  }

  @Test
  void aVmWhoseMasterNeverStartedIsPendingThenError() throws IOException {
    CloudDriver d = driver(8);
    d.boot(request("c2", "local", UserData.EMPTY, "vm-f"));
    Files.delete(dir.resolve("vms/vm-f/run/master.pid"));
    assertThat(d.instances().get(0).state()).isEqualTo(InstanceState.PENDING);
    LocalConfig impatient = new LocalConfig(List.of(new LocalConfig.LocalFlavor("c2", 2, 2048, null)), List.of(), dir.resolve("helpers").toString(), dir.resolve("state").toString(), dir.resolve("vms").toString(), null, null, null, Duration.ofSeconds(5), null);
    Instance late = new LocalCloudDriver(impatient, context.withClock(java.time.Clock.offset(context.clock(), Duration.ofMinutes(1)))).instances().get(0);
    assertThat(late.state()).isEqualTo(InstanceState.ERROR);
    assertThat(late.fault()).contains("never started");
  }

  @Test
  void unknownFlavorImageAndQuotaAreRefusedWithTheirNames() throws IOException {
    CloudDriver d = driver(2);
    assertThatThrownBy(() -> d.boot(request("c99", "local", UserData.EMPTY, "vm-g")))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.reason()).isEqualTo(CloudException.Reason.INVALID_REQUEST))
        .hasMessageContaining("c99");
    assertThatThrownBy(() -> d.boot(request("c2", "alma9", UserData.EMPTY, "vm-g")))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.reason()).isEqualTo(CloudException.Reason.INVALID_REQUEST))
        .hasMessageContaining("alma9");
    assertThatThrownBy(() -> d.boot(request("c2", "local", UserData.EMPTY, "vm-g", "vm-h", "vm-i")))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.reason()).isEqualTo(CloudException.Reason.QUOTA_EXCEEDED))
        .hasMessageContaining("max-instances");
    assertThat(d.capacity().max()).isEqualTo(new Limits(Limits.UNLIMITED, Limits.UNLIMITED, 2));
  }

  @Test
  void flavorsAndImages() throws IOException {
    CloudDriver d = driver(8);
    assertThat(d.flavors()).extracting(f -> f.name().value()).containsExactly("c2", "c4");
    assertThat(d.flavors().get(0).resources()).as("default disk").isEqualTo(Resources.of(2, 2048, 20));
    assertThat(d.flavors().get(1).resources()).isEqualTo(Resources.of(4, 4096, 20));
    assertThat(d.images()).extracting(i -> i.id()).containsExactly("local");
  }

  @Test
  void configurationIsBoundAndChecked() {
    LocalConfig c =
        TestPluginConfig.of(Map.of("flavors", List.of(Map.of("name", "c1", "cores", 1, "ram-mib", 512))), "clouds[0].config").bind(LocalConfig.class);
    assertThat(c.helpersDir()).isEqualTo("/opt/csv2");
    assertThat(c.stateDir()).isEqualTo("/var/lib/csv2-local");
    assertThat(c.vmDir()).isEqualTo("/var/lib/condor-vm");
    assertThat(c.maxInstances()).isEqualTo(8);
    assertThat(c.callTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThatThrownBy(() -> TestPluginConfig.of(Map.of("flavours", List.of()), "clouds[0].config").bind(LocalConfig.class))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("flavours");
    assertThatThrownBy(
            () ->
                new LocalConfig(
                        List.of(new LocalConfig.LocalFlavor("a", 0, 0, -1L), new LocalConfig.LocalFlavor("a", 1, 1, null)),
                        List.of(), "rel", null, null, -1, -1, -1L, Duration.ZERO, null)
                    .validate("clouds[1].config"))
        .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).hasSize(9))
        .hasMessageContaining("clouds[1].config.flavors[1].name: duplicate flavor 'a'")
        .hasMessageContaining("clouds[1].config.helpers-dir");
    assertThatThrownBy(() -> new LocalConfig(List.of(), List.of(), null, null, null, null, null, null, null, null).validate("c"))
        .hasMessageContaining("c.flavors");
  }
}

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
package org.csv2.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.csv2.api.CloudException;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudCapacity;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Image;
import org.csv2.model.ImageUpload;
import org.csv2.model.KeyPair;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Limits;
import org.csv2.model.UserData;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.Csv2Tags;
import org.csv2.spi.ImageCapability;
import org.csv2.spi.PluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link CloudDriver} passes. A driver's test extends it in a few lines:
 *
 * <pre>{@code
 * class OpenStackCloudDriverContractTest extends CloudDriverContract {
 *   protected String providerName() { return "openstack"; }
 *   protected CloudDriver newDriver(PluginContext context) {
 *     return new OpenStackCloudDriverProvider().create(TestServers.openStackConfig(), context);
 *   }
 *   protected Set<DriverCapability> capabilities() {
 *     return EnumSet.complementOf(EnumSet.of(DriverCapability.CAPACITY_LIMITS));
 *   }
 * }
 * }</pre>
 *
 * <p>Every test makes its drivers through {@link #newDriver(PluginContext)} with a fresh random
 * csv2 instance id, boots at most three instances of {@link #bootFlavor(CloudDriver)} and {@link
 * #bootImage(CloudDriver)}, and terminates everything it booted afterwards, so a real cloud is not
 * left with instances. Changes are polled every 200 ms for at most {@link #settleTimeout()}.
 *
 * <p>User data is handed to the driver but not checked: no generic way exists to read it back.
 */
public abstract class CloudDriverContract {
  /** The group every contract VM belongs to. */
  protected static final GroupName GROUP = GroupName.of("contract");

  /** An extra tag every contract boot request carries, to check that request tags arrive. */
  protected static final String EXTRA_TAG = "csv2-contract";

  private static final String NO_SUCH_FLAVOR = "csv2-contract-no-such-flavor";
  private static final String NO_SUCH_IMAGE = "csv2-contract-no-such-image";

  private final List<Session> sessions = new ArrayList<>();

  /**
   * The provider's name, as listed by {@link CloudDriverProvider#name()}.
   *
   * @return the name
   */
  protected abstract String providerName();

  /**
   * Makes a driver. May be called several times in one test with different instance ids; all
   * drivers made within one test must talk to the same cloud (project).
   *
   * @param context the engine services, with the instance id and the cloud name to use
   * @return a new driver
   */
  protected abstract CloudDriver newDriver(PluginContext context);

  /**
   * The class loader to look for the provider in, as the engine would.
   *
   * @return by default the test class's loader (the module's main and test classes)
   */
  protected ClassLoader pluginClassLoader() {
    return getClass().getClassLoader();
  }

  /**
   * Sets the cloud's instance quota for the drivers made after this call in the current test, if
   * the test can (a fake, simulated or test cloud); the quota test then checks that {@code
   * capacity()} reports it and that {@code boot} refuses to exceed it with {@code QUOTA_EXCEEDED}.
   * Only asked of drivers with {@link DriverCapability#CAPACITY_LIMITS}.
   *
   * @param maxInstances the quota, in instances
   * @return whether the quota was set; false by default (the quota test is then not run)
   */
  protected boolean limitInstanceQuota(int maxInstances) {
    return false;
  }

  /**
   * Sets the metadata the cloud's administrators control for opportunistic use (the keys of {@link
   * org.csv2.spi.OpportunisticMetadata}, docs/opportunistic.md) where the drivers made after this
   * call read it, if the test can (a fake or sample cloud); the policy test then checks that {@code
   * opportunisticPolicy()} reports it, and safe values with a note for a malformed one.
   *
   * @param pairs the key/value pairs, replacing any set before
   * @return whether they were set; false by default (the policy test then checks only that the
   *     answer is well formed)
   */
  protected boolean setOpportunisticMetadata(Map<String, String> pairs) {
    return false;
  }

  /** Called before each test, to bring a fake or sample cloud back to a known state. */
  protected void resetCloud() {}

  /**
   * What the driver can do; the rest is checked to fail as documented.
   *
   * @return the capabilities; all by default
   */
  protected Set<DriverCapability> capabilities() {
    return EnumSet.allOf(DriverCapability.class);
  }

  /**
   * How long to poll {@link CloudDriver#instances()} for a boot or a termination to show.
   *
   * @return the timeout; 30 s by default
   */
  protected Duration settleTimeout() {
    return Duration.ofSeconds(30);
  }

  /**
   * A URL the cloud can fetch these bytes from, for the {@link ImageCapability#IMPORT_URL} test
   * (a small HTTP server the test starts, say).
   *
   * @param content the bytes to serve
   * @return the URL, or empty (the default) to skip the import test
   */
  protected Optional<URI> importableImageUrl(byte[] content) {
    return Optional.empty();
  }

  /**
   * An image id the cloud does not know, in the cloud's format, for the idempotent-delete test.
   *
   * @return by default a random UUID (the Glance format)
   */
  protected String unknownImageId() {
    return UUID.randomUUID().toString();
  }

  /**
   * How many bytes the image tests upload.
   *
   * @return 256 KiB by default
   */
  protected int imageTestSize() {
    return 256 * 1024;
  }

  /**
   * The image to boot.
   *
   * @param driver a driver of the cloud
   * @return an image name or id; by default the id of the first of {@link CloudDriver#images()}
   */
  protected String bootImage(CloudDriver driver) {
    List<Image> images = driver.images();
    assertThat(images).as("images of the cloud").isNotEmpty();
    return images.get(0).id();
  }

  /**
   * The flavor to boot.
   *
   * @param driver a driver of the cloud
   * @return by default the smallest available flavor (by cores, then RAM, then disk)
   */
  protected Flavor bootFlavor(CloudDriver driver) {
    List<Flavor> flavors = driver.flavors();
    assertThat(flavors).as("flavors of the cloud").isNotEmpty();
    Comparator<Flavor> bySize =
        Comparator.<Flavor>comparingInt(f -> f.resources().cores())
            .thenComparingLong(f -> f.resources().ramMiB())
            .thenComparingLong(f -> f.resources().diskGiB())
            .thenComparing(f -> f.name().value());
    return flavors.stream()
        .filter(Flavor::available)
        .min(bySize)
        .orElseGet(() -> flavors.stream().min(bySize).orElseThrow());
  }

  /**
   * The cloud's name in the contexts given to {@link #newDriver(PluginContext)}.
   *
   * @return a valid {@link CloudName}; {@code contract-cloud} by default
   */
  protected String cloudName() {
    return "contract-cloud";
  }

  /**
   * An instance id that the cloud does not know, in the cloud's format.
   *
   * @return by default a random UUID (the OpenStack format)
   */
  protected InstanceId unknownInstanceId() {
    return InstanceId.of(UUID.randomUUID().toString());
  }

  /**
   * The context of a driver. Override to hand the driver another clock or metrics sink.
   *
   * @param instanceId the csv2 instance id
   * @return the context; by default a {@link TestPluginContext} with the system clock
   */
  protected PluginContext context(String instanceId) {
    return new TestPluginContext(Clock.systemUTC(), instanceId, cloudName());
  }

  @BeforeEach
  final void resetBeforeEach() {
    resetCloud();
  }

  @AfterEach
  final void terminateWhatWasBooted() {
    List<Throwable> problems = new ArrayList<>();
    for (Session s : sessions) {
      if (s.bootAttempted) {
        try {
          Set<InstanceId> ids = new LinkedHashSet<>(s.booted);
          s.driver.instances().stream()
              .filter(i -> i.state() != InstanceState.TERMINATED)
              .forEach(i -> ids.add(i.id()));
          for (InstanceId id : ids) {
            s.driver.terminate(id);
          }
        } catch (RuntimeException e) {
          problems.add(e);
        }
      }
      for (String image : s.images) {
        try {
          s.driver.deleteImage(image);
        } catch (RuntimeException e) {
          problems.add(e);
        }
      }
      for (String key : s.keys) {
        try {
          s.driver.deleteKeyPair(key);
        } catch (RuntimeException e) {
          problems.add(e);
        }
      }
      try {
        s.driver.close();
      } catch (RuntimeException e) {
        problems.add(e);
      }
    }
    sessions.clear();
    if (!problems.isEmpty()) {
      AssertionError error =
          new AssertionError("cleaning up after the test failed; instances may be left on the cloud");
      problems.forEach(error::addSuppressed);
      throw error;
    }
  }

  @Test
  @DisplayName("the test class name ends in ContractTest (or ContractIT when it needs a test server)")
  void testClassFollowsTheNamingConvention() {
    assertThat(getClass().getSimpleName()).matches(".+Contract(Test|IT)");
  }

  @Test
  @DisplayName("the provider is found by ServiceLoader under its name, from a services file in its own jar, and declares its csv2-api")
  void providerIsDiscoverableByName() {
    ProviderChecks.assertDiscoverable(CloudDriverProvider.class, providerName(), pluginClassLoader());
  }

  @Test
  @DisplayName("flavors are listed, with unique names, the same on every call")
  void flavorsAreListedUniquelyAndStably() {
    CloudDriver driver = open().driver;
    List<Flavor> first = driver.flavors();
    List<Flavor> second = driver.flavors();
    assertThat(first).as("flavors").isNotEmpty();
    assertThat(first.stream().map(Flavor::name).toList()).as("flavor names").doesNotHaveDuplicates();
    assertThat(second).as("flavors on a second call").containsExactlyInAnyOrderElementsOf(first);
  }

  @Test
  @DisplayName("images are listed")
  void imagesAreListed() {
    assertThat(open().driver.images()).as("images").isNotEmpty();
  }

  @Test
  @DisplayName("the capacity reports no negative usage")
  void capacityIsSane() {
    CloudCapacity capacity = open().driver.capacity();
    assertThat(capacity).isNotNull();
    Limits used = capacity.used();
    assertThat(used.cores()).as("cores used").isNotNegative();
    assertThat(used.ramMiB()).as("RAM used").isNotNegative();
    assertThat(used.instances()).as("instances used").isNotNegative();
  }

  @Test
  @DisplayName("the capacity reports a quota if the driver has CAPACITY_LIMITS, else no limit")
  void capacityLimitsFollowTheCapability() {
    Limits max = open().driver.capacity().max();
    if (capabilities().contains(DriverCapability.CAPACITY_LIMITS)) {
      assertThat(max.cores() >= 0 || max.ramMiB() >= 0 || max.instances() >= 0)
          .as("some component of the quota %s is limited", max)
          .isTrue();
    } else {
      assertThat(max).as("quota of a driver without CAPACITY_LIMITS").isEqualTo(Limits.NONE);
    }
  }

  @Test
  @DisplayName("key pairs are listed if the driver has KEY_PAIRS, else UnsupportedOperationException")
  void keyPairsFollowTheCapability() {
    CloudDriver driver = open().driver;
    if (capabilities().contains(DriverCapability.KEY_PAIRS)) {
      assertThat(driver.keyPairs()).as("key pairs").isNotNull();
    } else {
      assertThatThrownBy(driver::keyPairs).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  @DisplayName("networks are listed if the driver has NETWORKS, else UnsupportedOperationException")
  void networksFollowTheCapability() {
    CloudDriver driver = open().driver;
    if (capabilities().contains(DriverCapability.NETWORKS)) {
      assertThat(driver.networks()).as("networks").isNotNull();
    } else {
      assertThatThrownBy(driver::networks).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  @DisplayName("booting two VMs returns two instances with the requested names, flavor and tags")
  void bootReturnsTheRequestedInstances() {
    Session s = open();
    BootRequest request = request(s, 2, bootFlavor(s.driver).name(), bootImage(s.driver));
    List<Instance> instances = boot(s, request);
    assertThat(instances).as("booted instances").hasSize(2);
    assertThat(instances.stream().map(Instance::id).toList()).as("instance ids").doesNotHaveDuplicates();
    assertThat(instances.stream().map(Instance::name).toList())
        .as("instance names")
        .containsExactlyInAnyOrderElementsOf(request.names());
    for (Instance i : instances) {
      assertCsv2Instance(i, s, request);
    }
  }

  @Test
  @DisplayName("booted instances are listed by instances(), with their names, flavor and tags")
  void bootedInstancesAreListed() {
    Session s = open();
    BootRequest request = request(s, 2, bootFlavor(s.driver).name(), bootImage(s.driver));
    Set<InstanceId> ids = ids(boot(s, request));
    List<Instance> listed =
        Await.until(
            settleTimeout(),
            "listing both booted instances " + ids,
            s.driver::instances,
            l -> ids(l).containsAll(ids));
    for (Instance i : listed) {
      if (ids.contains(i.id())) {
        assertThat(request.names()).as("requested names").contains(i.name());
        assertCsv2Instance(i, s, request);
      }
    }
  }

  @Test
  @DisplayName("instances() lists just-booted instances at once, PENDING included")
  void justBootedInstancesAreListedAtOnce() {
    Session s = open();
    List<Instance> booted = boot(s, request(s, 2, bootFlavor(s.driver).name(), bootImage(s.driver)));
    Set<InstanceId> ids = ids(booted);
    List<Instance> listed = s.driver.instances();
    assertThat(ids(listed))
        .as(
            "instances() called right after boot returned %s (states %s); the engine marks a VM whose"
                + " instance a cloud does not list TERMINATED, so a booting instance must be listed",
            ids, booted.stream().map(Instance::state).toList())
        .containsAll(ids);
  }

  @Test
  @DisplayName("terminate deletes the instance it names and no other")
  void terminateDeletesOnlyTheNamedInstance() {
    Session a = open();
    Session b = open();
    String image = bootImage(a.driver);
    FlavorName flavor = bootFlavor(a.driver).name();
    List<Instance> ours = boot(a, request(a, 2, flavor, image));
    Set<InstanceId> ofB = ids(boot(b, request(b, 1, flavor, image)));
    InstanceId victim = ours.get(0).id();
    InstanceId kept = ours.get(1).id();
    Await.until(settleTimeout(), "listing " + ids(ours), a.driver::instances, l -> ids(l).containsAll(ids(ours)));
    a.driver.terminate(victim);
    Await.until(
        settleTimeout(),
        "terminating or gone: " + victim,
        a.driver::instances,
        l -> l.stream().noneMatch(i -> i.id().equals(victim) && !ending(i.state())));
    assertThat(a.driver.instances())
        .as("after terminate(%s), the other instance %s of the same engine", victim, kept)
        .anyMatch(i -> i.id().equals(kept) && !ending(i.state()));
    assertThat(b.driver.instances())
        .as("after terminate(%s) by engine %s, the instance of engine %s", victim, a.context.instanceId(), b.context.instanceId())
        .anyMatch(i -> ofB.contains(i.id()) && !ending(i.state()));
  }

  @Test
  @DisplayName("terminateEach deletes what it asks, reports only ids asked, and what it does not report is gone")
  void terminateEachIsHonest() {
    Session a = open();
    Session b = open();
    String image = bootImage(a.driver);
    FlavorName flavor = bootFlavor(a.driver).name();
    List<Instance> ours = boot(a, request(a, 3, flavor, image));
    Set<InstanceId> ofB = ids(boot(b, request(b, 1, flavor, image)));
    Await.until(settleTimeout(), "listing " + ids(ours), a.driver::instances, l -> ids(l).containsAll(ids(ours)));
    InstanceId unknown = unknownInstanceId();
    List<InstanceId> asked = List.of(ours.get(0).id(), unknown, ours.get(1).id());
    InstanceId kept = ours.get(2).id();

    Map<InstanceId, CloudException> refused = a.driver.terminateEach(asked);

    assertThat(refused).as("terminateEach(%s): its answer", asked).isNotNull();
    assertThat(refused.keySet()).as("ids terminateEach(%s) reported", asked).isSubsetOf(asked);
    assertThat(refused).as("terminateEach of an id the cloud does not know (%s): already gone is a success", unknown)
        .doesNotContainKey(unknown);
    Set<InstanceId> claimed = new LinkedHashSet<>(asked);
    claimed.removeAll(refused.keySet());
    Await.until(
        settleTimeout(),
        "terminating or gone, as terminateEach answered: " + claimed,
        a.driver::instances,
        l -> l.stream().noneMatch(i -> claimed.contains(i.id()) && !ending(i.state())));
    assertThat(a.driver.instances())
        .as("after terminateEach(%s), the instance %s it was not asked to delete", asked, kept)
        .anyMatch(i -> i.id().equals(kept) && !ending(i.state()));
    assertThat(b.driver.instances())
        .as("after terminateEach by engine %s, the instance of engine %s", a.context.instanceId(), b.context.instanceId())
        .anyMatch(i -> ofB.contains(i.id()) && !ending(i.state()));
  }

  @Test
  @DisplayName("bootEach boots every request's VMs, each instance named and tagged for its own VM, once")
  void bootEachIsHonest() {
    Session s = open();
    String image = bootImage(s.driver);
    FlavorName flavor = bootFlavor(s.driver).name();
    List<BootRequest> requests = List.of(request(s, 1, flavor, image), request(s, 2, flavor, image));
    List<VmId> names = requests.stream().flatMap(r -> r.names().stream()).toList();
    s.bootAttempted = true;
    List<Instance> booted = s.driver.bootEach(requests);
    booted.forEach(i -> s.booted.add(i.id()));
    assertThat(booted).as("bootEach of %s", names).isNotEmpty();
    assertThat(booted).extracting(Instance::name).as("names of the instances bootEach returned").doesNotHaveDuplicates();
    assertThat(names).as("names asked of bootEach").containsAll(booted.stream().map(Instance::name).toList());
    for (Instance i : booted) {
      assertThat(i.tags()).as("tags of instance %s", i.id()).containsEntry(Csv2Tags.VM_NAME, i.name().value());
    }
    assertThat(booted).as("bootEach of %d VMs on a cloud with room", names.size()).hasSize(names.size());
    Await.until(settleTimeout(), "listing " + ids(booted), s.driver::instances, l -> ids(l).containsAll(ids(booted)));
  }

  @Test
  @DisplayName("opportunisticPolicy reports the administrators' metadata, with safe values and a note for a malformed one")
  void opportunisticPolicyIsHonest() {
    org.csv2.model.OpportunisticPolicy none = open().driver.opportunisticPolicy();
    assertThat(none).as("opportunisticPolicy()").isNotNull();
    assertThat(none.notes()).as("notes of opportunisticPolicy()").isNotNull();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        setOpportunisticMetadata(Map.of(
            org.csv2.spi.OpportunisticMetadata.CORES, "48",
            org.csv2.spi.OpportunisticMetadata.GROUPS, "lhcb",
            org.csv2.spi.OpportunisticMetadata.RECLAIM, "true",
            org.csv2.spi.OpportunisticMetadata.RECLAIM_DEADLINE, "2030-01-01T18:00:00Z")),
        "the test sets no metadata (override setOpportunisticMetadata)");
    org.csv2.model.OpportunisticPolicy p = open().driver.opportunisticPolicy();
    assertThat(p.governed()).as("governed() with metadata set: %s", p).isTrue();
    assertThat(p.cores()).as("cores of %s", p).isEqualTo(48);
    assertThat(p.instances()).as("instances of %s (no key: no cap)", p).isEqualTo(org.csv2.model.Limits.UNLIMITED);
    assertThat(p.groups()).as("groups of %s", p).containsExactly(GroupName.of("lhcb"));
    assertThat(p.reclaim()).as("reclaim of %s", p).isTrue();
    assertThat(p.deadline()).as("deadline of %s", p).isEqualTo(Instant.parse("2030-01-01T18:00:00Z"));

    setOpportunisticMetadata(Map.of(org.csv2.spi.OpportunisticMetadata.CORES, "4OO"));
    org.csv2.model.OpportunisticPolicy bad = open().driver.opportunisticPolicy();
    assertThat(bad.cores()).as("cores of %s for a malformed value (safe: no opportunistic use)", bad).isZero();
    assertThat(bad.reclaim()).as("reclaim of %s once the key is gone", bad).isFalse();
    assertThat(bad.notes()).as("notes of %s", bad).anySatisfy(n -> assertThat(n).contains("4OO"));

    setOpportunisticMetadata(Map.of());
    org.csv2.model.OpportunisticPolicy gone = open().driver.opportunisticPolicy();
    assertThat(gone.governed()).as("governed() once the metadata is removed: %s", gone).isFalse();
  }

  @Test
  @DisplayName("the capacity counts booted instances, their cores and RAM in its usage")
  void capacityCountsBootedInstances() {
    Session s = open();
    Flavor flavor = bootFlavor(s.driver);
    Limits before = s.driver.capacity().used();
    boot(s, request(s, 2, flavor.name(), bootImage(s.driver)));
    Limits expected =
        before.plus(new Limits(2 * flavor.resources().cores(), 2 * flavor.resources().ramMiB(), 2));
    Await.until(
        settleTimeout(),
        "capacity().used() counting 2 more " + flavor.name() + " instances than " + before + ", at least " + expected,
        () -> s.driver.capacity().used(),
        u -> u.instances() >= expected.instances() && u.cores() >= expected.cores() && u.ramMiB() >= expected.ramMiB());
  }

  @Test
  @DisplayName("a driver with CAPACITY_LIMITS reports the quota set and refuses to boot beyond it")
  void bootsBeyondTheQuotaAreRefused() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        capabilities().contains(DriverCapability.CAPACITY_LIMITS) && limitInstanceQuota(1),
        "the test sets no quota (override limitInstanceQuota) or the driver has no CAPACITY_LIMITS");
    Session s = open();
    CloudCapacity capacity = s.driver.capacity();
    assertThat(capacity.max().instances()).as("instance quota reported after limitInstanceQuota(1)").isEqualTo(1);
    int free = Math.max(0, 1 - capacity.used().instances());
    BootRequest request = request(s, free + 1, bootFlavor(s.driver).name(), bootImage(s.driver));
    try {
      List<Instance> booted = boot(s, request);
      assertThat(booted.size())
          .as("instances booted for %d asked with %d free under a quota of 1", free + 1, free)
          .isLessThanOrEqualTo(free);
    } catch (CloudException e) {
      assertThat(e.reason()).as("reason of %s", e).isEqualTo(CloudException.Reason.QUOTA_EXCEEDED);
    }
    assertThat(s.driver.capacity().used().instances())
        .as("instances in use under a quota of 1")
        .isLessThanOrEqualTo(Math.max(1, capacity.used().instances()));
  }

  @Test
  @DisplayName("a driver with another instance id on the same cloud does not list our instances")
  void instancesOfAnotherEngineAreNotListed() {
    Session a = open();
    Session b = open();
    String image = bootImage(a.driver);
    FlavorName flavor = bootFlavor(a.driver).name();
    Set<InstanceId> ofA = ids(boot(a, request(a, 1, flavor, image)));
    Set<InstanceId> ofB = ids(boot(b, request(b, 1, flavor, image)));
    List<Instance> listedByA =
        Await.until(settleTimeout(), "listing A's instance", a.driver::instances, l -> ids(l).containsAll(ofA));
    List<Instance> listedByB =
        Await.until(settleTimeout(), "listing B's instance", b.driver::instances, l -> ids(l).containsAll(ofB));
    assertThat(ids(listedByA)).as("instances listed by engine %s", a.context.instanceId()).doesNotContainAnyElementsOf(ofB);
    assertThat(ids(listedByB)).as("instances listed by engine %s", b.context.instanceId()).doesNotContainAnyElementsOf(ofA);
  }

  @Test
  @DisplayName("terminate is idempotent and the instance then leaves the listing")
  void terminateIsIdempotent() {
    Session s = open();
    InstanceId id = boot(s, request(s, 1, bootFlavor(s.driver).name(), bootImage(s.driver))).get(0).id();
    Await.until(settleTimeout(), "listing instance " + id, s.driver::instances, l -> ids(l).contains(id));
    s.driver.terminate(id);
    assertThatCode(() -> s.driver.terminate(id)).as("terminating %s twice", id).doesNotThrowAnyException();
    Await.until(
        settleTimeout(),
        "terminating or gone: " + id,
        s.driver::instances,
        l -> l.stream().noneMatch(i -> i.id().equals(id) && !ending(i.state())));
    assertThatCode(() -> s.driver.terminate(id)).as("terminating %s again after it went", id).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("terminating an instance id the cloud does not know is success")
  void terminatingAnUnknownInstanceSucceeds() {
    CloudDriver driver = open().driver;
    InstanceId unknown = unknownInstanceId();
    assertThatCode(() -> driver.terminate(unknown)).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("booting an unknown flavor fails with INVALID_REQUEST naming the flavor")
  void bootingAnUnknownFlavorIsAnInvalidRequest() {
    Session s = open();
    BootRequest request = request(s, 1, FlavorName.of(NO_SUCH_FLAVOR), bootImage(s.driver));
    assertInvalidRequest(s, request, NO_SUCH_FLAVOR);
  }

  @Test
  @DisplayName("booting an unknown image fails with INVALID_REQUEST naming the image")
  void bootingAnUnknownImageIsAnInvalidRequest() {
    Session s = open();
    BootRequest request = request(s, 1, bootFlavor(s.driver).name(), NO_SUCH_IMAGE);
    assertInvalidRequest(s, request, NO_SUCH_IMAGE);
  }

  @Test
  @DisplayName("an image or key-pair verb the driver does not declare is refused with UnsupportedOperationException")
  void undeclaredImageVerbsAreRefused() {
    CloudDriver driver = open().driver;
    Set<ImageCapability> declared = driver.imageCapabilities();
    assertThat(declared).as("imageCapabilities()").isNotNull();
    assertThat(driver.imageCapabilities()).as("imageCapabilities() on a second call").isEqualTo(declared);
    byte[] bytes = new byte[16];
    ImageUpload spec = ImageUpload.of("csv2-contract-refused", "raw", sha256(bytes), bytes.length);
    Map<ImageCapability, Runnable> calls = new java.util.EnumMap<>(ImageCapability.class);
    calls.put(ImageCapability.UPLOAD, () -> driver.uploadImage(spec, new ByteArrayInputStream(bytes)));
    calls.put(ImageCapability.IMPORT_URL, () -> driver.importImage(spec, URI.create("http://127.0.0.1:9/x.img")));
    calls.put(ImageCapability.COPY, () -> driver.copyImage(unknownImageId(), null, "csv2-contract-refused"));
    calls.put(ImageCapability.DOWNLOAD, () -> driver.downloadImage(unknownImageId(), 0));
    calls.put(ImageCapability.DELETE, () -> driver.deleteImage(unknownImageId()));
    calls.put(ImageCapability.KEY_PAIR_IMPORT, () -> driver.importKeyPair("csv2-contract-refused", "ssh-rsa AAAA x"));
    calls.put(ImageCapability.KEY_PAIR_DELETE, () -> driver.deleteKeyPair("csv2-contract-refused"));
    for (Map.Entry<ImageCapability, Runnable> e : calls.entrySet()) {
      if (!declared.contains(e.getKey())) {
        assertThatThrownBy(e.getValue()::run)
            .as("%s, not declared in imageCapabilities() %s", e.getKey(), declared)
            .isInstanceOf(UnsupportedOperationException.class);
      }
    }
  }

  @Test
  @DisplayName("UPLOAD: an uploaded image is listed under its name; DELETE removes it, twice without error")
  void uploadedImagesAreListedAndDeleted() {
    Session s = open();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        s.driver.imageCapabilities().contains(ImageCapability.UPLOAD), "the driver does not declare UPLOAD");
    byte[] bytes = randomBytes(imageTestSize());
    String name = "csv2-contract-" + suffix();
    Image image = upload(s, ImageUpload.of(name, "raw", sha256(bytes), bytes.length), new ByteArrayInputStream(bytes));
    assertThat(image.name()).as("name of the uploaded image").isEqualTo(name);
    Await.until(settleTimeout(), "listing image " + name, s.driver::images, l -> l.stream().anyMatch(i -> i.id().equals(image.id())));
    if (s.driver.imageCapabilities().contains(ImageCapability.DOWNLOAD)) {
      assertThat(readAll(s.driver.downloadImage(image.id(), 0))).as("bytes downloaded from %s", image).isEqualTo(bytes);
      int from = bytes.length / 3;
      assertThat(readAll(s.driver.downloadImage(image.id(), from)))
          .as("bytes downloaded from %s from offset %d", image, from)
          .isEqualTo(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
    }
    if (s.driver.imageCapabilities().contains(ImageCapability.DELETE)) {
      s.driver.deleteImage(image.id());
      assertThatCode(() -> s.driver.deleteImage(image.id())).as("deleting %s twice", image).doesNotThrowAnyException();
      s.images.remove(image.id());
      Await.until(settleTimeout(), "image " + name + " gone", s.driver::images, l -> l.stream().noneMatch(i -> i.id().equals(image.id())));
    }
  }

  @Test
  @DisplayName("UPLOAD: a checksum or size mismatch fails with INVALID_REQUEST and leaves no image")
  void uploadsWithTheWrongChecksumOrSizeAreRefused() {
    Session s = open();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        s.driver.imageCapabilities().contains(ImageCapability.UPLOAD), "the driver does not declare UPLOAD");
    byte[] bytes = randomBytes(imageTestSize());
    byte[] other = randomBytes(16);
    String badSum = "csv2-contract-sum-" + suffix();
    String badSize = "csv2-contract-size-" + suffix();
    assertRefusedUpload(s, ImageUpload.of(badSum, "raw", sha256(other), bytes.length), new ByteArrayInputStream(bytes),
        CloudException.Reason.INVALID_REQUEST);
    assertRefusedUpload(s, ImageUpload.of(badSize, "raw", sha256(bytes), bytes.length + 1L), new ByteArrayInputStream(bytes),
        CloudException.Reason.INVALID_REQUEST);
    assertThat(s.driver.images().stream().map(Image::name))
        .as("images after refused uploads")
        .doesNotContain(badSum, badSize);
  }

  @Test
  @DisplayName("UPLOAD: a stream that breaks midway fails with UNAVAILABLE and leaves no image")
  void anInterruptedUploadLeavesNoImage() {
    Session s = open();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        s.driver.imageCapabilities().contains(ImageCapability.UPLOAD), "the driver does not declare UPLOAD");
    byte[] bytes = randomBytes(imageTestSize());
    String name = "csv2-contract-broken-" + suffix();
    InputStream wrapped = new InputStream() {
      private int pos;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (pos >= bytes.length / 2) {
          throw new IOException("connection reset (contract test)");
        }
        int n = Math.min(len, bytes.length / 2 - pos);
        System.arraycopy(bytes, pos, b, off, n);
        pos += n;
        return n;
      }
    };
    assertRefusedUpload(s, ImageUpload.of(name, "raw", sha256(bytes), bytes.length), wrapped, CloudException.Reason.UNAVAILABLE);
    assertThat(s.driver.images().stream().map(Image::name)).as("images after a broken upload").doesNotContain(name);
  }

  @Test
  @DisplayName("DELETE: deleting an image id the cloud does not know is success")
  void deletingAnUnknownImageSucceeds() {
    CloudDriver driver = open().driver;
    org.junit.jupiter.api.Assumptions.assumeTrue(
        driver.imageCapabilities().contains(ImageCapability.DELETE), "the driver does not declare DELETE");
    String unknown = unknownImageId();
    assertThatCode(() -> driver.deleteImage(unknown)).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("COPY: a copy of an image is listed under the new name")
  void copiedImagesAreListed() {
    Session s = open();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        s.driver.imageCapabilities().contains(ImageCapability.COPY), "the driver does not declare COPY");
    String source = bootImage(s.driver);
    String name = "csv2-contract-copy-" + suffix();
    Image copy = s.driver.copyImage(source, null, name);
    s.images.add(copy.id());
    assertThat(copy.name()).as("name of the copy of %s", source).isEqualTo(name);
    Await.until(settleTimeout(), "listing copy " + name, s.driver::images, l -> l.stream().anyMatch(i -> i.id().equals(copy.id())));
  }

  @Test
  @DisplayName("IMPORT_URL: an image imported from a URL becomes listed")
  void importedImagesAreListed() {
    Session s = open();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        s.driver.imageCapabilities().contains(ImageCapability.IMPORT_URL), "the driver does not declare IMPORT_URL");
    byte[] bytes = randomBytes(imageTestSize());
    Optional<URI> url = importableImageUrl(bytes);
    org.junit.jupiter.api.Assumptions.assumeTrue(url.isPresent(), "the test gives no importableImageUrl");
    String name = "csv2-contract-import-" + suffix();
    Image image = s.driver.importImage(ImageUpload.of(name, "raw", sha256(bytes), bytes.length), url.get());
    s.images.add(image.id());
    Await.until(settleTimeout(), "listing imported image " + name, s.driver::images, l -> l.stream().anyMatch(i -> i.id().equals(image.id())));
  }

  @Test
  @DisplayName("KEY_PAIR_IMPORT: an imported key pair is listed; KEY_PAIR_DELETE removes it, twice without error")
  void importedKeyPairsAreListedAndDeleted() {
    Session s = open();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        s.driver.imageCapabilities().contains(ImageCapability.KEY_PAIR_IMPORT), "the driver does not declare KEY_PAIR_IMPORT");
    String name = "csv2-contract-key-" + suffix();
    KeyPair key = s.driver.importKeyPair(name, SshKeys.rsaPublicKey("csv2-contract"));
    s.keys.add(name);
    assertThat(key.name()).as("imported key pair").isEqualTo(name);
    if (capabilities().contains(DriverCapability.KEY_PAIRS)) {
      Await.until(settleTimeout(), "listing key pair " + name, s.driver::keyPairs, l -> l.stream().anyMatch(k -> k.name().equals(name)));
    }
    if (s.driver.imageCapabilities().contains(ImageCapability.KEY_PAIR_DELETE)) {
      s.driver.deleteKeyPair(name);
      assertThatCode(() -> s.driver.deleteKeyPair(name)).as("deleting key pair %s twice", name).doesNotThrowAnyException();
      s.keys.remove(name);
      if (capabilities().contains(DriverCapability.KEY_PAIRS)) {
        Await.until(settleTimeout(), "key pair " + name + " gone", s.driver::keyPairs, l -> l.stream().noneMatch(k -> k.name().equals(name)));
      }
    }
  }

  private Image upload(Session s, ImageUpload spec, InputStream data) {
    Image image = s.driver.uploadImage(spec, data);
    s.images.add(image.id());
    return image;
  }

  private void assertRefusedUpload(Session s, ImageUpload spec, InputStream data, CloudException.Reason reason) {
    Image image;
    try {
      image = upload(s, spec, data);
    } catch (CloudException e) {
      assertThat(e.reason()).as("reason of %s", e).isEqualTo(reason);
      return;
    }
    fail("upload of %s returned %s instead of failing with %s", spec.name(), image, reason);
  }

  /**
   * The SHA-256 of some bytes, as {@link ImageUpload#sha256()} wants it.
   *
   * @param bytes the bytes
   * @return 64 lower-case hex digits
   */
  protected static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  @DisplayName("close is idempotent")
  void closeIsIdempotent() {
    CloudDriver driver = open().driver;
    driver.close();
    assertThatCode(driver::close).as("closing twice").doesNotThrowAnyException();
  }

  private void assertInvalidRequest(Session s, BootRequest request, String named) {
    List<Instance> booted;
    try {
      booted = boot(s, request);
    } catch (CloudException e) {
      assertThat(e.reason()).as("reason of %s", e).isEqualTo(CloudException.Reason.INVALID_REQUEST);
      assertThat(e.getMessage()).as("message of the INVALID_REQUEST").contains(named);
      return;
    }
    fail("boot with '%s' returned %s instead of failing with INVALID_REQUEST", named, booted);
  }

  private void assertCsv2Instance(Instance i, Session s, BootRequest request) {
    assertThat(i.flavor()).as("flavor of %s", i.name()).isEqualTo(request.flavor());
    assertThat(i.tags())
        .as("tags of %s", i.name())
        .containsEntry(Csv2Tags.INSTANCE_ID, s.context.instanceId())
        .containsEntry(Csv2Tags.GROUP, GROUP.value())
        .containsEntry(Csv2Tags.CLOUD, s.context.name())
        .containsEntry(Csv2Tags.VM_NAME, i.name().value())
        .containsEntry(EXTRA_TAG, "yes");
  }

  private List<Instance> boot(Session s, BootRequest request) {
    s.bootAttempted = true;
    List<Instance> instances = s.driver.boot(request);
    instances.forEach(i -> s.booted.add(i.id()));
    return instances;
  }

  private BootRequest request(Session s, int count, FlavorName flavor, String image) {
    CloudName cloud = CloudName.of(s.context.name());
    List<VmId> names = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      names.add(VmId.of(GROUP, cloud, s.context.instanceId(), suffix()));
    }
    Map<String, String> tags = new HashMap<>();
    tags.put(Csv2Tags.INSTANCE_ID, s.context.instanceId());
    tags.put(Csv2Tags.GROUP, GROUP.value());
    tags.put(Csv2Tags.CLOUD, s.context.name());
    tags.put(EXTRA_TAG, "yes");
    return new BootRequest(
        GROUP, flavor, image, names, UserData.ofText("#cloud-config\n{}\n"), tags, VmDefaults.NONE, 0);
  }

  private Session open() {
    PluginContext context = context(TestPluginContext.randomInstanceId());
    Session s = new Session(context, newDriver(context));
    sessions.add(s);
    return s;
  }

  private static String suffix() {
    return String.format("%06x", ThreadLocalRandom.current().nextInt(0x1000000));
  }

  private static Set<InstanceId> ids(List<Instance> instances) {
    return instances.stream().map(Instance::id).collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static boolean ending(InstanceState state) {
    return state == InstanceState.TERMINATING || state == InstanceState.TERMINATED;
  }

  private static final class Session {
    final PluginContext context;
    final CloudDriver driver;
    final Set<InstanceId> booted = new LinkedHashSet<>();
    final Set<String> images = new LinkedHashSet<>();
    final Set<String> keys = new LinkedHashSet<>();
    boolean bootAttempted;

    Session(PluginContext context, CloudDriver driver) {
      this.context = context;
      this.driver = driver;
    }
  }
}

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

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StoreChanges;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kits fail on implementations with the bugs they exist to catch. */
class ContractsCatchBugsTest {
  @Test
  @DisplayName("the stateful test names the seed and step where a store without version checks diverges")
  void statefulTestCatchesAMissingVersionCheck() {
    StoreContract kit = new StoreContract(new FakeStateStore(MutableClock.start()) {
      @Override
      void check(StoreChanges changes) {}
    });
    kit.resetBeforeEach();
    try {
      assertThatThrownBy(() -> kit.runStatefulSeed(1)).isInstanceOf(AssertionError.class).hasMessageContaining("seed 1, step");
    } finally {
      kit.closeStores();
    }
  }

  @Test
  @DisplayName("a store that writes part of a refused commit fails the atomicity test")
  void atomicityTestCatchesAPartialCommit() {
    StoreContract kit = new StoreContract(new FakeStateStore(MutableClock.start()) {
      @Override
      public java.util.List<org.csv2.model.Vm> commit(StoreChanges changes) {
        if (!changes.inserts().isEmpty() && !changes.updates().isEmpty()) {
          super.commit(new StoreChanges(changes.inserts(), java.util.List.of(), java.util.List.of(), changes.events(), changes.samples(), changes.accounting()));
          return super.commit(new StoreChanges(java.util.List.of(), changes.updates(), changes.deletes(), java.util.List.of(), java.util.List.of(), java.util.List.of()));
        }
        return super.commit(changes);
      }
    });
    kit.resetBeforeEach();
    try {
      assertThatThrownBy(kit::conflictingCommitWritesNothing).isInstanceOf(AssertionError.class);
    } finally {
      kit.closeStores();
    }
  }

  @Test
  @DisplayName("a driver that does not tag the VM name fails the boot test")
  void bootTestCatchesAMissingNameTag() {
    DriverContract kit = new DriverContract(new FakeCloud(FakeCloud.Bug.NO_NAME_TAG));
    try {
      assertThatThrownBy(kit::bootReturnsTheRequestedInstances).isInstanceOf(AssertionError.class).hasMessageContaining(org.csv2.spi.Csv2Tags.VM_NAME);
    } finally {
      kit.terminateWhatWasBooted();
    }
  }

  @Test
  @DisplayName("a driver that lists every engine's instances fails the isolation test")
  void isolationTestCatchesAnUnfilteredListing() {
    DriverContract kit = new DriverContract(new FakeCloud(FakeCloud.Bug.LISTS_OTHER_ENGINES));
    try {
      assertThatThrownBy(kit::instancesOfAnotherEngineAreNotListed).isInstanceOf(AssertionError.class);
    } finally {
      kit.terminateWhatWasBooted();
    }
  }

  @Test
  @DisplayName("a driver whose instances() leaves out PENDING instances fails the listing test")
  void listingTestCatchesOmittedPendingInstances() {
    DriverContract kit = new DriverContract(new FakeCloud(FakeCloud.Bug.OMITS_PENDING));
    try {
      assertThatThrownBy(kit::justBootedInstancesAreListedAtOnce).isInstanceOf(AssertionError.class).hasMessageContaining("PENDING");
    } finally {
      kit.terminateWhatWasBooted();
    }
  }

  @Test
  @DisplayName("a driver whose terminate deletes every instance fails the terminate test")
  void terminateTestCatchesADriverThatDeletesEverything() {
    DriverContract kit = new DriverContract(new FakeCloud(FakeCloud.Bug.TERMINATES_ALL));
    try {
      assertThatThrownBy(kit::terminateDeletesOnlyTheNamedInstance).isInstanceOf(AssertionError.class).hasMessageContaining("the other instance");
    } finally {
      kit.terminateWhatWasBooted();
    }
  }

  @Test
  @DisplayName("a driver whose terminateEach claims an instance it left running fails the terminateEach test")
  void terminateEachTestCatchesAClaimedButSkippedInstance() {
    DriverContract kit = new DriverContract(new FakeCloud(FakeCloud.Bug.TERMINATE_EACH_SKIPS_LAST));
    try {
      assertThatThrownBy(kit::terminateEachIsHonest).isInstanceOf(AssertionError.class).hasMessageContaining("as terminateEach answered");
    } finally {
      kit.terminateWhatWasBooted();
    }
  }

  @Test
  @DisplayName("a driver whose bootEach gives every instance the same name fails the bootEach test")
  void bootEachTestCatchesAmbiguousNames() {
    DriverContract kit = new DriverContract(new FakeCloud(FakeCloud.Bug.BOOT_EACH_ONE_NAME));
    try {
      assertThatThrownBy(kit::bootEachIsHonest).isInstanceOf(AssertionError.class).hasMessageContaining("names of the instances bootEach returned");
    } finally {
      kit.terminateWhatWasBooted();
    }
  }

  @Test
  @DisplayName("a driver whose opportunisticPolicy ignores the administrators' metadata fails the policy test")
  void policyTestCatchesIgnoredMetadata() {
    DriverContract kit = new DriverContract(new FakeCloud(FakeCloud.Bug.POLICY_IGNORES_METADATA));
    try {
      assertThatThrownBy(kit::opportunisticPolicyIsHonest).isInstanceOf(AssertionError.class).hasMessageContaining("governed() with metadata set");
    } finally {
      kit.terminateWhatWasBooted();
    }
  }

  @Test
  @DisplayName("a driver whose capacity reports zero use fails the capacity test, and one that ignores its quota the quota test")
  void capacityTestsCatchZeroUsageAndAnUnenforcedQuota() {
    FakeCloud cloud = new FakeCloud(FakeCloud.Bug.ZERO_USAGE_NO_QUOTA);
    DriverContract usage = new DriverContract(cloud);
    try {
      assertThatThrownBy(usage::capacityCountsBootedInstances)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("capacity().used()");
    } finally {
      usage.terminateWhatWasBooted();
    }
    DriverContract quota = new DriverContract(new FakeCloud(FakeCloud.Bug.ZERO_USAGE_NO_QUOTA));
    try {
      assertThatThrownBy(quota::bootsBeyondTheQuotaAreRefused)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("quota of 1");
    } finally {
      quota.terminateWhatWasBooted();
    }
  }

  @Test
  @DisplayName("a provider listed only by a services file outside its own jar fails the discovery test")
  void discoveryTestCatchesAServicesFileOnlyOnTheTestClassPath(@TempDir Path elsewhere) throws IOException {
    Path file = elsewhere.resolve("META-INF/services/" + CloudDriverProvider.class.getName());
    Files.createDirectories(file.getParent());
    Files.writeString(file, UnlistedFakeProvider.class.getName() + "\n", StandardCharsets.UTF_8);
    try (URLClassLoader testClassPath =
        new URLClassLoader(new URL[] {elsewhere.toUri().toURL()}, getClass().getClassLoader())) {
      DriverContract kit = new DriverContract(new FakeCloud()) {
        @Override
        protected String providerName() {
          return "unlisted";
        }

        @Override
        protected ClassLoader pluginClassLoader() {
          return testClassPath;
        }
      };
      assertThatThrownBy(kit::providerIsDiscoverableByName)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("is listed only in")
          .hasMessageContaining("src/main/resources");
    }
  }

  @Test
  @DisplayName("a provider that does not declare its csv2-api fails the discovery test")
  void discoveryTestCatchesAnUndeclaredApiVersion() {
    DriverContract kit = new DriverContract(new FakeCloud()) {
      @Override
      protected String providerName() {
        return "undeclared";
      }
    };
    assertThatThrownBy(kit::providerIsDiscoverableByName)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("apiVersion()");
  }

  /** Nested, so surefire does not run it on its own. */
  static final class StoreContract extends StateStoreContract {
    private final StateStore store;

    StoreContract(StateStore store) {
      this.store = store;
    }

    @Override
    protected String providerName() {
      return "fake";
    }

    @Override
    protected StateStore newStore(PluginContext context) {
      return store;
    }
  }

  /** Nested, so surefire does not run it on its own. */
  static class DriverContract extends CloudDriverContract {
    private final FakeCloud cloud;

    DriverContract(FakeCloud cloud) {
      this.cloud = cloud;
    }

    @Override
    protected String providerName() {
      return "fake";
    }

    @Override
    protected CloudDriver newDriver(PluginContext context) {
      return cloud.driver(context, true);
    }

    @Override
    protected boolean limitInstanceQuota(int maxInstances) {
      cloud.instanceQuota(maxInstances);
      return true;
    }

    @Override
    protected boolean setOpportunisticMetadata(java.util.Map<String, String> pairs) {
      cloud.metadata(pairs);
      return true;
    }
  }
}

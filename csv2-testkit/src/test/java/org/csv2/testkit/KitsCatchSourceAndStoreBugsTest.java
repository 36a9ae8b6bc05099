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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.JobSnapshot;
import org.csv2.model.Lease;
import org.csv2.model.Resources;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.JobSource;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.model.StoredConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The job-source and store kits catch the bug classes the engine depends on, as {@link
 * ContractsCatchBugsTest} shows for drivers: each test runs one kit check against a deliberately
 * broken fake and expects it to fail.
 */
class KitsCatchSourceAndStoreBugsTest {

  @Test
  @DisplayName("without a bug switched on, the same fake passes every check these tests break")
  void theUnbrokenFakePasses() {
    SourceKit kit = new SourceKit();
    for (Runnable check : List.<Runnable>of(kit::retiringAWorkerLeavesTheOthers, kit::workerOfAnotherEngineIsNotListed,
        kit::workerOfThisEngineIsListed, kit::idleJobsAreListed)) {
      kit.resetBeforeEach();
      try {
        check.run();
      } finally {
        kit.closeAndCleanUp();
      }
    }
  }

  @Test
  @DisplayName("a job source whose retire drains every worker of the engine fails the retire test")
  void retireTestCatchesASourceThatRetiresEverything() {
    SourceKit kit = new SourceKit();
    kit.retireMatches = (retired) -> w -> true; // the bug: ignores which worker was asked for
    assertFails(kit, kit::retiringAWorkerLeavesTheOthers);
  }

  @Test
  @DisplayName("a job source that lists the workers of every engine fails the isolation test")
  void isolationTestCatchesAnUnfilteredWorkerListing() {
    SourceKit kit = new SourceKit();
    kit.listsForeignWorkers = true;
    assertFails(kit, kit::workerOfAnotherEngineIsNotListed);
  }

  @Test
  @DisplayName("a job source that reports a worker's size as zero fails the worker test")
  void workerTestCatchesAZeroSize() {
    SourceKit kit = new SourceKit();
    kit.reported = w -> new Worker(w.name(), w.vm(), w.group(), w.cloud(), w.instanceId(), Resources.ZERO, w.used(),
        w.runningJobs(), w.draining(), w.lastActivity());
    assertFails(kit, kit::workerOfThisEngineIsListed);
  }

  @Test
  @DisplayName("a job source that drops the jobs' requests (every job 1 core, no RAM) fails the listing test")
  void listingTestCatchesDroppedRequests() {
    SourceKit kit = new SourceKit();
    kit.job = j -> Job.builder(j.id(), j.group()).request(Resources.of(1, 0)).build();
    assertFails(kit, kit::idleJobsAreListed);
  }

  @Test
  @DisplayName("a store that grants a lease another engine still holds fails the lease test")
  void leaseTestCatchesAStolenLease() {
    ContractsCatchBugsTest.StoreContract kit = new ContractsCatchBugsTest.StoreContract(new FakeStateStore(MutableClock.start()) {
      @Override
      public Optional<Lease> tryLease(GroupName group, String owner, Instant now, Duration ttl) {
        return Optional.of(new Lease(group, owner, now.plus(ttl))); // the bug: never checks the holder
      }
    });
    kit.resetBeforeEach();
    try {
      assertThatThrownBy(kit::leasesAreExclusiveUntilExpiry).isInstanceOf(AssertionError.class).hasMessageContaining("B while A holds it");
    } finally {
      kit.closeStores();
    }
  }

  @Test
  @DisplayName("a store that accepts a stale configuration save fails the versioning test")
  void configTestCatchesALostUpdate() {
    ContractsCatchBugsTest.StoreContract kit = new ContractsCatchBugsTest.StoreContract(new FakeStateStore(MutableClock.start()) {
      @Override
      public StoredConfig saveConfig(String document, long expectedVersion, String by) {
        // the bug: last writer wins, whatever version it read
        return super.saveConfig(document, config().map(StoredConfig::version).orElse(0L), by);
      }
    });
    kit.resetBeforeEach();
    try {
      assertThatThrownBy(kit::configurationIsVersioned).isInstanceOf(AssertionError.class);
    } finally {
      kit.closeStores();
    }
  }

  private static void assertFails(SourceKit kit, Runnable check) {
    kit.resetBeforeEach();
    try {
      assertThatThrownBy(check::run).isInstanceOf(AssertionError.class);
    } finally {
      kit.closeAndCleanUp();
    }
  }

  /** A job-source kit over an in-memory pool whose bugs are switched on per test. Nested: not run alone. */
  static final class SourceKit extends JobSourceContract {
    private final Object lock = new Object();
    private final List<Job> jobs = new ArrayList<>();
    private final List<Worker> workers = new ArrayList<>();
    java.util.function.Function<Worker, Predicate<Worker>> retireMatches = retired -> w -> w.name().equals(retired.name());
    boolean listsForeignWorkers;
    UnaryOperator<Worker> reported = UnaryOperator.identity();
    UnaryOperator<Job> job = UnaryOperator.identity();

    @Override
    protected Duration settleTimeout() {
      return Duration.ofMillis(300); // an in-memory pool settles at once; a bug should fail fast
    }

    @Override
    protected String providerName() {
      return "fake";
    }

    @Override
    protected JobSource newJobSource(PluginContext context) {
      return new JobSource() {
        @Override
        public JobSnapshot snapshot() {
          synchronized (lock) {
            return new JobSnapshot(
                Instant.EPOCH,
                jobs.stream().map(job).toList(),
                workers.stream()
                    .filter(w -> listsForeignWorkers || w.instanceId().equals(context.instanceId()))
                    .map(reported)
                    .toList(),
                0);
          }
        }

        @Override
        public void retire(Worker worker) {
          Predicate<Worker> hit = retireMatches.apply(worker);
          synchronized (lock) {
            workers.replaceAll(
                w -> hit.test(w)
                    ? new Worker(w.name(), w.vm(), w.group(), w.cloud(), w.instanceId(), w.total(), w.used(), w.runningJobs(), true, w.lastActivity())
                    : w);
          }
        }

        @Override
        public void forget(VmId vm) {
          synchronized (lock) {
            workers.removeIf(w -> w.vm().equals(vm));
          }
        }

        @Override
        public void close() {}
      };
    }

    @Override
    protected GroupName group() {
      return GroupName.of("atlas");
    }

    @Override
    protected void submitIdleJobs(int count, Resources request) {
      synchronized (lock) {
        for (int n = 0; n < count; n++) {
          jobs.add(Job.builder(JobId.of("schedd#" + jobs.size() + ".0"), group()).request(request).build());
        }
      }
    }

    @Override
    protected void startWorker(VmId vm, CloudName cloud, String instanceId, Resources total) {
      synchronized (lock) {
        workers.add(new Worker("slot1@" + vm, vm, group(), cloud, instanceId, total, Resources.ZERO, 0, false, Instant.EPOCH));
      }
    }

    @Override
    protected void reset() {
      synchronized (lock) {
        jobs.clear();
        workers.clear();
      }
    }
  }
}

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

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobSnapshot;
import org.csv2.model.JobState;
import org.csv2.model.Resources;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.JobSource;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.PluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link JobSource} passes. A job source's test extends it in a few lines,
 * implementing how jobs are submitted and workers started on the batch system under test:
 *
 * <pre>{@code
 * class HtCondorJobSourceContractTest extends JobSourceContract {
 *   protected JobSource newJobSource(PluginContext context) {
 *     return new HtCondorJobSourceProvider().create(TestPool.config(), context);
 *   }
 *   protected GroupName group() { return GroupName.of("atlas"); }
 *   protected void submitIdleJobs(int count, Resources request) { TestPool.submit(count, request); }
 *   protected void startWorker(VmId vm, CloudName cloud, String instanceId, Resources total) {
 *     TestPool.startStartd(vm, cloud, instanceId, total);
 *   }
 *   protected void reset() { TestPool.removeAll(); }
 * }
 * }</pre>
 *
 * <p>Every test makes its job sources through {@link #newJobSource(PluginContext)} with a fresh
 * random csv2 instance id and closes them afterwards. Changes are polled every 200 ms for at most
 * {@link #settleTimeout()}.
 */
public abstract class JobSourceContract {
  private final List<JobSource> sources = new ArrayList<>();

  /**
   * Makes a job source of the batch system under test.
   *
   * @param context the engine services, with the csv2 instance id to use
   * @return a new job source
   */
  protected abstract JobSource newJobSource(PluginContext context);

  /**
   * The provider's name, as listed by {@link JobSourceProvider#name()}.
   *
   * @return the name
   */
  protected abstract String providerName();

  /**
   * The class loader to look for the provider in, as the engine would.
   *
   * @return by default the test class's loader
   */
  protected ClassLoader pluginClassLoader() {
    return getClass().getClassLoader();
  }

  /**
   * The group the submitted jobs and started workers belong to.
   *
   * @return the group
   */
  protected abstract GroupName group();

  /**
   * Submits idle jobs of {@link #group()} that stay idle (nothing matches them) until {@link
   * #reset()} or {@link #cleanUp()}.
   *
   * @param count how many
   * @param request what each job requests
   */
  protected abstract void submitIdleJobs(int count, Resources request);

  /**
   * Starts (or advertises) a worker of {@link #group()} that claims the given VM, cloud and csv2
   * instance id.
   *
   * @param vm the VM name the worker claims
   * @param cloud the cloud it advertises
   * @param instanceId the csv2 instance id it advertises
   * @param total what its slots have in all
   */
  protected abstract void startWorker(VmId vm, CloudName cloud, String instanceId, Resources total);

  /** Called before each test, to remove the jobs and workers of earlier tests. */
  protected void reset() {}

  /** Called after each test (after the job sources are closed), to remove what it created. */
  protected void cleanUp() {}

  /**
   * How long to poll {@link JobSource#snapshot()} for a change to show.
   *
   * @return the timeout; 60 s by default
   */
  protected Duration settleTimeout() {
    return Duration.ofSeconds(60);
  }

  /**
   * The cloud the started workers advertise.
   *
   * @return a valid cloud name; {@code contract-cloud} by default
   */
  protected CloudName cloud() {
    return CloudName.of("contract-cloud");
  }

  /**
   * The context of a job source. Override to hand it another clock or metrics sink.
   *
   * @param instanceId the csv2 instance id
   * @return the context; by default a {@link TestPluginContext} with the system clock
   */
  protected PluginContext context(String instanceId) {
    return new TestPluginContext(Clock.systemUTC(), instanceId, "contract-job-source");
  }

  @BeforeEach
  final void resetBeforeEach() {
    reset();
  }

  @AfterEach
  final void closeAndCleanUp() {
    try {
      sources.forEach(JobSource::close);
    } finally {
      sources.clear();
      cleanUp();
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
    ProviderChecks.assertDiscoverable(JobSourceProvider.class, providerName(), pluginClassLoader());
  }

  @Test
  @DisplayName("submitted idle jobs show in the snapshot with their group and request")
  void idleJobsAreListed() {
    JobSource source = open(TestPluginContext.randomInstanceId());
    submitIdleJobs(3, Resources.of(1, 256));
    JobSnapshot snapshot =
        Await.until(
            settleTimeout(),
            "listing 3 idle 1-core 256-MiB jobs of " + group(),
            source::snapshot,
            s -> matchingIdleJobs(s) >= 3);
    assertThat(snapshot.skipped()).as("skipped ads").isNotNegative();
    assertThat(matchingIdleJobs(snapshot)).isGreaterThanOrEqualTo(3);
  }

  @Test
  @DisplayName("a started worker of this engine shows with its VM, group, cloud, instance id and size")
  void workerOfThisEngineIsListed() {
    String instanceId = TestPluginContext.randomInstanceId();
    JobSource source = open(instanceId);
    VmId vm = vmName(instanceId);
    Resources total = Resources.of(2, 2048);
    startWorker(vm, cloud(), instanceId, total);
    JobSnapshot snapshot =
        Await.until(settleTimeout(), "listing worker " + vm, source::snapshot, s -> worker(s, vm).isPresent());
    Worker w = worker(snapshot, vm).orElseThrow();
    assertThat(w.group()).as("group of %s", vm).isEqualTo(group());
    assertThat(w.cloud()).as("cloud of %s", vm).isEqualTo(cloud());
    assertThat(w.instanceId()).as("instance id of %s", vm).isEqualTo(instanceId);
    assertThat(w.total().cores()).as("cores of %s", vm).isEqualTo(total.cores());
    assertThat(w.total().ramMiB()).as("RAM of %s", vm).isEqualTo(total.ramMiB());
  }

  @Test
  @DisplayName("a worker of another engine is not listed")
  void workerOfAnotherEngineIsNotListed() {
    String ours = TestPluginContext.randomInstanceId();
    String theirs = TestPluginContext.randomInstanceId();
    JobSource source = open(ours);
    VmId ourVm = vmName(ours);
    VmId theirVm = vmName(theirs);
    startWorker(theirVm, cloud(), theirs, Resources.of(1, 1024));
    startWorker(ourVm, cloud(), ours, Resources.of(1, 1024));
    JobSnapshot snapshot =
        Await.until(settleTimeout(), "listing worker " + ourVm, source::snapshot, s -> worker(s, ourVm).isPresent());
    assertThat(snapshot.workers())
        .as("workers of engine %s", ours)
        .noneMatch(w -> w.vm().equals(theirVm) || w.instanceId().equals(theirs));
  }

  @Test
  @DisplayName("a retired worker drains or leaves the pool")
  void retiredWorkerDrainsOrLeaves() {
    String instanceId = TestPluginContext.randomInstanceId();
    JobSource source = open(instanceId);
    VmId vm = vmName(instanceId);
    startWorker(vm, cloud(), instanceId, Resources.of(1, 1024));
    Worker w = retireAndAwaitDraining(source, vm);
    assertThatCode(() -> source.retire(w)).as("retiring %s twice", vm).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("retiring a worker retires that worker only")
  void retiringAWorkerLeavesTheOthers() {
    String instanceId = TestPluginContext.randomInstanceId();
    JobSource source = open(instanceId);
    VmId retired = vmName(instanceId);
    VmId kept = vmName(instanceId);
    startWorker(retired, cloud(), instanceId, Resources.of(1, 1024));
    startWorker(kept, cloud(), instanceId, Resources.of(1, 1024));
    Await.until(settleTimeout(), "listing worker " + kept, source::snapshot, s -> worker(s, kept).isPresent());
    retireAndAwaitDraining(source, retired);
    assertThat(worker(source.snapshot(), kept))
        .as("after retire(%s), the other worker %s of the same engine", retired, kept)
        .hasValueSatisfying(x -> assertThat(x.draining()).as("%s draining", kept).isFalse());
  }

  @Test
  @DisplayName("forgetting a VM the batch system never saw is fine")
  void forgettingAnUnknownVmSucceeds() {
    String instanceId = TestPluginContext.randomInstanceId();
    JobSource source = open(instanceId);
    VmId unknown = vmName(instanceId);
    assertThatCode(() -> source.forget(unknown)).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("credentialsExpireAt() answers after a snapshot (empty when unknown or never), the same when asked again")
  void credentialsExpiryIsAnswered() {
    JobSource source = open(TestPluginContext.randomInstanceId());
    source.snapshot();
    java.util.Optional<java.time.Instant> first = source.credentialsExpireAt();
    assertThat(first).as("credentialsExpireAt() (Optional.empty() when unknown, never null)").isNotNull();
    assertThat(source.credentialsExpireAt()).as("credentialsExpireAt() asked again").isEqualTo(first);
  }

  @Test
  @DisplayName("close is idempotent")
  void closeIsIdempotent() {
    JobSource source = open(TestPluginContext.randomInstanceId());
    source.close();
    assertThatCode(source::close).as("closing twice").doesNotThrowAnyException();
  }

  /** Waits for the worker of a VM to be listed, retires it and waits for it to drain or leave. */
  private Worker retireAndAwaitDraining(JobSource source, VmId vm) {
    Worker w =
        Await.until(settleTimeout(), "listing worker " + vm, source::snapshot, s -> worker(s, vm).isPresent())
            .workers().stream()
            .filter(x -> x.vm().equals(vm))
            .findFirst()
            .orElseThrow();
    source.retire(w);
    Await.until(
        settleTimeout(),
        "draining or gone: worker " + vm,
        source::snapshot,
        s -> worker(s, vm).map(Worker::draining).orElse(true));
    return w;
  }

  private long matchingIdleJobs(JobSnapshot s) {
    return s.jobs().stream()
        .filter(j -> j.state() == JobState.IDLE && j.group().equals(group()))
        .map(Job::request)
        .filter(r -> r.cores() == 1 && r.ramMiB() == 256)
        .count();
  }

  private static Optional<Worker> worker(JobSnapshot s, VmId vm) {
    return s.workers().stream().filter(w -> w.vm().equals(vm)).findFirst();
  }

  private VmId vmName(String instanceId) {
    return VmId.of(
        group(), cloud(), instanceId, String.format("%06x", ThreadLocalRandom.current().nextInt(0x1000000)));
  }

  private JobSource open(String instanceId) {
    JobSource source = newJobSource(context(instanceId));
    sources.add(source);
    return source;
  }
}

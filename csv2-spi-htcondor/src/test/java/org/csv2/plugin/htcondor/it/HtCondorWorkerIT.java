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
package org.csv2.plugin.htcondor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.csv2.api.JobSourceException;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.JobSnapshot;
import org.csv2.model.JobState;
import org.csv2.model.UserData;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.plugin.htcondor.HtCondorJobSourceProvider;
import org.csv2.plugin.htcondor.LocalCloudDriverProvider;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Csv2Tags;
import org.csv2.spi.JobSource;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The job source and the local driver together against the real pool: a VM booted by the local
 * driver from the rendered worker template joins the pool as this engine's worker and runs the
 * group's jobs; retiring it lets its running job finish before it leaves; forgetting a killed VM
 * removes its stale ads; the job source survives a schedd restart.
 */
class HtCondorWorkerIT {
  private static final GroupName GROUP = GroupName.of("itgroup");
  private static final CloudName CLOUD = CloudName.of("local");
  private static final Duration SETTLE = Duration.ofSeconds(60);

  private final Pool pool = new Pool();
  private final String instanceId = TestPluginContext.randomInstanceId();
  private final TestPluginContext context = new TestPluginContext(Clock.systemUTC(), instanceId, CLOUD.value());
  private final JobSource source = new HtCondorJobSourceProvider().create(pool.jobSourceConfig(), context);
  private final CloudDriver driver = new LocalCloudDriverProvider().create(pool.localConfig(4), context);
  private final List<Instance> booted = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    try {
      for (Instance i : booted) {
        driver.terminate(i.id());
      }
      pool.condor("condor_on", "-schedd");
    } finally {
      pool.cleanUp();
      source.close();
      driver.close();
    }
  }

  private Instance bootWorker(String suffix) {
    VmId vm = VmId.of(GROUP, CLOUD, instanceId, suffix);
    String userData =
        Pool.workerUserData(
            Map.ofEntries(
                Map.entry("group", GROUP.value()),
                Map.entry("cloud", CLOUD.value()),
                Map.entry("flavor", "c2"),
                Map.entry("alias", ""),
                Map.entry("instance_id", instanceId),
                Map.entry("vm_name", vm.value()),
                Map.entry("condor_host", "127.0.0.1"),
                Map.entry("condor_token", "not-used-in-the-test-pool")));
    BootRequest request =
        new BootRequest(
            GROUP,
            FlavorName.of("c2"),
            "local",
            List.of(vm),
            UserData.ofText(userData),
            Map.of(Csv2Tags.INSTANCE_ID, instanceId, Csv2Tags.GROUP, GROUP.value(), Csv2Tags.CLOUD, CLOUD.value()),
            VmDefaults.NONE,
            0);
    List<Instance> instances = driver.boot(request);
    booted.addAll(instances);
    assertThat(instances).hasSize(1);
    return instances.get(0);
  }

  private Optional<Worker> worker(JobSnapshot s, VmId vm) {
    return s.workers().stream().filter(w -> w.vm().equals(vm)).findFirst();
  }

  private Worker awaitWorker(VmId vm, java.util.function.Predicate<Worker> condition, String what) {
    AtomicReference<Worker> found = new AtomicReference<>();
    Pool.await(SETTLE, what, () -> {
      Optional<Worker> w = worker(source.snapshot(), vm);
      w.filter(condition).ifPresent(found::set);
      return found.get() != null;
    });
    return found.get();
  }

  @Test
  void aTemplateWorkerRunsItsGroupsJobAndRetiringItLetsTheJobFinishFirst() {
    Instance vm = bootWorker("retire");
    Worker registered = awaitWorker(vm.name(), w -> true, "listing the worker of " + vm.name());
    assertThat(registered.group()).isEqualTo(GROUP);
    assertThat(registered.cloud()).isEqualTo(CLOUD);
    assertThat(registered.instanceId()).isEqualTo(instanceId);
    assertThat(registered.total().cores()).isEqualTo(2);
    assertThat(registered.total().ramMiB()).isEqualTo(2048);
    assertThat(registered.draining()).isFalse();
    assertThat(driver.instances()).extracting(Instance::name).contains(vm.name());

    int other = pool.submit(1, 1, 128, 5, "+Csv2Group = \"someone-else\"\n");
    int cluster = pool.submit(1, 1, 256, 20, "+Csv2Group = \"" + GROUP + "\"\n");
    Worker busy = awaitWorker(vm.name(), w -> w.runningJobs() == 1, "running the job of cluster " + cluster);
    assertThat(busy.used().cores()).isEqualTo(1);
    assertThat(busy.used().ramMiB()).isEqualTo(256);
    assertThat(source.snapshot().jobs())
        .filteredOn(j -> j.id().value().endsWith("#" + cluster + ".0"))
        .singleElement()
        .satisfies(j -> {
          assertThat(j.state()).isEqualTo(JobState.RUNNING);
          assertThat(j.group()).isEqualTo(GROUP);
        });

    // once the master ad is in the collector, retire takes the peaceful path (condor_off -peaceful);
    // the drain path of a younger worker is covered by the job source contract
    Pool.await(SETTLE, "the master ad of " + vm.name(),
        () -> pool.ads("Csv2VmName =?= \"" + vm.name() + "\"").stream().anyMatch(a -> a.path("MyType").asText().equals("DaemonMaster")));
    source.retire(busy);
    source.retire(busy);
    // while the worker is listed, the job is still running on it; when it leaves, the job is done
    Pool.await(SETTLE, "worker " + vm.name() + " gone after its job", () -> {
      Optional<Worker> w = worker(source.snapshot(), vm.name());
      if (w.isPresent()) {
        assertThat(pool.history(cluster, 0)).as("job finished while its worker is still listed").satisfiesAnyOf(
            h -> assertThat(h).isNull(), h -> assertThat(w.get().draining()).isTrue());
        return false;
      }
      return true;
    });
    JsonNode done = pool.history(cluster, 0);
    assertThat(done).as("history of cluster %s", cluster).isNotNull();
    assertThat(done.path("ExitCode").asInt(-1)).isZero();
    assertThat(done.path("NumJobStarts").asInt()).as("started once, never evicted").isEqualTo(1);
    assertThat(pool.queue(other)).as("the other group's job never ran here")
        .singleElement()
        .satisfies(j -> assertThat(j.path("JobStatus").asInt()).isEqualTo(1));
  }

  @Test
  void forgetRemovesTheAdsOfAKilledVm() {
    Instance vm = bootWorker("forget");
    String constraint = "Csv2VmName =?= \"" + vm.name() + "\"";
    Pool.await(SETTLE, "slot, startd and master ads of " + vm.name(),
        () -> pool.ads(constraint).stream().map(a -> a.path("MyType").asText()).toList().containsAll(List.of("Machine", "StartD", "DaemonMaster")));
    pool.vmKill(vm.name().value());
    assertThat(pool.ads(constraint)).as("stale ads of the killed VM").isNotEmpty();
    source.forget(vm.name());
    Pool.await(Duration.ofSeconds(10), "no ads of " + vm.name(), () -> pool.ads(constraint).isEmpty());
    assertThat(worker(source.snapshot(), vm.name())).isEmpty();
    source.forget(vm.name());
  }

  @Test
  void theJobSourceIsUnavailableWhileTheScheddIsDownAndWorksAgainAfter() {
    assertThat(source.snapshot()).isNotNull();
    pool.condor("condor_off", "-schedd");
    Pool.await(SETTLE, "condor_q failing with the schedd off", () -> {
      try {
        source.snapshot();
        return false;
      } catch (JobSourceException e) {
        assertThat(e.reason()).isEqualTo(JobSourceException.Reason.UNAVAILABLE);
        assertThat(e.getMessage()).contains("condor_q");
        return true;
      }
    });
    assertThatThrownBy(source::snapshot).isInstanceOf(JobSourceException.class);
    pool.condor("condor_on", "-schedd");
    Pool.await(SETTLE, "condor_q answering again", () -> {
      try {
        source.snapshot();
        return true;
      } catch (JobSourceException e) {
        return false;
      }
    });
    int cluster = pool.submit(1, 1, 128, 60, "+Csv2Group = \"" + GROUP + "\"\nrequirements = (TARGET.Csv2NeverMatches =?= True)\n");
    assertThat(source.snapshot().jobs()).anyMatch(j -> j.id().value().endsWith("#" + cluster + ".0") && j.state() == JobState.IDLE);
  }
}

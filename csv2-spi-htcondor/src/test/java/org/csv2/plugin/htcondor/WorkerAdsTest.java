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

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.junit.jupiter.api.Test;

/**
 * Slot ads recorded from the test pool (a worker of instance {@code manual1} configured by the
 * worker template, 4 cores and 2048 MiB, running two 1-core 256-MiB jobs; then drained).
 */
class WorkerAdsTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void aPartitionableWorkerIsOneWorkerWithItsTotalAndUse() throws Exception {
    WorkerAds.Result r = new WorkerAds("manual1").map(ClassAds.parse(Fixtures.resource("condor_status-running.json")), NOW);
    assertThat(r.skipped()).isZero();
    assertThat(r.workers()).hasSize(1);
    Worker w = r.workers().get(0);
    assertThat(w.name()).isEqualTo("manvm@127-0-0-1.ci.local");
    assertThat(w.vm()).isEqualTo(VmId.of("atlas--local--manual1--aaaaaa"));
    assertThat(w.group()).isEqualTo(GroupName.of("atlas"));
    assertThat(w.cloud()).isEqualTo(CloudName.of("local"));
    assertThat(w.instanceId()).isEqualTo("manual1");
    assertThat(w.total().cores()).isEqualTo(4);
    assertThat(w.total().ramMiB()).isEqualTo(2048);
    assertThat(w.used().cores()).isEqualTo(2);
    assertThat(w.used().ramMiB()).isEqualTo(512);
    assertThat(w.runningJobs()).isEqualTo(2);
    assertThat(w.draining()).isFalse();
    assertThat(w.free().cores()).isEqualTo(2);
    assertThat(w.lastActivity()).isAfter(Instant.parse("2020-01-01T00:00:00Z")).isBefore(NOW);
    assertThat(r.slotOf()).containsEntry("manvm@127-0-0-1.ci.local", "slot1@manvm@127-0-0-1.ci.local");
  }

  @Test
  void runningSlotsReportTheirJobsOwnerAndCpuForAccounting() throws Exception {
    String common = "\"Machine\": \"vm9.example.org\", \"Csv2Group\": \"atlas\", \"Csv2Cloud\": \"arbutus\","
        + " \"Csv2InstanceId\": \"e1\", \"Csv2VmName\": \"vm9\"";
    String ads =
        "[{\"Name\": \"slot1@vm9.example.org\", \"PartitionableSlot\": true, \"Cpus\": 4, \"Memory\": 8000,"
            + " \"TotalSlotCpus\": 8, \"TotalSlotMemory\": 16000, \"State\": \"Unclaimed\", \"Activity\": \"Idle\", " + common + "},"
            + " {\"Name\": \"slot1_1@vm9.example.org\", \"DynamicSlot\": true, \"Cpus\": 4, \"Memory\": 8000, \"State\": \"Claimed\","
            + " \"Activity\": \"Busy\", \"RemoteOwner\": \"atlasprd@submit.example.org\", \"JobId\": \"submit#12.0#1700000000\","
            + " \"TotalJobRunTime\": 1000, \"CPUsUsage\": 3.5, " + common + "}]";
    Worker w = new WorkerAds("e1").map(ClassAds.parse(ads), NOW).workers().get(0);
    assertThat(w.usage()).containsExactly(
        new org.csv2.model.SlotUsage("slot1_1@vm9.example.org#submit#12.0#1700000000", "atlasprd", 3500.0));

    String noCpu = ads.replace(" \"CPUsUsage\": 3.5,", "");
    Worker unknown = new WorkerAds("e1").map(ClassAds.parse(noCpu), NOW).workers().get(0);
    assertThat(unknown.usage()).as("a running slot without CPUsUsage: the source does not report usage").isNull();
  }

  @Test
  void aDrainedWorkerIsDraining() throws Exception {
    WorkerAds.Result r = new WorkerAds("manual1").map(ClassAds.parse(Fixtures.resource("condor_status-draining.json")), NOW);
    Worker w = r.workers().get(0);
    assertThat(w.draining()).isTrue();
    assertThat(w.runningJobs()).as("retiring jobs still run").isEqualTo(2);
    assertThat(w.free()).isEqualTo(Resources.ZERO);
  }

  @Test
  void workersOfAnotherEngineAreForeignAndCountedOncePerStartd() throws Exception {
    WorkerAds.Result r = new WorkerAds("someone-else").map(ClassAds.parse(Fixtures.resource("condor_status-running.json")), NOW);
    assertThat(r.workers()).isEmpty();
    assertThat(r.skipped()).as("three slot ads of one startd").isEqualTo(1);
  }

  @Test
  void productionAttributesAlsoIdentifyAWorker() throws Exception {
    String ad =
        "[{\"Name\": \"slot1@vm7.example.org\", \"Machine\": \"vm7.example.org\", \"PartitionableSlot\": true,"
            + " \"Cpus\": 8, \"Memory\": 16000, \"TotalSlotCpus\": 8, \"TotalSlotMemory\": 16000, \"State\": \"Unclaimed\","
            + " \"Activity\": \"Idle\", \"group_name\": \"Atlas\", \"cloud_name\": \"arbutus\", \"cs_host_id\": \"prod1\","
            + " \"EnteredCurrentActivity\": 1700000000}]";
    Worker w = new WorkerAds("prod1").map(ClassAds.parse(ad), NOW).workers().get(0);
    assertThat(w.name()).isEqualTo("vm7.example.org");
    assertThat(w.vm()).isEqualTo(VmId.of("vm7"));
    assertThat(w.group()).isEqualTo(GroupName.of("atlas"));
    assertThat(w.cloud()).isEqualTo(CloudName.of("arbutus"));
    assertThat(w.total()).isEqualTo(Resources.of(8, 16000, 0));
    assertThat(w.used()).isEqualTo(Resources.ZERO);
    assertThat(w.runningJobs()).isZero();
    assertThat(w.lastActivity()).isEqualTo(Instant.ofEpochSecond(1700000000));
  }

  @Test
  void malformedAdsAreSkippedAndCounted() throws Exception {
    String ads =
        "[{\"Name\": \"slot1@a@h\", \"PartitionableSlot\": true, \"Cpus\": \"many\", \"Csv2InstanceId\": \"e1\","
            + " \"Csv2VmName\": \"a\", \"Csv2Group\": \"g\", \"Csv2Cloud\": \"c\"},"
            + " {\"Name\": \"slot1@b@h\", \"PartitionableSlot\": true, \"Cpus\": 1, \"Csv2InstanceId\": \"e1\","
            + " \"Csv2VmName\": \"NOT A VM NAME\", \"Csv2Group\": \"g\", \"Csv2Cloud\": \"c\"},"
            + " {\"Name\": \"slot1@c@h\", \"PartitionableSlot\": true, \"Cpus\": 1, \"Csv2InstanceId\": \"e1\","
            + " \"Csv2VmName\": \"c\", \"Csv2Cloud\": \"c\"},"
            + " {\"Machine\": \"nameless\"},"
            + " {\"Name\": \"slot1@d@h\", \"PartitionableSlot\": true, \"Cpus\": 2, \"Memory\": 100, \"Csv2InstanceId\": \"e1\","
            + " \"Csv2VmName\": \"d\", \"Csv2Group\": \"g\", \"Csv2Cloud\": \"c\"}]";
    WorkerAds.Result r = new WorkerAds("e1").map(ClassAds.parse(ads), NOW);
    assertThat(r.skipped()).isEqualTo(4);
    assertThat(r.workers()).extracting(Worker::vm).containsExactly(VmId.of("d"));
    assertThat(r.workers().get(0).lastActivity()).as("no time in the ad: now").isEqualTo(NOW);
    assertThat(r.problems()).hasSize(4);
  }

  @Test
  void theStartdNameComesFromTheSlotName() {
    assertThat(WorkerAds.startdName("slot1_2@vm1@host.ci.local", "host.ci.local")).isEqualTo("vm1@host.ci.local");
    assertThat(WorkerAds.startdName("slot1@vm.example.org", "vm.example.org")).isEqualTo("vm.example.org");
    assertThat(WorkerAds.startdName("vm.example.org", "vm.example.org")).isEqualTo("vm.example.org");
  }
}

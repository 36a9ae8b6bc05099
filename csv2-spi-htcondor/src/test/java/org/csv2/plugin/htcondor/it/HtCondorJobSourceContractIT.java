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

import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.VmId;
import org.csv2.plugin.htcondor.HtCondorJobSourceProvider;
import org.csv2.spi.JobSource;
import org.csv2.spi.PluginContext;
import org.csv2.testkit.JobSourceContract;

/**
 * The job source contract against the real test pool: jobs submitted as the test user (requirements
 * that match no machine, so they stay idle) and workers started with vm-start.sh carrying the csv2
 * attributes of the given engine (a START that matches no job).
 */
class HtCondorJobSourceContractIT extends JobSourceContract {
  private final Pool pool = new Pool();

  @Override
  protected String providerName() {
    return HtCondorJobSourceProvider.NAME;
  }

  @Override
  protected JobSource newJobSource(PluginContext context) {
    return new HtCondorJobSourceProvider().create(pool.jobSourceConfig(), context);
  }

  @Override
  protected GroupName group() {
    return GroupName.of("contract");
  }

  @Override
  protected void submitIdleJobs(int count, Resources request) {
    pool.submit(
        count,
        request.cores(),
        request.ramMiB(),
        600,
        "+Csv2Group = \"" + group() + "\"\nrequirements = (TARGET.Csv2NeverMatches =?= True)\n");
  }

  @Override
  protected void startWorker(VmId vm, CloudName cloud, String instanceId, Resources total) {
    pool.vmStart(
        vm.value(),
        String.join(
            "\n",
            "NUM_CPUS = " + total.cores(),
            "MEMORY = " + total.ramMiB(),
            "NUM_SLOTS_TYPE_1 = 1",
            "SLOT_TYPE_1 = 100%",
            "SLOT_TYPE_1_PARTITIONABLE = True",
            "Csv2VmName = \"" + vm + "\"",
            "Csv2Group = \"" + group() + "\"",
            "Csv2Cloud = \"" + cloud + "\"",
            "Csv2InstanceId = \"" + instanceId + "\"",
            "STARTD_ATTRS = $(STARTD_ATTRS) Csv2VmName Csv2Group Csv2Cloud Csv2InstanceId",
            "MASTER_ATTRS = $(MASTER_ATTRS) Csv2VmName Csv2InstanceId",
            "START = (TARGET.Csv2NeverMatches =?= True)",
            "MAXJOBRETIREMENTTIME = 3600",
            ""));
  }

  @Override
  protected void reset() {
    pool.cleanUp();
  }

  @Override
  protected void cleanUp() {
    pool.cleanUp();
  }
}

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
package org.csv2.core.sim;

import java.time.Duration;
import java.util.Set;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.VmId;
import org.csv2.spi.JobSource;
import org.csv2.spi.PluginContext;
import org.csv2.testkit.JobSourceContract;

/**
 * The simulated job source passes the job source contract. Submitted jobs may only run on a cloud
 * that no worker advertises, so they stay idle as the contract requires.
 */
class SimulatedJobSourceContractTest extends JobSourceContract {
  private static final GroupName GROUP = GroupName.of("contract");
  private SimulatedWorld world = new SimulatedWorld(new VirtualClock(), 1);

  @Override
  protected void reset() {
    world = new SimulatedWorld(new VirtualClock(), 1);
  }

  @Override
  protected String providerName() {
    return SimulatedJobSourceProvider.NAME;
  }

  @Override
  protected JobSource newJobSource(PluginContext context) {
    return world.jobSourceProvider().create(new RecordConfig(SimulatedFixturesForContracts.JOB_SOURCE), context);
  }

  @Override
  protected GroupName group() {
    return GROUP;
  }

  @Override
  protected void submitIdleJobs(int count, Resources request) {
    for (int i = 0; i < count; i++) {
      world
          .pool()
          .submit(
              new WorkloadJob(Duration.ZERO, GROUP, "contract-user", request, Duration.ofHours(1), 0),
              Set.of(CloudName.of("nowhere")));
    }
  }

  @Override
  protected void startWorker(VmId vm, CloudName cloud, String instanceId, Resources total) {
    world.pool().addWorker(vm, GROUP, cloud, instanceId, total);
  }
}

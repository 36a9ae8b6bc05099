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

import java.util.EnumSet;
import java.util.Set;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.PluginContext;
import org.csv2.testkit.CloudDriverContract;
import org.csv2.testkit.DriverCapability;

/** The simulated cloud passes the cloud driver contract (no boot delay, so nothing waits). */
class SimulatedCloudContractTest extends CloudDriverContract {
  private SimulatedWorld world = new SimulatedWorld(new VirtualClock(), 1);
  private int maxInstances = 100;

  @Override
  protected String providerName() {
    return SimulatedCloudProvider.NAME;
  }

  @Override
  protected void resetCloud() {
    world = new SimulatedWorld(new VirtualClock(), 1);
    maxInstances = 100;
  }

  @Override
  protected boolean limitInstanceQuota(int max) {
    maxInstances = max;
    return true;
  }

  @Override
  protected CloudDriver newDriver(PluginContext context) {
    SimulatedCloudConfig config =
        SimulatedFixturesForContracts.CLOUD.withQuota(new SimulatedCloudConfig.Quota(1000, null, maxInstances));
    return world.cloudProvider().create(new RecordConfig(config), context);
  }

  @Override
  protected Set<DriverCapability> capabilities() {
    return EnumSet.of(DriverCapability.CAPACITY_LIMITS, DriverCapability.KEY_PAIRS);
  }
}

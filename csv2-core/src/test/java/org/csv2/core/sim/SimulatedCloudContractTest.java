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
    return EnumSet.of(DriverCapability.CAPACITY_LIMITS);
  }
}

package org.csv2.testkit;

import org.csv2.spi.CloudDriver;
import org.csv2.spi.PluginContext;

/** The kit's own proof that its CloudDriver contract passes a correct driver with every capability. */
class FakeCloudDriverContractTest extends CloudDriverContract {
  private FakeCloud cloud = new FakeCloud();

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
  protected void resetCloud() {
    cloud = new FakeCloud();
  }
}

package org.csv2.testkit;

import java.util.EnumSet;
import java.util.Set;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.PluginContext;

/** The kit's own proof that a driver without the optional capabilities passes when it says so. */
class BasicFakeCloudDriverContractTest extends CloudDriverContract {
  private FakeCloud cloud = new FakeCloud();

  @Override
  protected String providerName() {
    return "fake";
  }

  @Override
  protected CloudDriver newDriver(PluginContext context) {
    return cloud.driver(context, false);
  }

  @Override
  protected void resetCloud() {
    cloud = new FakeCloud();
  }

  @Override
  protected Set<DriverCapability> capabilities() {
    return EnumSet.noneOf(DriverCapability.class);
  }
}

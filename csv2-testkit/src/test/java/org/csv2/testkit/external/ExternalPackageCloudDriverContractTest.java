package org.csv2.testkit.external;

import org.csv2.spi.CloudDriver;
import org.csv2.spi.PluginContext;
import org.csv2.testkit.CloudDriverContract;
import org.csv2.testkit.FakeCloud;

/** The kit's tests run for a subclass in another package, as a third-party plugin's would. */
class ExternalPackageCloudDriverContractTest extends CloudDriverContract {
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
  protected void resetCloud() {
    cloud = new FakeCloud();
  }
}

package org.csv2.testkit;

import org.csv2.spi.CloudDriver;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;

/** The provider of {@link FakeCloud}'s drivers, listed in the test tree's META-INF/services. */
public final class FakeCloudDriverProvider implements CloudDriverProvider {
  @Override
  public String name() {
    return "fake";
  }

  @Override
  public String apiVersion() {
    return Csv2Api.VERSION;
  }

  @Override
  public CloudDriver create(PluginConfig config, PluginContext context) {
    return new FakeCloud().driver(context, true);
  }
}

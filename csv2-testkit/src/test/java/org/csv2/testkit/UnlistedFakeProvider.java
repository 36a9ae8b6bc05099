package org.csv2.testkit;

import org.csv2.spi.CloudDriver;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;

/**
 * A provider that no services file next to it lists: {@code ContractsCatchBugsTest} lists it from
 * another directory only, as a plugin whose services file sits in {@code src/test/resources} would
 * be.
 */
public final class UnlistedFakeProvider implements CloudDriverProvider {
  @Override
  public String name() {
    return "unlisted";
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

package org.csv2.testkit;

import org.csv2.spi.CloudDriver;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;

/** A provider written before {@code apiVersion()} existed: it does not say which csv2-api it was compiled against. */
public final class UndeclaredFakeProvider implements CloudDriverProvider {
  @Override
  public String name() {
    return "undeclared";
  }

  @Override
  public CloudDriver create(PluginConfig config, PluginContext context) {
    return new FakeCloud().driver(context, true);
  }
}

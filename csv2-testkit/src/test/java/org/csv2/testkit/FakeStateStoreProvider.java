package org.csv2.testkit;

import org.csv2.spi.Csv2Api;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;

/** The provider of {@link FakeStateStore}, listed in the test tree's META-INF/services. */
public final class FakeStateStoreProvider implements StateStoreProvider {
  @Override
  public String name() {
    return "fake";
  }

  @Override
  public String apiVersion() {
    return Csv2Api.VERSION;
  }

  @Override
  public StateStore create(PluginConfig config, PluginContext context) {
    return new FakeStateStore(MutableClock.start());
  }
}

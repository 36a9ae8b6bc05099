package org.csv2.core.store;

import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.testkit.StateStoreContract;
import org.jspecify.annotations.Nullable;

class InMemoryStateStoreContractTest extends StateStoreContract {
  private @Nullable StateStore shared;

  @Override
  protected String providerName() {
    return InMemoryStateStoreProvider.NAME;
  }

  @Override
  protected StateStore newStore(PluginContext context) {
    if (shared == null) {
      shared = new InMemoryStateStoreProvider().create(EmptyConfig.INSTANCE, context);
    }
    return shared;
  }

  @Override
  protected void reset() {
    shared = null;
  }
}

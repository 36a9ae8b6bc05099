package org.csv2.testkit;

import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;

/** The kit's own proof that its StateStore contract passes a correct store. */
class FakeStateStoreContractTest extends StateStoreContract {
  private FakeStateStore store = new FakeStateStore(MutableClock.start());

  @Override
  protected String providerName() {
    return "fake";
  }

  @Override
  protected StateStore newStore(PluginContext context) {
    return store;
  }

  @Override
  protected void reset() {
    store = new FakeStateStore(MutableClock.start());
  }
}

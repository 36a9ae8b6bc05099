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

  /** The kit's fake keeps VMs only; the contract checks that it says so. */
  @Override
  protected boolean keepsUsers() {
    return false;
  }

  /** The fake predates the operator records: it shows how a store without them skips their tests. */
  @Override
  protected boolean keepsOperatorRecords() {
    return false;
  }

  @Override
  protected void reset() {
    store = new FakeStateStore(MutableClock.start());
  }
}

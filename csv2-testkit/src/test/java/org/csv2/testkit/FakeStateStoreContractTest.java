/*
 * Copyright The csv2 Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
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
  protected boolean keepsImageRecords() {
    return false;
  }

  @Override
  protected boolean keepsUsers() {
    return false;
  }

  /** The fake predates the operator records: it shows how a store without them skips their tests. */
  @Override
  protected boolean keepsOperatorRecords() {
    return false;
  }

  /** Nor does it keep reservations. */
  @Override
  protected boolean keepsReservations() {
    return false;
  }

  /** The fake predates the usage records too. */
  @Override
  protected boolean keepsUsageRecords() {
    return false;
  }

  @Override
  protected void reset() {
    store = new FakeStateStore(MutableClock.start());
  }
}

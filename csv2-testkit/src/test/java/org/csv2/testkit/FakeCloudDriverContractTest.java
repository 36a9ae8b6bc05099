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

import org.csv2.spi.CloudDriver;
import org.csv2.spi.PluginContext;

/** The kit's own proof that its CloudDriver contract passes a correct driver with every capability. */
class FakeCloudDriverContractTest extends CloudDriverContract {
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
  protected boolean limitInstanceQuota(int maxInstances) {
    cloud.instanceQuota(maxInstances);
    return true;
  }

  @Override
  protected boolean setOpportunisticMetadata(java.util.Map<String, String> pairs) {
    cloud.metadata(pairs);
    return true;
  }

  @Override
  protected void resetCloud() {
    cloud = new FakeCloud();
  }
}

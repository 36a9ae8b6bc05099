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

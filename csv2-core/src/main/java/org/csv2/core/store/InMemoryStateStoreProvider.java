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
package org.csv2.core.store;

import java.util.List;
import java.util.TreeSet;
import org.csv2.api.ConfigurationException;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;

/**
 * Provides {@link InMemoryStateStore} under the name {@code memory}. It takes no configuration.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class InMemoryStateStoreProvider implements StateStoreProvider {
  /** The provider's name in YAML. */
  public static final String NAME = "memory";

  /** Creates the provider; cheap. */
  public InMemoryStateStoreProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String apiVersion() {
    return Csv2Api.VERSION;
  }

  @Override
  public StateStore create(PluginConfig config, PluginContext context) {
    if (!config.isEmpty()) {
      throw new ConfigurationException(
          List.of(
              config.path()
                  + ": the memory state store takes no configuration, found keys "
                  + new TreeSet<>(config.raw().keySet())
                  + "; remove them"));
    }
    return new InMemoryStateStore(context.clock());
  }
}

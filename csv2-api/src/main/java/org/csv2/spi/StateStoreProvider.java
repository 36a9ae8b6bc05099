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
package org.csv2.spi;

/**
 * The entry point of a state store, found by {@link java.util.ServiceLoader} through {@code
 * META-INF/services/org.csv2.spi.StateStoreProvider} and selected by {@link #name()} from the
 * {@code state-store:} section.
 *
 * <p><b>Thread safety:</b> stateless; may be called from any thread.
 *
 * <p><b>Lifecycle:</b> loaded once; {@link #create} is called once per engine.
 */
public interface StateStoreProvider extends PluginProvider {
  /**
   * Creates the store; migrating its schema is allowed here.
   *
   * @param config the {@code state-store.config} subtree
   * @param context the engine's services
   * @return the store
   * @throws org.csv2.api.ConfigurationException if the configuration is invalid
   * @throws org.csv2.api.StateStoreException if the store cannot be reached
   */
  StateStore create(PluginConfig config, PluginContext context);
}

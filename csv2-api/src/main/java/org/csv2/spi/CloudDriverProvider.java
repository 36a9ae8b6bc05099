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
 * The entry point of a cloud driver, found by {@link java.util.ServiceLoader} through {@code
 * META-INF/services/org.csv2.spi.CloudDriverProvider} and selected by {@link #name()} from a
 * cloud's {@code driver:} key.
 *
 * <p>A provider is cheap: a public no-argument constructor, no I/O, no static initialiser that can
 * fail. Clients are created in {@link #create(PluginConfig, PluginContext)}.
 *
 * <p><b>Thread safety:</b> stateless; may be called from any thread.
 *
 * <p><b>Lifecycle:</b> loaded once when the engine is built; {@link #create} is called once per
 * configured cloud that names it.
 */
public interface CloudDriverProvider extends PluginProvider {
  /**
   * Creates the driver of one cloud. Must not keep {@code config} or {@code context} beyond the
   * driver it returns. Should not call the cloud (the engine does that in its first cycle).
   *
   * @param config the cloud's {@code config:} subtree
   * @param context the engine's services; {@link PluginContext#name()} is the cloud's name
   * @return the driver
   * @throws org.csv2.api.ConfigurationException if the configuration is invalid, listing every
   *     problem
   */
  CloudDriver create(PluginConfig config, PluginContext context);
}

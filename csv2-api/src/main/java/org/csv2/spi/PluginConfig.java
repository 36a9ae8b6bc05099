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

import java.util.Map;

/**
 * A plugin's configuration subtree, as the engine read it from YAML with {@code ${ENV}} references
 * resolved. A plugin binds it to its own record type without depending on any YAML library.
 *
 * <p><b>Thread safety:</b> immutable; may be used from any thread.
 *
 * <p><b>Lifecycle:</b> handed to a provider's {@code create} method; the plugin binds it there and
 * need not keep it.
 */
public interface PluginConfig {
  /**
   * Binds the subtree to a record, strictly: an unknown key, a missing required value or a value
   * of the wrong type is an error. Keys are kebab-case ({@code auth-url} binds component {@code
   * authUrl}); durations accept {@code 10s}, {@code 5m}, {@code 2h}; components of type {@link
   * Secret} take strings.
   *
   * @param <T> the record type
   * @param type the record class
   * @return the bound record
   * @throws org.csv2.api.ConfigurationException listing every problem with its path
   */
  <T extends Record> T bind(Class<T> type);

  /**
   * The YAML path of this subtree, such as {@code clouds[2].config}, for messages.
   *
   * @return the path
   */
  String path();

  /**
   * The subtree as plain maps, lists and scalars.
   *
   * @return the raw values
   */
  Map<String, Object> raw();

  /**
   * Whether the subtree is empty.
   *
   * @return true when there are no keys
   */
  default boolean isEmpty() {
    return raw().isEmpty();
  }
}

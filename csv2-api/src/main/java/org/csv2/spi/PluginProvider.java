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

import org.jspecify.annotations.Nullable;

/**
 * What every provider kind has in common: the name operators write in YAML and the csv2-api
 * version the provider was compiled against.
 */
public interface PluginProvider {
  /**
   * The provider's unique name within its kind, used in YAML ({@code driver: openstack}).
   *
   * @return a name matching {@code [a-z][a-z0-9-]*}
   */
  String name();

  /**
   * The csv2-api version this provider was compiled against. Implement it as {@code return
   * Csv2Api.VERSION;}: the compiler copies the constant into your class file, so the engine learns
   * which API you built with and refuses the plugin, with a clear message, only when it is checked
   * for use and that API is not compatible (see {@link Csv2Api#compatible}).
   *
   * @return {@link Csv2Api#VERSION} as compiled into the provider, or null (the default, for
   *     providers written before this method existed) when the provider does not say; the engine
   *     then accepts it with a warning
   */
  default @Nullable String apiVersion() {
    return null;
  }
}

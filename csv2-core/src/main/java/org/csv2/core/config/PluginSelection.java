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
package org.csv2.core.config;

import java.util.Map;
import java.util.Objects;

/**
 * Which provider serves a plugin slot, and its configuration subtree (opaque to core).
 *
 * @param driver the provider's name
 * @param config its subtree, with {@code ${ENV}} references resolved
 * @param path the YAML path of the subtree, for messages
 */
public record PluginSelection(String driver, Map<String, Object> config, String path) {
  /** Validates and copies. */
  public PluginSelection {
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(path, "path");
    config = Map.copyOf(config);
  }
}

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

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;
import org.csv2.api.ConfigurationException;
import org.csv2.spi.PluginConfig;

/**
 * A plugin's configuration subtree, bound to the plugin's record type with the canonical mapper's
 * rules: kebab-case keys, unknown keys rejected, durations such as {@code 10s}, {@link
 * org.csv2.spi.Secret} components from strings, {@link java.nio.file.Path} components, nested
 * records, lists and maps. A component marked {@code @Nullable} may be absent; in {@code
 * @NullMarked} code every other component is required, except lists, sets and maps, which default
 * to empty; a primitive component is always required (use a boxed {@code @Nullable} type and a
 * default in the compact constructor for an optional number). Every problem is reported at once
 * with its full path ({@code clouds[1].config.region: ...}); a secret's value never appears in a
 * message.
 *
 * <p><b>Thread safety:</b> immutable.
 */
public final class BoundPluginConfig implements PluginConfig {
  private static final RecordBinder BINDER = new RecordBinder(ConfigMapper.MAPPER);

  private final Map<String, Object> raw;
  private final String path;

  private BoundPluginConfig(Map<String, Object> raw, String path) {
    this.raw = Map.copyOf(raw);
    this.path = Objects.requireNonNull(path, "path");
  }

  /**
   * The configuration of a plugin selection.
   *
   * @param selection the selection
   * @return its configuration
   */
  public static PluginConfig of(PluginSelection selection) {
    return new BoundPluginConfig(selection.config(), selection.path());
  }

  /**
   * A configuration from raw values.
   *
   * @param raw maps, lists and scalars
   * @param path the subtree's path, for messages
   * @return the configuration
   */
  public static PluginConfig of(Map<String, Object> raw, String path) {
    return new BoundPluginConfig(raw, path);
  }

  @Override
  public <T extends Record> T bind(Class<T> type) {
    JsonNode node = ConfigMapper.MAPPER.valueToTree(raw);
    return BINDER.bindOrThrow(node, type, path);
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public Map<String, Object> raw() {
    return raw;
  }

  /** The path only: the values may hold secrets. */
  @Override
  public String toString() {
    return "PluginConfig[" + path + ", keys=" + new java.util.TreeSet<>(raw.keySet()) + "]";
  }
}

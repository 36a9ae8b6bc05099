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

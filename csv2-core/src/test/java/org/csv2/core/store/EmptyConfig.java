package org.csv2.core.store;

import java.util.Map;
import org.csv2.spi.PluginConfig;

/** An empty plugin configuration subtree. */
enum EmptyConfig implements PluginConfig {
  INSTANCE;

  @Override
  public <T extends Record> T bind(Class<T> type) {
    throw new UnsupportedOperationException("nothing to bind");
  }

  @Override
  public String path() {
    return "state-store.config";
  }

  @Override
  public Map<String, Object> raw() {
    return Map.of();
  }
}

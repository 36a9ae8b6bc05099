package org.csv2.core.sim;

import java.util.Map;
import org.csv2.spi.PluginConfig;

/** A plugin configuration already bound to a record, for tests that do not parse YAML. */
record RecordConfig(Record value) implements PluginConfig {
  @Override
  public <T extends Record> T bind(Class<T> type) {
    return type.cast(value);
  }

  @Override
  public String path() {
    return "test.config";
  }

  @Override
  public Map<String, Object> raw() {
    return Map.of("bound", value.toString());
  }
}

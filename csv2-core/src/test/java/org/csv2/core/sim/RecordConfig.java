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

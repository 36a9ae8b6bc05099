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
package org.csv2.core;

import java.time.Clock;
import java.util.Objects;
import java.util.Map;
import org.csv2.core.engine.Rejections;
import org.csv2.spi.MetricsSink;
import org.csv2.spi.PluginContext;

/**
 * What the engine hands each plugin instance.
 *
 * @param clock the engine clock
 * @param instanceId this engine's csv2 instance id
 * @param name the configured element the plugin serves
 * @param metrics where the plugin's figures go: the engine writes them as samples each cycle
 * @param rejections where the records the plugin leaves out go: the log, the cycle report, the
 *     status
 * @param readOnly whether the engine was built for dry runs only ({@link PluginContext#readOnly()})
 */
record EnginePluginContext(
    Clock clock, String instanceId, String name, MetricsSink metrics, Rejections.Sink rejections, boolean readOnly)
    implements PluginContext {
  /** The context of an engine that acts (not read-only). */
  EnginePluginContext(Clock clock, String instanceId, String name, MetricsSink metrics, Rejections.Sink rejections) {
    this(clock, instanceId, name, metrics, rejections, false);
  }

  EnginePluginContext {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(rejections, "rejections");
  }

  @Override
  public void rejected(String record, String reason) {
    rejections.rejected(record, reason);
    metrics.count(REJECTED_METRIC, 1, Map.of());
  }

  /** The counter of rejected records, per plugin and element. */
  static final String REJECTED_METRIC = "csv2.records.rejected";
}

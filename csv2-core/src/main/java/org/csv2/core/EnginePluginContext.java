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
 */
record EnginePluginContext(
    Clock clock, String instanceId, String name, MetricsSink metrics, Rejections.Sink rejections)
    implements PluginContext {
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

package org.csv2.core;

import java.time.Clock;
import java.util.Objects;
import org.csv2.spi.MetricsSink;
import org.csv2.spi.PluginContext;

/**
 * What the engine hands each plugin instance.
 *
 * @param clock the engine clock
 * @param instanceId this engine's csv2 instance id
 * @param name the configured element the plugin serves
 * @param metrics where the plugin's figures go: the engine writes them as samples each cycle
 */
record EnginePluginContext(Clock clock, String instanceId, String name, MetricsSink metrics)
    implements PluginContext {
  EnginePluginContext {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(metrics, "metrics");
  }
}

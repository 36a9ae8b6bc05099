package org.csv2.core;

import java.time.Clock;
import java.util.Objects;
import org.csv2.spi.PluginContext;

/**
 * What the engine hands each plugin instance.
 *
 * @param clock the engine clock
 * @param instanceId this engine's csv2 instance id
 * @param name the configured element the plugin serves
 */
record EnginePluginContext(Clock clock, String instanceId, String name) implements PluginContext {
  EnginePluginContext {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(name, "name");
  }
}

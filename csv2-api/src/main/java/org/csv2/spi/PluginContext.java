package org.csv2.spi;

import java.time.Clock;

/**
 * The only door from a plugin into the engine. It deliberately offers no executor: threads belong
 * to the engine.
 *
 * <p><b>Thread safety:</b> every method may be called from any thread.
 *
 * <p><b>Lifecycle:</b> valid for the whole life of the plugin instance it was given to. New
 * services are added as default methods only.
 */
public interface PluginContext {
  /**
   * The engine's clock. Plugins read time only from it, so that simulations run in virtual time.
   *
   * @return the clock
   */
  Clock clock();

  /**
   * This csv2 engine's instance id: the tag that marks the clouds' instances and the batch
   * system's workers as this engine's.
   *
   * @return the instance id (lower-case letters, digits and dashes)
   */
  String instanceId();

  /**
   * The name of the configured element this plugin serves, such as the cloud's name, for messages.
   *
   * @return the name
   */
  String name();

  /**
   * Where to report the plugin's own figures.
   *
   * @return the sink; {@link MetricsSink#NONE} by default
   */
  default MetricsSink metrics() {
    return MetricsSink.NONE;
  }
}

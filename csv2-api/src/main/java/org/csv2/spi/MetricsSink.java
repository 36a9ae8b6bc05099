package org.csv2.spi;

import java.util.Map;

/**
 * Where a plugin reports its own figures (call latency, retries). The engine forwards them to its
 * metrics and time series.
 *
 * <p><b>Thread safety:</b> may be called from any thread.
 *
 * <p><b>Lifecycle:</b> obtained from {@link PluginContext#metrics()}; valid as long as the plugin
 * instance.
 */
public interface MetricsSink {
  /** A sink that drops everything. */
  MetricsSink NONE = new MetricsSink() {};

  /**
   * Records the current value of a gauge.
   *
   * @param name the metric name, such as {@code openstack.api.latency.ms}
   * @param value the value
   * @param labels labels such as {@code cloud=arbutus}
   */
  default void gauge(String name, double value, Map<String, String> labels) {}

  /**
   * Adds to a counter.
   *
   * @param name the metric name
   * @param delta the increment
   * @param labels labels
   */
  default void count(String name, long delta, Map<String, String> labels) {}
}

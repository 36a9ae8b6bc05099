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

  /**
   * Records one observation of a distribution, such as a duration in seconds (a histogram in a
   * Prometheus registry). The default drops it.
   *
   * @param name the distribution's name, dot-separated ({@code csv2.cycle.duration})
   * @param value the observation
   * @param labels its labels
   */
  default void record(String name, double value, Map<String, String> labels) {}
}

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
package org.csv2.examples.embedding;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.csv2.spi.MetricsSink;

/**
 * The frontend's own metrics registry (a stand-in for Micrometer or Prometheus's client): gauges
 * and counters by name and labels. The engine feeds it through {@code
 * Csv2Scheduler.builder().metrics(..)}.
 */
public final class FrontendMetrics implements MetricsSink {
  private final Map<String, Double> gauges = new ConcurrentHashMap<>();
  private final Map<String, Long> counters = new ConcurrentHashMap<>();

  @Override
  public void gauge(String name, double value, Map<String, String> labels) {
    gauges.put(key(name, labels), value);
  }

  @Override
  public void count(String name, long delta, Map<String, String> labels) {
    counters.merge(key(name, labels), delta, Long::sum);
  }

  /**
   * A gauge's last value.
   *
   * @param name the name
   * @param labels its labels
   * @return the value, or NaN when never set
   */
  public double gauge(String name, Map<String, String> labels) {
    return gauges.getOrDefault(key(name, labels), Double.NaN);
  }

  /**
   * A counter's total.
   *
   * @param name the name
   * @param labels its labels
   * @return the total, 0 when never counted
   */
  public long counter(String name, Map<String, String> labels) {
    return counters.getOrDefault(key(name, labels), 0L);
  }

  private static String key(String name, Map<String, String> labels) {
    return name + new TreeMap<>(labels);
  }
}

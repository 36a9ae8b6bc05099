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
package org.csv2.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.csv2.spi.MetricsSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link MetricsSink} on a Micrometer registry: pass it to {@code
 * Csv2Scheduler.builder().metrics(...)} and the same registry to {@code
 * Csv2Server.builder().meterRegistry(...)}, and the engine's own figures (cycle duration, cloud and
 * job-source calls by verb and outcome with their duration) and the plugins' figures appear on
 * {@code /metrics} beside the server's. Gauges become gauges, counts counters, records
 * distribution summaries with a histogram.
 *
 * <p>The engine's per-cycle summaries that the server exports itself, per group and cloud ({@code
 * csv2.vms}, {@code csv2.cycles}, {@code csv2.cycle.failures}), are left out here. A meter that the
 * registry refuses (the same name with other labels) is dropped with one warning.
 *
 * <p><b>Thread safety:</b> safe; meters are created once per name and labels.
 */
public final class MicrometerMetricsSink implements MetricsSink {
  private static final Logger log = LoggerFactory.getLogger(MicrometerMetricsSink.class);
  private static final Set<String> EXPORTED_BY_SERVER = Set.of("csv2.vms", "csv2.cycles", "csv2.cycle.failures");
  /** At most this many meters are made from the engine's figures (labels are bounded, but a plugin's may not be). */
  static final int MAX_METERS = 10_000;

  private final MeterRegistry registry;
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, DistributionSummary> summaries = new ConcurrentHashMap<>();
  private final Set<String> refused = ConcurrentHashMap.newKeySet();

  /**
   * Creates the sink.
   *
   * @param registry where the meters go
   */
  public MicrometerMetricsSink(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /**
   * A sink on a Prometheus registry of its own, for {@code Csv2Server.builder().engineMetrics(...)}.
   *
   * @return the sink
   */
  public static MicrometerMetricsSink prometheus() {
    return new MicrometerMetricsSink(
        new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT));
  }

  /**
   * The registry the meters go to.
   *
   * @return the registry
   */
  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void gauge(String name, double value, Map<String, String> labels) {
    AtomicLong bits = meter(gauges, name, labels, tags -> {
      AtomicLong holder = new AtomicLong();
      Gauge.builder(name, holder, h -> Double.longBitsToDouble(h.get())).tags(tags).register(registry);
      return holder;
    });
    if (bits != null) {
      bits.set(Double.doubleToLongBits(value));
    }
  }

  @Override
  public void count(String name, long delta, Map<String, String> labels) {
    Counter c = meter(counters, name, labels, tags -> Counter.builder(name).tags(tags).register(registry));
    if (c != null && delta > 0) {
      c.increment(delta);
    }
  }

  @Override
  public void record(String name, double value, Map<String, String> labels) {
    DistributionSummary d =
        meter(summaries, name, labels, tags ->
            DistributionSummary.builder(name)
                .baseUnit(name.endsWith(".duration") ? "seconds" : null)
                .publishPercentileHistogram()
                .tags(tags)
                .register(registry));
    if (d != null) {
      d.record(value);
    }
  }

  private <M> M meter(Map<String, M> meters, String name, Map<String, String> labels, java.util.function.Function<Tags, M> create) {
    if (EXPORTED_BY_SERVER.contains(name) || refused.contains(name)) {
      return null;
    }
    String key = name + new java.util.TreeMap<>(labels);
    M m = meters.get(key);
    if (m != null) {
      return m;
    }
    if (gauges.size() + counters.size() + summaries.size() >= MAX_METERS) {
      if (refused.add(name)) {
        log.warn("metrics: more than {} meters from the engine; {} is dropped", MAX_METERS, name);
      }
      return null;
    }
    Tags tags = Tags.empty();
    for (Map.Entry<String, String> e : labels.entrySet()) {
      tags = tags.and(e.getKey(), e.getValue());
    }
    Tags t = tags;
    try {
      return meters.computeIfAbsent(key, k -> create.apply(t));
    } catch (IllegalArgumentException e) {
      if (refused.add(name)) {
        log.warn("metrics: the registry refuses {} ({}); it is dropped", name, e.getMessage());
      }
      return null;
    }
  }
}

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
package org.csv2.core.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.csv2.model.Sample;
import org.csv2.spi.MetricsSink;
import org.jspecify.annotations.Nullable;

/**
 * Collects the figures plugins report through {@link org.csv2.spi.PluginContext#metrics()} and
 * hands them to the cycle, which writes them as {@link Sample}s in its batched commit.
 *
 * <p>Each sample carries the plugin's own labels plus {@code plugin} (the provider's name, such as
 * {@code openstack}) and {@code element} (the configured element it serves, such as the cloud's
 * name). A gauge is written when its value changed since it was last written; a counter is written
 * as its running total since the engine started, when it grew. Nothing reported, nothing written.
 *
 * <p><b>Thread safety:</b> sinks may be called from any thread; {@link #drain} is called by the
 * cycle thread.
 */
public final class PluginMetrics {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PluginMetrics.class);
  private final Object lock = new Object();
  private final Rejections rejections = new Rejections();
  private final Map<Key, Double> gauges = new LinkedHashMap<>();
  private final Map<Key, Double> written = new HashMap<>();
  private final Map<Key, Long> counters = new LinkedHashMap<>();
  private final Map<Key, Long> countersWritten = new HashMap<>();

  private final MetricsSink forward;

  /** Creates an empty collector. */
  public PluginMetrics() {
    this(MetricsSink.NONE);
  }

  /**
   * Creates an empty collector that also hands every figure, with its {@code plugin} and {@code
   * element} labels, to an embedder's own metrics registry.
   *
   * @param forward the embedder's sink; its failures are its own and never reach the plugin
   */
  public PluginMetrics(MetricsSink forward) {
    this.forward = Objects.requireNonNull(forward, "forward");
  }

  /**
   * The records from outside the plugins left out ({@link
   * org.csv2.spi.PluginContext#rejected}), collected beside their figures.
   *
   * @return the collector
   */
  public Rejections rejections() {
    return rejections;
  }

  /**
   * The sink of one plugin instance.
   *
   * @param plugin the provider's name
   * @param element the configured element it serves
   * @return the sink
   */
  public MetricsSink sink(String plugin, String element) {
    Objects.requireNonNull(plugin, "plugin");
    Objects.requireNonNull(element, "element");
    return new MetricsSink() {
      @Override
      public void gauge(String name, double value, Map<String, String> labels) {
        Key k = key(name, labels, plugin, element);
        if (k != null) {
          synchronized (lock) {
            gauges.put(k, value);
          }
          forward(() -> forward.gauge(k.name, value, k.labels));
        }
      }

      @Override
      public void count(String name, long delta, Map<String, String> labels) {
        Key k = key(name, labels, plugin, element);
        if (k != null) {
          synchronized (lock) {
            counters.merge(k, delta, Long::sum);
          }
          forward(() -> forward.count(k.name, delta, k.labels));
        }
      }
    };
  }

  /**
   * The sink of the engine's own figures (cycle duration, plugin calls by verb and outcome): handed
   * to the embedder's registry only, never written as samples.
   *
   * @return the sink; the embedder's failures are logged, never thrown
   */
  public MetricsSink engine() {
    return new MetricsSink() {
      @Override
      public void gauge(String name, double value, Map<String, String> labels) {
        forward(() -> forward.gauge(name, value, labels));
      }

      @Override
      public void count(String name, long delta, Map<String, String> labels) {
        forward(() -> forward.count(name, delta, labels));
      }

      @Override
      public void record(String name, double value, Map<String, String> labels) {
        forward(() -> forward.record(name, value, labels));
      }
    };
  }

  /**
   * Whether figures go anywhere besides the samples: an embedder's registry was given.
   *
   * @return false when the engine's own figures would be dropped (they need not be built)
   */
  boolean forwards() {
    return forward != MetricsSink.NONE;
  }

  private void forward(Runnable call) {
    if (forward == MetricsSink.NONE) {
      return;
    }
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("the embedder's metrics sink failed; the figure is still recorded by the engine", e);
    }
  }

  /**
   * The samples to write now: gauges whose value changed and counters that moved since the last
   * call. A failed write loses those points; the next change writes again.
   *
   * @param now the cycle's time
   * @return the samples, in the order the figures were first reported
   */
  public List<Sample> drain(Instant now) {
    List<Sample> out = new ArrayList<>();
    synchronized (lock) {
      gauges.forEach((k, v) -> {
        if (!v.equals(written.get(k))) {
          written.put(k, v);
          out.add(new Sample(now, k.name, k.labels, v));
        }
      });
      counters.forEach((k, v) -> {
        if (!v.equals(countersWritten.get(k))) {
          countersWritten.put(k, v);
          out.add(new Sample(now, k.name, k.labels, v));
        }
      });
    }
    return out;
  }

  private static @Nullable Key key(String name, Map<String, String> labels, String plugin, String element) {
    if (name == null || name.isBlank()) {
      return null;
    }
    Map<String, String> l = new TreeMap<>();
    if (labels != null) {
      labels.forEach((k, v) -> {
        if (k != null && v != null) {
          l.put(k, v);
        }
      });
    }
    l.put("plugin", plugin);
    l.put("element", element);
    return new Key(name, Map.copyOf(l));
  }

  private record Key(String name, Map<String, String> labels) {}
}

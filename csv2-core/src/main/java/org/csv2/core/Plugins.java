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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.csv2.api.ConfigurationException;
import org.csv2.api.Csv2Exception;
import org.csv2.api.PluginException;
import org.csv2.core.config.BoundPluginConfig;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.config.JobSourceConfig;
import org.csv2.core.engine.PluginMetrics;
import org.csv2.core.plugin.PluginCatalog;
import org.csv2.model.CloudName;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.JobSource;
import org.csv2.spi.StateStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin instances of one engine, created in a fixed order (state store, job sources, then the
 * clouds in configuration order) and closed in the reverse order. A failing close is logged and
 * the others are still closed.
 *
 * <p><b>Thread safety:</b> {@link #close()} is idempotent and may be called from any thread.
 */
final class Plugins implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Plugins.class);

  private final Object lock = new Object();
  private final List<Named> created = new ArrayList<>();
  private StateStore store;
  private final Map<String, JobSource> jobSources = new LinkedHashMap<>();
  private final Map<CloudName, CloudDriver> drivers = new LinkedHashMap<>();
  private boolean closed;
  private PluginCatalog catalog;
  private Clock clock;
  private PluginMetrics metrics;
  private String instanceId;
  private boolean readOnly;

  private Plugins() {}

  /**
   * Creates every plugin. Each one is tried even when another failed; if any failed, those created
   * are closed and every failure is thrown at once ({@link #combined}).
   *
   * @param config the validated configuration
   * @param catalog the providers
   * @param clock the engine clock
   * @param metrics collects the figures the plugins report
   * @param readOnly whether the engine is built for dry runs only ({@link
   *     org.csv2.spi.PluginContext#readOnly()})
   * @return the plugins
   */
  static Plugins create(Csv2Config config, PluginCatalog catalog, Clock clock, PluginMetrics metrics, boolean readOnly) {
    Plugins p = new Plugins();
    String id = config.engine().instanceId();
    p.catalog = catalog;
    p.clock = clock;
    p.metrics = metrics;
    p.instanceId = id;
    p.readOnly = readOnly;
    // every plugin is tried, so that one run reports every plugin's problem (not one per run)
    List<RuntimeException> failures = new ArrayList<>();
    p.store =
        p.tryAdd(
            failures,
            "state store " + config.stateStore().driver(),
            () ->
                catalog
                    .stateStore(config.stateStore().driver())
                    .create(BoundPluginConfig.of(config.stateStore()), context(
                            clock, id, "state-store", config.stateStore().driver(), metrics, readOnly)));
    for (JobSourceConfig js : config.jobSources()) {
      boolean single = config.jobSources().size() == 1;
      String element = single ? "job-source" : "job-source " + js.name();
      JobSource source =
          p.tryAdd(
              failures,
              (single ? "job source " : "job source " + js.name() + " ") + "(driver " + js.plugin().driver() + ")",
              () ->
                  catalog
                      .jobSource(js.plugin().driver())
                      .create(BoundPluginConfig.of(js.plugin()), context(
                              clock, id, element, js.plugin().driver(), metrics, readOnly)));
      if (source != null) {
        p.jobSources.put(js.name(), source);
      }
    }
    for (CloudConfig cc : config.clouds()) {
      CloudName name = cc.cloud().name();
      CloudDriver d = null;
      try {
        d = p.cloudDriver(cc);
      } catch (RuntimeException e) {
        failures.add(e);
      }
      if (d != null) {
        p.drivers.put(name, d);
      }
    }
    if (!failures.isEmpty()) {
      p.close();
      throw combined(failures);
    }
    return p;
  }

  /**
   * One failure as it is; several as one exception that lists them all: a {@link
   * ConfigurationException} when any is one (the configuration must be fixed first), else a {@link
   * PluginException} of their common reason ({@code FAILED} when they differ). The others are attached as suppressed exceptions.
   */
  static RuntimeException combined(List<RuntimeException> failures) {
    if (failures.size() == 1) {
      return failures.get(0);
    }
    List<String> problems = new ArrayList<>();
    boolean config = false;
    for (RuntimeException e : failures) {
      if (e instanceof ConfigurationException c) {
        problems.addAll(c.problems());
        config = true;
      } else {
        problems.add(e.getMessage());
      }
    }
    // several plugins that fail for one reason (e.g. two clouds of an incompatible driver) keep it
    PluginException.Reason reason = null;
    for (RuntimeException e : failures) {
      PluginException.Reason r = e instanceof PluginException p ? p.reason() : PluginException.Reason.FAILED;
      reason = reason == null || reason == r ? r : PluginException.Reason.FAILED;
    }
    RuntimeException out =
        config
            ? new ConfigurationException(problems)
            : new PluginException(reason, failures.size() + " plugins failed: " + String.join("; ", problems));
    failures.forEach(out::addSuppressed);
    return out;
  }

  private <T extends AutoCloseable> @Nullable T tryAdd(List<RuntimeException> failures, String what, Supplier<T> factory) {
    try {
      return add(what, factory);
    } catch (RuntimeException e) {
      failures.add(e);
      return null;
    }
  }

  /**
   * Creates a cloud's driver, closed with the other plugins (also for a cloud a stored
   * configuration adds while the engine runs).
   *
   * @param cc the cloud
   * @return its driver
   */
  CloudDriver cloudDriver(CloudConfig cc) {
    CloudName name = cc.cloud().name();
    synchronized (lock) {
      if (closed) {
        throw new PluginException(PluginException.Reason.FAILED, "cloud " + name + ": the engine is closed");
      }
    }
    return add(
        "cloud " + name + " (driver " + cc.driver().driver() + ")",
        () ->
            catalog
                .cloudDriver(cc.driver().driver())
                .create(BoundPluginConfig.of(cc.driver()), context(
                        clock, instanceId, name.value(), cc.driver().driver(), metrics, readOnly)));
  }

  private static EnginePluginContext context(
      Clock clock, String id, String element, String plugin, PluginMetrics metrics, boolean readOnly) {
    return new EnginePluginContext(
        clock, id, element, metrics.sink(plugin, element), metrics.rejections().sink(plugin, element), readOnly);
  }

  private <T extends AutoCloseable> T add(String what, Supplier<T> factory) {
    T instance;
    try {
      instance = factory.get();
    } catch (Csv2Exception e) {
      throw e;
    } catch (RuntimeException e) {
      throw new PluginException(PluginException.Reason.FAILED, what + " failed to start: " + e, e);
    }
    if (instance == null) {
      throw new PluginException(PluginException.Reason.FAILED, what + ": its provider returned no instance");
    }
    synchronized (lock) {
      created.add(new Named(what, instance));
    }
    log.info("{} created ({})", what, instance.getClass().getName());
    return instance;
  }

  StateStore store() {
    return store;
  }

  /** The job sources, by name, in configuration order. */
  Map<String, JobSource> jobSources() {
    return Collections.unmodifiableMap(jobSources);
  }

  Map<CloudName, CloudDriver> drivers() {
    return Collections.unmodifiableMap(drivers);
  }

  @Override
  public void close() {
    List<Named> toClose;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayList<>(created);
    }
    Collections.reverse(toClose);
    for (Named n : toClose) {
      try {
        n.instance.close();
        log.info("{} closed", n.what);
      } catch (Exception e) {
        log.warn("{} failed to close; closing the others", n.what, e);
      }
    }
  }

  private record Named(String what, AutoCloseable instance) {}
}

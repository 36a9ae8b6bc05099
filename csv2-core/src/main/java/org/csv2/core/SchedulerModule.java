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

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.random.RandomGenerator;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.engine.PluginMetrics;
import org.csv2.core.engine.Reconciler;
import org.csv2.core.engine.UserDataBootComposer;
import org.csv2.core.engine.BootComposer;
import org.csv2.core.planning.Planner;
import org.csv2.model.CloudName;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.JobSource;
import org.csv2.spi.StateStore;
import jakarta.inject.Named;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.csv2.core.plugin.PluginCatalog;
import org.csv2.spi.MetricsSink;
import org.csv2.spi.PlanningPolicy;
import org.csv2.api.SchedulerListener;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The engine's bindings. It receives everything already made (configuration, clock, executor,
 * random source) through its constructor, so it is free of side effects; plugins are created by
 * the {@code Plugins} provider when the injector is built, after the configuration was validated.
 *
 * <p>Bindings:
 *
 * <ul>
 *   <li>{@code Csv2Config}, {@code Clock}, {@code ExecutorService}, {@code RandomGenerator}: the
 *       constructor's values;
 *   <li>{@code Plugins}: the state store, job source and cloud drivers, created in that order
 *       from the {@code PluginCatalog} bound by {@code PluginModule};
 *   <li>{@code MetricsSink}: the embedder's metrics registry ({@code MetricsSink.NONE} unless
 *       given), fed by {@code PluginMetrics};
 *   <li>{@code Set<SchedulerListener>} (Multibinder): listeners an embedder's module adds;
 *   <li>{@code Optional<PlanningPolicy>} (OptionalBinder): a policy an embedder's module sets,
 *       used instead of {@code engine.policy};
 *   <li>{@code BootComposer}: the user data and boot requests ({@code UserDataBootComposer});
 *   <li>{@code Function<String, Planner>}: the planner of each policy name ({@code PolicyResolver});
 *   <li>{@code StateStore}, {@code JobSource}, {@code Map<CloudName, CloudDriver>}: the plugins;
 *   <li>{@code Reconciler}: the cycle, made by its {@code @Inject} constructor from all of these.
 * </ul>
 *
 * <p>An embedder replaces any of these with its own modules ({@code
 * Csv2Scheduler.builder().modules(..)}, applied with {@code Modules.override}).
 */
final class SchedulerModule extends AbstractModule {
  private final Csv2Config config;
  private final Clock clock;
  private final ExecutorService executor;
  private final RandomGenerator random;
  private final PluginsHolder holder;
  private final String leaseOwner;
  private final @Nullable String document;
  private final Reconciler.ConfigReloader reloader;
  private final MetricsSink registry;

  /**
   * Creates the module.
   *
   * @param leaseOwner the owner id of this engine's leases (instance id plus a per-process token)
   * @param document the configuration's YAML text, or null when it was built in code
   * @param reloader parses a configuration saved in the store
   * @param registry the embedder's metrics registry, also given every plugin figure
   */
  SchedulerModule(
      Csv2Config config,
      Clock clock,
      ExecutorService executor,
      RandomGenerator random,
      PluginsHolder holder,
      String leaseOwner,
      @Nullable String document,
      Reconciler.ConfigReloader reloader,
      MetricsSink registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.leaseOwner = Objects.requireNonNull(leaseOwner, "leaseOwner");
    this.document = document;
    this.reloader = Objects.requireNonNull(reloader, "reloader");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.random = Objects.requireNonNull(random, "random");
    this.holder = Objects.requireNonNull(holder, "holder");
  }

  @Override
  protected void configure() {
    binder().requireExplicitBindings();
    binder().requireAtInjectOnConstructors();
    binder().disableCircularProxies();
    // What an embedder adds or replaces in its own modules (Csv2Scheduler.Builder.modules):
    // listeners (the notification sink) and a planning policy that replaces engine.policy.
    Multibinder.newSetBinder(binder(), SchedulerListener.class);
    OptionalBinder.newOptionalBinder(binder(), PlanningPolicy.class);
    // The cycle, made by its @Inject constructor from the bindings below; an embedder's module
    // replaces any of them (the boot composer, the planners, the clock, ...).
    bind(Reconciler.class).in(Singleton.class);
  }

  @Provides
  @Singleton
  MetricsSink metricsRegistry() {
    return registry;
  }

  @Provides
  @Singleton
  PluginMetrics pluginMetrics(MetricsSink sink) {
    return new PluginMetrics(sink);
  }

  @Provides
  @Singleton
  Csv2Config config() {
    return config;
  }

  @Provides
  @Singleton
  Clock clock() {
    return clock;
  }

  @Provides
  @Singleton
  ExecutorService executor() {
    return executor;
  }

  @Provides
  @Singleton
  RandomGenerator random() {
    return random;
  }

  @Provides
  @Singleton
  Plugins plugins(Csv2Config cfg, PluginCatalog catalog, Clock c, PluginMetrics metrics) {
    return holder.create(() -> Plugins.create(cfg, catalog, c, metrics));
  }

  @Provides
  @Singleton
  PolicyResolver policies(
      Csv2Config cfg, Clock c, PluginCatalog catalog, PluginMetrics metrics, Optional<PlanningPolicy> policy) {
    PolicyResolver policies = new PolicyResolver(catalog, c, cfg.engine().instanceId(), metrics, policy.orElse(null));
    policies.apply(cfg.engine().policy()); // an unknown or incompatible policy fails the build, not the first cycle
    return policies;
  }

  @Provides
  @Singleton
  Function<String, Planner> planners(PolicyResolver policies) {
    return policies;
  }

  @Provides
  @Singleton
  BootComposer bootComposer(Csv2Config cfg) {
    return new UserDataBootComposer(cfg.engine().instanceId());
  }

  @Provides
  @Singleton
  StateStore store(Plugins plugins) {
    return plugins.store();
  }

  @Provides
  @Singleton
  JobSource jobSource(Plugins plugins) {
    return plugins.jobSource();
  }

  @Provides
  @Singleton
  Map<CloudName, CloudDriver> drivers(Plugins plugins) {
    return plugins.drivers();
  }

  @Provides
  @Singleton
  Reconciler.ConfigReloader reloader() {
    return reloader;
  }

  @Provides
  @Named(Reconciler.NANO_TIME)
  LongSupplier nanoTime() {
    return System::nanoTime;
  }

  @Provides
  @Named(Reconciler.LEASE_OWNER)
  String leaseOwner() {
    return leaseOwner;
  }

  @Provides
  @Named(Reconciler.RUNNING_DOCUMENT)
  Optional<String> runningDocument() {
    return Optional.ofNullable(document);
  }

  /**
   * Creates the plugins at most once (Guice asks again for a failed eager singleton when another
   * binding depends on it) and lets the builder close them if a later binding fails.
   */
  static final class PluginsHolder {
    private final Object lock = new Object();
    private @org.jspecify.annotations.Nullable Plugins plugins;
    private @org.jspecify.annotations.Nullable RuntimeException failure;

    Plugins create(java.util.function.Supplier<Plugins> factory) {
      synchronized (lock) {
        if (failure != null) {
          throw failure;
        }
        if (plugins == null) {
          try {
            plugins = factory.get();
          } catch (RuntimeException e) {
            failure = e;
            throw e;
          }
        }
        return plugins;
      }
    }

    void closeIfCreated() {
      Plugins p;
      synchronized (lock) {
        p = plugins;
      }
      if (p != null) {
        p.close();
      }
    }
  }
}

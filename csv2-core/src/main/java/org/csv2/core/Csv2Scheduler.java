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

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import com.google.inject.util.Modules;
import java.util.Set;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.api.ops.Operations;
import org.csv2.api.SchedulerListener;
import org.csv2.api.SchedulerStatus;
import org.csv2.core.config.ConfigLoader;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.engine.Reconciler;
import org.csv2.core.plugin.PluginCatalog;
import org.csv2.core.plugin.PluginModule;
import org.csv2.model.Plan;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.MetricsSink;
import org.csv2.spi.PlannerProvider;
import org.csv2.spi.StateStoreProvider;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The csv2 engine, built from a configuration and the plugins on the class path.
 *
 * <pre>{@code
 * try (Scheduler s = Csv2Scheduler.builder().config(Path.of("csv2.yaml")).build()) {
 *   s.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #build()} validates the configuration, then creates the plugins in a fixed order
 * (state store, job source, clouds); no cloud is called before the first cycle. {@link #start()}
 * runs a cycle every {@code timers.cycle} on a single background thread, the one place where the
 * engine uses real time (its decisions use the engine clock). {@link #runOnce()} runs a cycle now,
 * {@link #plan()} is a dry run. {@link #close()} stops the loop, waits at most 30 s for a running
 * cycle, releases the engine's group leases and closes the plugins in reverse order.
 *
 * <p>Each scheduler owns its group leases as {@code <instance-id>@<token>}, the token made once
 * per scheduler, so that two processes with the same configuration never serve the same group;
 * a scheduler built again after a crash waits for its predecessor's leases to expire. When the
 * configuration was given as YAML text or a file, the first cycle saves that text in a state
 * store that holds none, and a document saved there later is applied at the next cycle.
 *
 * <p><b>Thread safety:</b> every method may be called from any thread; cycles never overlap.
 */
public final class Csv2Scheduler implements Scheduler {
  private static final Logger log = LoggerFactory.getLogger(Csv2Scheduler.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
  /** Makes the per-process part of lease owner ids. */
  private static final SecureRandom TOKENS = new SecureRandom();

  private final Object lock = new Object();
  private final Reconciler reconciler;
  private final Plugins plugins;
  private final ScheduledExecutorService loop;
  private final @Nullable ExecutorService ownedExecutor;
  private final Duration period;
  private final Operations operations;
  private final boolean dryRunOnly;
  private @Nullable ScheduledFuture<?> task;
  private volatile boolean closed;

  private Csv2Scheduler(
      Reconciler reconciler,
      Plugins plugins,
      ScheduledExecutorService loop,
      @Nullable ExecutorService ownedExecutor,
      Duration period,
      Operations operations,
      boolean dryRunOnly) {
    this.dryRunOnly = dryRunOnly;
    this.reconciler = reconciler;
    this.plugins = plugins;
    this.loop = loop;
    this.ownedExecutor = ownedExecutor;
    this.period = period;
    this.operations = operations;
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void start() {
    synchronized (lock) {
      checkOpen();
      checkActs();
      if (task != null) {
        return;
      }
      task = loop.scheduleWithFixedDelay(this::loopCycle, 0, period.toMillis(), TimeUnit.MILLISECONDS);
      log.info("engine {} started: a cycle every {}", reconciler.config().engine().instanceId(), period);
    }
  }

  private void loopCycle() {
    try {
      reconciler.runCycle();
    } catch (RuntimeException e) {
      log.error("cycle failed; the next one runs on schedule", e);
    }
  }

  @Override
  public CycleReport runOnce() {
    checkOpen();
    checkActs();
    return reconciler.runCycle();
  }

  @Override
  public Plan plan() {
    checkOpen();
    return reconciler.plan();
  }

  /**
   * A dry run as {@link #plan()}, returning only what could not be read or planned: a cloud whose
   * credentials are refused or that does not answer, a job source that cannot be read, a store
   * that cannot be read. {@code csv2 validate} reports these.
   *
   * @return the failures, empty when every plugin answered
   */
  public List<String> check() {
    checkOpen();
    return reconciler.dryRun().failures();
  }

  /**
   * {@link Csv2Operations} over this scheduler's state store and clock, validating with the
   * process environment and the configuration file's directory: intents stored through it are
   * carried out by whichever engine holds the group's lease at its next cycle.
   */
  @Override
  public Operations operations() {
    checkOpen();
    return operations;
  }

  @Override
  public SchedulerStatus status() {
    boolean running;
    synchronized (lock) {
      running = task != null && !closed;
    }
    return reconciler.status(running);
  }

  @Override
  public void addListener(SchedulerListener listener) {
    reconciler.addListener(listener);
  }

  @Override
  public void removeListener(SchedulerListener listener) {
    reconciler.removeListener(listener);
  }

  @Override
  public void close() {
    shutdown(true);
  }

  /**
   * Stops this engine as a crash would: no lease is released, so another engine (or this one
   * restarted) must wait for them to expire. For tests of several engines sharing a store.
   */
  void crash() {
    shutdown(false);
  }

  /**
   * The owner id of this engine's group leases: the instance id plus a token made once per
   * scheduler.
   *
   * @return the owner id
   */
  String leaseOwner() {
    return reconciler.leaseOwner();
  }

  private void shutdown(boolean releaseLeases) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (task != null) {
        task.cancel(false);
      }
    }
    loop.shutdown();
    try {
      if (!loop.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("a cycle still runs after {}; interrupting it", CLOSE_WAIT);
        loop.shutdownNow();
      }
    } catch (InterruptedException e) {
      loop.shutdownNow();
      Thread.currentThread().interrupt();
    }
    reconciler.closeImages();
    if (releaseLeases && !dryRunOnly) {
      reconciler.releaseLeases();
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
    plugins.close();
    log.info("engine {} closed", reconciler.config().engine().instanceId());
  }

  private void checkActs() {
    if (dryRunOnly) {
      throw new IllegalStateException("this scheduler was built for dry runs (Builder.dryRunOnly()): plan() only");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the scheduler is closed");
    }
  }

  /**
   * Builds a {@link Csv2Scheduler}. Give the configuration one way: {@link #config(Path)}, {@link
   * #configYaml(String)} or {@link #config(Csv2Config)}.
   */
  public static final class Builder {
    private @Nullable Csv2Config config;
    private @Nullable Path path;
    private @Nullable String yaml;
    private Clock clock = Clock.systemUTC();
    private @Nullable PluginCatalog catalog;
    private final List<CloudDriverProvider> cloudProviders = new ArrayList<>();
    private final List<JobSourceProvider> jobProviders = new ArrayList<>();
    private final List<StateStoreProvider> storeProviders = new ArrayList<>();
    private boolean dryRunOnly;
    private final List<PlannerProvider> plannerProviders = new ArrayList<>();
    private @Nullable ExecutorService executor;
    private @Nullable RandomGenerator random;
    private MetricsSink metrics = MetricsSink.NONE;
    private final List<Module> modules = new ArrayList<>();

    private Builder() {}

    /**
     * Reads the configuration from a YAML file ({@code ${ENV}} references from the environment).
     *
     * @param file the file
     * @return this builder
     */
    public Builder config(Path file) {
      this.path = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Uses an already validated configuration.
     *
     * @param configuration the configuration
     * @return this builder
     */
    public Builder config(Csv2Config configuration) {
      this.config = Objects.requireNonNull(configuration, "configuration");
      return this;
    }

    /**
     * Reads the configuration from YAML text.
     *
     * @param text the YAML
     * @return this builder
     */
    public Builder configYaml(String text) {
      this.yaml = Objects.requireNonNull(text, "text");
      return this;
    }

    /**
     * The engine clock (default: the system UTC clock). Simulations pass a virtual clock.
     *
     * @param engineClock the clock
     * @return this builder
     */
    public Builder clock(Clock engineClock) {
      this.clock = Objects.requireNonNull(engineClock, "engineClock");
      return this;
    }

    /**
     * The plugin catalog to use instead of one loaded from the class path.
     *
     * @param pluginCatalog the catalog
     * @return this builder
     */
    public Builder catalog(PluginCatalog pluginCatalog) {
      this.catalog = Objects.requireNonNull(pluginCatalog, "pluginCatalog");
      return this;
    }

    /**
     * Adds a cloud driver provider to those found on the class path.
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder addCloudDriverProvider(CloudDriverProvider provider) {
      cloudProviders.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Adds a job source provider to those found on the class path.
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder addJobSourceProvider(JobSourceProvider provider) {
      jobProviders.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Builds a scheduler for dry runs only ({@code csv2 plan}): its plugins are told so ({@link
     * org.csv2.spi.PluginContext#readOnly()}), so that the state store neither creates nor
     * migrates its database, and {@link Scheduler#start()} and {@link Scheduler#runOnce()} are
     * refused. {@link Scheduler#plan()} reads the store, the clouds and the job source as usual.
     *
     * @return this builder
     */
    public Builder dryRunOnly() {
      this.dryRunOnly = true;
      return this;
    }

    /**
     * Adds a state store provider to those found on the class path.
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder addStateStoreProvider(StateStoreProvider provider) {
      storeProviders.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Adds a planner provider to those found on the class path; {@code engine.policy} selects one
     * by name.
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder addPlannerProvider(PlannerProvider provider) {
      plannerProviders.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Where plugin calls run (default: a cached pool of daemon threads the scheduler owns and shuts
     * down). Calls to several clouds run at once (each cloud's sequence of actions on one
     * thread, its calls on another), so give it at least two threads per cloud plus one; the
     * scheduler does not shut down an executor it was given.
     *
     * @param pluginExecutor the executor
     * @return this builder
     */
    public Builder executor(ExecutorService pluginExecutor) {
      this.executor = Objects.requireNonNull(pluginExecutor, "pluginExecutor");
      return this;
    }

    /**
     * The source of VM name suffixes (default: an unseeded {@link Random}); a seeded one makes
     * simulations reproducible.
     *
     * @param names the generator
     * @return this builder
     */
    public Builder random(RandomGenerator names) {
      this.random = Objects.requireNonNull(names, "names");
      return this;
    }

    /**
     * The embedder's own metrics registry (default: none). It receives, as they happen, every
     * figure the plugins report (labelled {@code plugin} and {@code element}) and after each cycle
     * the engine's own: {@code csv2.jobs.idle}, {@code csv2.jobs.running}, {@code csv2.vms} by
     * {@code state}, {@code csv2.plan.time.ms}, and the counters {@code csv2.cycles}, {@code
     * csv2.cycle.failures} and {@code csv2.actions} by {@code kind}. Adapt it to Micrometer,
     * Prometheus or Dropwizard in a few lines. The figures are still written to the state store.
     *
     * @param registry the sink
     * @return this builder
     */
    public Builder metrics(MetricsSink registry) {
      this.metrics = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Guice modules that add to or replace the engine's bindings ({@code Modules.override}): the
     * engine {@code Clock}, the plugin {@code ExecutorService}, the {@code RandomGenerator} of VM
     * names, the {@code MetricsSink} registry, {@code SchedulerListener}s (a Multibinder: the
     * notification sink), a {@code PlanningPolicy} (an OptionalBinder: replaces {@code
     * engine.policy}), and plugins by name (MapBinders of {@code CloudDriverProvider}, {@code
     * JobSourceProvider}, {@code StateStoreProvider}, {@code PlannerProvider}). The engine's
     * injector requires explicit bindings and {@code @Inject} constructors. See docs/embedding.md.
     *
     * @param embedderModules the modules
     * @return this builder
     */
    public Builder modules(Module... embedderModules) {
      for (Module m : embedderModules) {
        modules.add(Objects.requireNonNull(m, "module"));
      }
      return this;
    }

    /**
     * Validates the configuration, creates the plugins and returns the scheduler, which has called
     * no cloud yet.
     *
     * @return the scheduler
     * @throws org.csv2.api.ConfigurationException if the configuration is invalid
     * @throws org.csv2.api.PluginException if a plugin is missing or fails to start
     * @throws IllegalStateException if the configuration was given in more than one way, or none
     */
    public Scheduler build() {
      Csv2Config cfg = resolveConfig();
      String document = resolveDocument();
      Path baseDir = path == null ? Path.of("") : baseDir(path);
      Reconciler.ConfigReloader reloader =
          stored ->
              ConfigLoader.parse(
                  stored.document(),
                  System::getenv,
                  "configuration version " + stored.version() + " in the state store",
                  baseDir);
      String leaseOwner = cfg.engine().instanceId() + "@" + HexFormat.of().toHexDigits(TOKENS.nextLong());
      PluginCatalog plugins = resolveCatalog();
      ExecutorService ex = executor;
      ExecutorService owned = null;
      if (ex == null) {
        owned = Executors.newCachedThreadPool(daemon("csv2-call-"));
        ex = owned;
      }
      RandomGenerator r = random != null ? random : new Random();
      SchedulerModule.PluginsHolder holder = new SchedulerModule.PluginsHolder(dryRunOnly);
      try {
        Module engine =
            Modules.combine(
                new PluginModule(plugins),
                new SchedulerModule(cfg, clock, ex, r, holder, leaseOwner, document, reloader, metrics));
        Injector injector =
            Guice.createInjector(Stage.PRODUCTION, modules.isEmpty() ? engine : Modules.override(engine).with(modules));
        Reconciler reconciler = injector.getInstance(Reconciler.class);
        Plugins created = injector.getInstance(Plugins.class);
        reconciler.liveClouds(created::cloudDriver); // clouds added through Operations start at the next cycle
        MetricsSink registry = injector.getInstance(MetricsSink.class);
        if (registry != MetricsSink.NONE) {
          reconciler.addListener(new EngineMetrics(registry, cfg.engine().instanceId()));
        }
        for (SchedulerListener l : injector.getInstance(Key.get(new TypeLiteral<Set<SchedulerListener>>() {}))) {
          reconciler.addListener(l);
        }
        for (String warning : cfg.warnings()) {
          log.warn("configuration: {}", warning);
        }
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(daemon("csv2-cycle-"));
        log.info(
            "engine {} built: {} cloud(s), job source(s) {}, state store {}",
            cfg.engine().instanceId(),
            cfg.clouds().size(),
            cfg.jobSources().stream().map(s -> s.name() + " (" + s.plugin().driver() + ")").toList(),
            cfg.stateStore().driver());
        // an engine built from a Csv2Config object stores no document: its operations read the one in force
        Operations operations =
            Csv2Operations.builder(created.store(), clock).baseDir(baseDir).config(reconciler::config).build();
        return new Csv2Scheduler(reconciler, created, loop, owned, cfg.engine().timers().cycle(), operations, dryRunOnly);
      } catch (CreationException | ProvisionException e) {
        holder.closeIfCreated();
        if (owned != null) {
          owned.shutdownNow();
        }
        throw unwrap(e, e instanceof CreationException c ? c.getErrorMessages() : ((ProvisionException) e).getErrorMessages());
      } catch (RuntimeException e) {
        holder.closeIfCreated();
        if (owned != null) {
          owned.shutdownNow();
        }
        throw e;
      }
    }

    private static RuntimeException unwrap(RuntimeException e, java.util.Collection<Message> messages) {
      for (Message m : messages) {
        Throwable cause = m.getCause();
        while (cause != null) {
          if (cause instanceof org.csv2.api.Csv2Exception c) {
            return c;
          }
          cause = cause.getCause();
        }
      }
      return e;
    }

    /** The configuration's original YAML text, or null when it was given as a {@link Csv2Config}. */
    private @Nullable String resolveDocument() {
      if (yaml != null) {
        return yaml;
      }
      if (path != null) {
        try {
          return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
          log.warn("configuration file {} could not be read again; it is not saved in the state store", path, e);
          return null;
        }
      }
      return null;
    }

    private static Path baseDir(Path file) {
      Path dir = file.toAbsolutePath().getParent();
      return dir == null ? Path.of("") : dir;
    }

    private Csv2Config resolveConfig() {
      int given = (config != null ? 1 : 0) + (path != null ? 1 : 0) + (yaml != null ? 1 : 0);
      if (given != 1) {
        throw new IllegalStateException(
            "give the configuration exactly once, with config(Path), configYaml(String) or config(Csv2Config); given "
                + given
                + " times");
      }
      if (config != null) {
        return config;
      }
      if (path != null) {
        return ConfigLoader.load(path);
      }
      return ConfigLoader.parse(Objects.requireNonNull(yaml), System::getenv, "configYaml");
    }

    private PluginCatalog resolveCatalog() {
      boolean extra =
          !cloudProviders.isEmpty() || !jobProviders.isEmpty() || !storeProviders.isEmpty() || !plannerProviders.isEmpty();
      if (catalog != null) {
        if (extra) {
          throw new IllegalStateException(
              "give either catalog(..) or add*Provider(..); to combine them, add the providers to the catalog's builder");
        }
        return catalog;
      }
      PluginCatalog.Builder b = PluginCatalog.builder();
      cloudProviders.forEach(b::addCloudDriverProvider);
      jobProviders.forEach(b::addJobSourceProvider);
      storeProviders.forEach(b::addStateStoreProvider);
      plannerProviders.forEach(b::addPlannerProvider);
      return b.build();
    }

    private static ThreadFactory daemon(String prefix) {
      AtomicInteger n = new AtomicInteger();
      return task -> {
        Thread t = new Thread(task, prefix + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }
  }
}

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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.csv2.api.CloudStatus;
import org.csv2.api.CycleReport;
import org.csv2.api.SchedulerListener;
import org.csv2.api.SchedulerStatus;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.planning.Planner;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import org.csv2.model.StoredConfig;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.VmState;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.JobSource;
import org.csv2.spi.StateStore;
import org.jspecify.annotations.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the engine's cycles as a list of steps, each its own class with named inputs and outputs:
 *
 * <ol start="0">
 *   <li>{@link ConfigStep configure}: a newer configuration saved in the store is applied.
 *   <li>{@link ObserveStep observe}: every cloud is read concurrently (instances and capacity
 *       every cycle, flavors and images every {@code flavor-refresh}), one call at a time per
 *       cloud, each with a deadline, behind the cloud's circuit breaker; each job source's snapshot
 *       (a group reads its own source's jobs) and the stored VMs are read.
 *   <li>{@link LeaseStep lease}: a lease is taken or renewed on every configured group (and on a
 *       removed group that still has VMs), as the lease owner (instance id plus a per-process
 *       token). The engine acts only on the groups it holds.
 *   <li>{@link ApplyIntentsStep apply intents}: the operators' stored intents on the held groups
 *       (retire, kill, manual, sysctl, retain) become record changes and actions; VMs of a removed
 *       group or cloud are retired. The intents are marked done after the record step.
 *   <li>{@link DeriveStep derive}: {@link StateDeriver} gives the leased groups' VMs their states
 *       from those observations; other groups' VMs are passed to the planner as stored, for the
 *       ledgers.
 *   <li>{@link PlanStep plan}: the configured {@link Planner} decides, from an immutable snapshot
 *       whose groups are the leased ones; actions on other groups are dropped.
 *   <li>{@link ExecuteStep execute}: adoptions and retirements on the cycle thread, then each
 *       cloud's terminations and boots as one task per cloud, all clouds at once. One failing
 *       action never stops the others.
 *   <li>{@link RecordStep record}: every other write of the cycle in one commit; the intents
 *       carried out are marked done.
 *   <li>{@link UsageStep usage}: the held groups' VM usage records are brought up to date for
 *       accounting (docs/accounting.md).
 *   <li>{@link StatusStep status}: each held group's status snapshot for operators. Listeners are
 *       told.
 * </ol>
 *
 * <p>Time comes from the injected clock; nothing sleeps. Cycles never overlap.
 *
 * <p><b>Thread safety:</b> {@link #runCycle()} and {@link #plan()} may be called from any thread
 * and are serialised; {@link #status} may be called at any time.
 */
public final class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  /**
   * How long a TERMINATED VM record is kept after its TERMINATED transition before the cycle
   * deletes it. Its history stays in the events and its accounting record stays.
   */
  public static final Duration TERMINATED_RETENTION = Duration.ofHours(24);

  private final Object cycleLock = new Object();
  private final java.time.Clock clock;
  private final StateStore store;
  private final GatewayMap gateways;
  private final ExecutorService executor;
  private final LongSupplier nanoTime;
  private final List<SchedulerListener> listeners = new CopyOnWriteArrayList<>();
  private final ConfigStep configure;
  private final ObserveStep observe;
  private final LeaseStep lease;
  private final ApplyIntentsStep applyIntents;
  private final DeriveStep derive;
  private final PlanStep planStep;
  private final ExecuteStep execute;
  private final RecordStep record;
  private final StatusStep statusStep;
  private final ReservationStep reservations;
  private final UsageStep usage;
  private final PluginMetrics metrics;
  /** Image transfers and replication (docs/images.md); null when the store keeps no image records. */
  private final org.csv2.core.images.@Nullable ImageTransfers imageTransfers;
  private final org.csv2.core.images.@Nullable ImageReplication imageReplication;
  private long cycles;
  private volatile @Nullable CycleReport lastReport;
  private volatile List<String> problems = List.of();

  /** The name of the bound {@code LongSupplier} of monotonic nanoseconds ({@code System::nanoTime}). */
  public static final String NANO_TIME = "csv2.nanoTime";

  /** The name of the bound {@code String}: this engine's lease owner. */
  public static final String LEASE_OWNER = "csv2.leaseOwner";

  /** The name of the bound {@code Optional<String>}: the YAML text the configuration came from. */
  public static final String RUNNING_DOCUMENT = "csv2.runningDocument";

  /**
   * Creates the cycle from the engine's injector: every part is a binding an embedder's module can
   * replace ({@code Csv2Scheduler.builder().modules(..)}), for instance the {@link BootComposer}.
   *
   * @param config the configuration
   * @param clock the engine clock
   * @param executor where plugin calls run
   * @param random the source of VM name suffixes
   * @param nanoTime the monotonic time of deadlines and plan timing
   * @param planners the planner of each policy name
   * @param composer composes boot requests and their user data
   * @param store the state store
   * @param jobSource the job source
   * @param drivers a driver for every configured cloud
   * @param reloader parses a configuration saved in the store
   * @param leaseOwner the owner of this engine's group leases
   * @param runningDocument the YAML text the configuration was read from, if any
   * @param metrics the figures plugins report
   */
  @Inject
  Reconciler(
      Csv2Config config,
      java.time.Clock clock,
      ExecutorService executor,
      RandomGenerator random,
      @Named(NANO_TIME) LongSupplier nanoTime,
      Function<String, Planner> planners,
      BootComposer composer,
      StateStore store,
      JobSource jobSource,
      Map<String, JobSource> jobSources,
      Map<CloudName, CloudDriver> drivers,
      ConfigReloader reloader,
      @Named(LEASE_OWNER) String leaseOwner,
      @Named(RUNNING_DOCUMENT) java.util.Optional<String> runningDocument,
      PluginMetrics metrics) {
    // an embedder's module may replace the single JobSource binding; with several, the map rules
    this(config, clock, executor, random, nanoTime, planners, composer, store,
        jobSources.size() == 1 ? Map.of(jobSources.keySet().iterator().next(), jobSource) : jobSources,
        drivers, reloader, leaseOwner, runningDocument.orElse(null), metrics);
  }

  /**
   * Creates a reconciler over already created plugins.
   *
   * @param config the configuration
   * @param clock the engine clock
   * @param executor where plugin calls run
   * @param random the source of VM name suffixes
   * @param nanoTime the monotonic time of deadlines and plan timing
   * @param planners the planner of each policy name
   * @param composer composes boot requests and their user data
   * @param store the state store
   * @param jobSource the job source
   * @param drivers a driver for every configured cloud
   * @param reloader parses a configuration saved in the store, or null to ignore stored ones
   * @param leaseOwner the owner of this engine's group leases: the instance id plus a token made
   *     once per process, so that two engines with one instance id never share a lease
   * @param runningDocument the YAML text the configuration was read from (saved in the store at
   *     the first cycle if it holds none), or null when it was built in code
   * @param metrics the figures plugins report, written as samples by each cycle
   */
  public Reconciler(
      Csv2Config config,
      java.time.Clock clock,
      ExecutorService executor,
      RandomGenerator random,
      LongSupplier nanoTime,
      Function<String, Planner> planners,
      BootComposer composer,
      StateStore store,
      JobSource jobSource,
      Map<CloudName, CloudDriver> drivers,
      @Nullable ConfigReloader reloader,
      String leaseOwner,
      @Nullable String runningDocument,
      PluginMetrics metrics) {
    this(config, clock, executor, random, nanoTime, planners, composer, store,
        Map.of(config.jobSources().get(0).name(), Objects.requireNonNull(jobSource, "jobSource")),
        drivers, reloader, leaseOwner, runningDocument, metrics);
  }

  /**
   * Creates a reconciler over already created plugins, with one job source per configured name.
   *
   * @param config the configuration
   * @param clock the engine clock
   * @param executor where plugin calls run
   * @param random the source of VM name suffixes
   * @param nanoTime the monotonic time of deadlines and plan timing
   * @param planners the planner of each policy name
   * @param composer composes boot requests and their user data
   * @param store the state store
   * @param jobSources the job sources by name ({@code job-sources[].name})
   * @param drivers a driver for every configured cloud
   * @param reloader parses a configuration saved in the store, or null to ignore stored ones
   * @param leaseOwner the owner of this engine's group leases
   * @param runningDocument the YAML text the configuration was read from, or null
   * @param metrics the figures plugins report, written as samples by each cycle
   */
  public Reconciler(
      Csv2Config config,
      java.time.Clock clock,
      ExecutorService executor,
      RandomGenerator random,
      LongSupplier nanoTime,
      Function<String, Planner> planners,
      BootComposer composer,
      StateStore store,
      Map<String, JobSource> jobSources,
      Map<CloudName, CloudDriver> drivers,
      @Nullable ConfigReloader reloader,
      String leaseOwner,
      @Nullable String runningDocument,
      PluginMetrics metrics) {
    Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    Objects.requireNonNull(leaseOwner, "leaseOwner");
    if (leaseOwner.isBlank()) {
      throw new IllegalArgumentException("lease owner must not be blank");
    }
    Objects.requireNonNull(metrics, "metrics");
    this.metrics = metrics;
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(planners, "planners");
    Objects.requireNonNull(composer, "composer");
    this.store = Objects.requireNonNull(store, "store");
    Duration timeout = config.engine().callTimeout();
    for (org.csv2.core.config.JobSourceConfig js : config.jobSources()) {
      if (!jobSources.containsKey(js.name())) {
        throw new IllegalArgumentException("no job source for " + js.name());
      }
    }
    JobSources sources = new JobSources(jobSources, executor, timeout, nanoTime);
    String instance = config.engine().instanceId();
    sources.observe(name -> callMetrics(instance, "job.source", "source", name));
    Map<CloudName, CloudGateway> g = new LinkedHashMap<>();
    for (CloudConfig cc : config.clouds()) {
      CloudDriver driver = drivers.get(cc.cloud().name());
      if (driver == null) {
        throw new IllegalArgumentException("no driver for cloud " + cc.cloud().name());
      }
      g.put(cc.cloud().name(), gateway(config, cc, driver));
    }
    this.gateways = new GatewayMap(g);
    this.configure = new ConfigStep(config, store, reloader, runningDocument, leaseOwner);
    this.observe = new ObserveStep(gateways, sources, store, nanoTime);
    this.lease = new LeaseStep(store, leaseOwner);
    this.derive = new DeriveStep(gateways.keySet());
    this.applyIntents = new ApplyIntentsStep(store, derive);
    this.planStep = new PlanStep(planners, nanoTime, derive);
    this.execute = new ExecuteStep(executor, random, composer, store, sources, gateways);
    this.record = new RecordStep(store, metrics, derive);
    this.statusStep = new StatusStep(store, gateways, sources, leaseOwner);
    this.reservations = new ReservationStep(store);
    execute.sshKeys(reservations::sshKey);
    this.usage = new UsageStep(store);
    // transfers and replication read the live gateways: clouds added while the engine runs are reached too
    java.util.function.Function<CloudName, java.util.Optional<CloudDriver>> live =
        c -> java.util.Optional.ofNullable(gateways.get(c)).map(CloudGateway::driver);
    this.imageTransfers = imageTransfers(config, clock, store, live, leaseOwner);
    this.imageReplication =
        imageTransfers == null ? null : new org.csv2.core.images.ImageReplication(store, clock, live, imageTransfers);
  }

  /**
   * Sets whether a cycle whose inputs are the last one's reuses what depends on them alone: the
   * split and derivation of the stored VMs (until the deriver's due instant), the execution's
   * working set, the removed groups and clouds found, the job counts of the figures and the VM
   * counts of the status; and renews a lease only when due. On by
   * default; tests turn it off to prove a cycle acts the same with and without (issue 19, item 3).
   *
   * @param on false to compute everything every cycle
   */
  void reuseUnchanged(boolean on) {
    derive.reuse(on);
    execute.reuse(on);
    applyIntents.reuse(on);
    record.reuse(on);
    statusStep.reuse(on);
    lease.renewWhenDue(on);
    reuseRemoved = on;
    lastRemovedStored = null;
  }

  /** How many cycles reused the last derivation (for tests). */
  long derivationsReused() {
    return derive.reused();
  }

  /** Whether {@link #removedGroups} reuses its last answer for the same stored list and configuration. */
  private boolean reuseRemoved = true;
  private @Nullable List<Vm> lastRemovedStored;
  private @Nullable Csv2Config lastRemovedCfg;
  private Set<GroupName> lastRemoved = Set.of();

  /**
   * Sets where reservation notifications go (default: the log).
   *
   * @param sink the sink
   */
  public void notifications(org.csv2.spi.NotificationSink sink) {
    reservations.notifications(Objects.requireNonNull(sink, "sink"));
  }

  /**
   * Takes the notification sink an embedder's module bound (Guice method injection; none: the log).
   *
   * @param sink the bound sink, if any
   */
  @Inject
  void boundNotifications(java.util.Optional<org.csv2.spi.NotificationSink> sink) {
    sink.ifPresent(this::notifications);
  }

  private CloudGateway gateway(Csv2Config config, CloudConfig cc, CloudDriver driver) {
    CloudGateway g = new CloudGateway(
        cc.cloud(),
        driver,
        executor,
        config.engine().callTimeout(),
        new CircuitBreaker(config.engine().breakerFailures(), config.engine().breakerOpenFor()),
        config.engine().timers().flavorRefresh(),
        nanoTime);
    g.guard().observe(callMetrics(config.engine().instanceId(), "cloud", "cloud", cc.cloud().name().value()));
    return g;
  }

  /**
   * Counts a plugin's calls ({@code csv2.cloud.calls}, {@code csv2.job.source.calls}) and records
   * their durations ({@code csv2.cloud.call.duration}, seconds) by verb and outcome, in the
   * embedder's registry.
   */
  private CallGuard.Observer callMetrics(String instance, String kind, String labelKey, String name) {
    if (!metrics.forwards()) {
      return (verb, outcome, nanos) -> {}; // no registry: nothing to build per call
    }
    org.csv2.spi.MetricsSink sink = metrics.engine();
    String calls = "csv2." + kind + ".calls";
    String duration = "csv2." + kind + ".call.duration";
    // the labels of each verb and outcome, built once (a few verbs, a few outcomes)
    Map<String, Map<String, Map<String, String>>> labelsOf = new java.util.concurrent.ConcurrentHashMap<>();
    return (verb, outcome, nanos) -> {
      Map<String, String> labels =
          labelsOf.computeIfAbsent(verb, v -> new java.util.concurrent.ConcurrentHashMap<>())
              .computeIfAbsent(outcome, o -> Map.of("instance", instance, labelKey, name, "verb", verb, "outcome", o));
      sink.count(calls, 1, labels);
      sink.record(duration, nanos / 1e9, labels);
    };
  }

  /**
   * Lets configurations stored by operators add clouds and change a cloud's driver settings (its
   * endpoint or credentials) while the engine runs: at the next cycle the new driver is created
   * with this factory and put in place (flavors and images are read again); the replaced driver is
   * closed. Without it such a version is refused and the running configuration stays.
   *
   * @param factory creates a cloud's driver (and takes care of closing it at shutdown)
   */
  public void liveClouds(Function<CloudConfig, CloudDriver> factory) {
    Objects.requireNonNull(factory, "factory");
    configure.installer(
        new ConfigStep.CloudInstaller() {
          @Override
          public CloudDriver create(CloudConfig cloud) {
            return factory.apply(cloud);
          }

          @Override
          public void install(CloudConfig cloud, CloudDriver driver) {
            CloudGateway old = gateways.install(gateway(configure.current(), cloud, driver));
            if (old != null) {
              try {
                old.driver().close();
              } catch (RuntimeException e) {
                log.warn("cloud {}: the replaced driver failed to close", cloud.cloud().name(), e);
              }
            }
          }
        });
  }

  private static org.csv2.core.images.@Nullable ImageTransfers imageTransfers(
      Csv2Config config, java.time.Clock clock, StateStore store,
      java.util.function.Function<CloudName, java.util.Optional<CloudDriver>> drivers, String owner) {
    try {
      store.transfers(true, 1);
    } catch (UnsupportedOperationException e) {
      if (!config.images().replicate().isEmpty()) {
        log.warn("images.replicate names groups, but state store {} keeps no image records: no replication", store);
      }
      return null;
    } catch (RuntimeException e) {
      log.warn("reading image transfers failed ({}); transfers start when the store answers", e.toString());
    }
    org.csv2.core.config.ImageSettings s = config.images();
    return new org.csv2.core.images.ImageTransfers(
        store, clock, owner, drivers,
        new org.csv2.core.images.ImageCache(s.cacheDirectory(), s.cacheMaxBytes()), s.parallelTransfers(), s.maxAttempts());
  }

  /**
   * The image transfer service, if the store keeps image records.
   *
   * @return the service, or empty
   */
  public java.util.Optional<org.csv2.core.images.ImageTransfers> imageTransfers() {
    return java.util.Optional.ofNullable(imageTransfers);
  }

  /** Stops the image transfers running on this engine (they are taken again at the next start). */
  public void closeImages() {
    if (imageTransfers != null) {
      imageTransfers.close();
    }
  }

  /**
   * The configuration in force.
   *
   * @return the configuration
   */
  public Csv2Config config() {
    return configure.current();
  }

  /**
   * Adds a listener.
   *
   * @param listener the listener
   */
  public void addListener(SchedulerListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Removes a listener.
   *
   * @param listener the listener
   */
  public void removeListener(SchedulerListener listener) {
    listeners.remove(listener);
  }

  /**
   * Runs one cycle: the steps in order, each one's output the next one's input.
   *
   * @return what it saw and did
   */
  public CycleReport runCycle() {
    synchronized (cycleLock) {
      long started = nanoTime.getAsLong();
      Instant now = clock.instant();
      long number = ++cycles;
      List<String> failures = new ArrayList<>();
      Csv2Config cfg = configure.refresh(failures);
      Observation obs = observe.observe(cfg, now, failures, false);
      CycleReport report;
      List<VmEvent> events = List.of();
      if (obs.stored() == null) {
        report = new CycleReport(number, now, Plan.empty(now), Duration.ZERO, 0, 0, Map.of(), failures);
      } else {
        Set<GroupName> held = lease.take(cfg, removedGroups(cfg, obs), now, failures);
        // a group whose job source was not read keeps its lease, but nothing of it is touched
        Set<GroupName> groups = acting(held, obs);
        ReservationStep.Active reserved = reservations.read(groups, now, failures);
        ApplyIntentsStep.Applied intents = applyIntents.apply(cfg, obs, groups, now, failures);
        obs = intents.observation();
        if (imageReplication != null) {
          imageReplication.cycle(cfg, obs.views(), groups, failures);
          obs = obs.withViews(imageReplication.withArrivedImages(obs.views()));
        }
        DeriveStep.Derived derived = derive.derive(cfg, obs, groups, now);
        List<Vm> live = ReservationStep.live(derived);
        PlanStep.Planned planned =
            planStep.plan(cfg, reservations.hold(obs, reserved, live, now), derived, groups, now, failures);
        if (imageReplication != null) {
          planned = new PlanStep.Planned(planned.snapshot(), imageReplication.gate(planned.plan()), planned.planNanos());
        }
        List<PlanAction> actions = new ArrayList<>();
        reserved = reservations.act(cfg, obs, live, planned.plan(), reserved, now, actions);
        Plan plan = intents.merge(new Plan(planned.plan().at(), actions, planned.plan().notes()));
        ExecuteStep.Execution ex = execute.execute(cfg, obs, derived, plan, now, failures);
        RecordStep.Recorded recorded = record.record(cfg, obs, derived, planned, ex, groups, now, failures);
        applyIntents.complete(intents, ex, recorded.committed(), now);
        if (recorded.committed()) {
          reservations.complete(reserved, ex.liveVms(), ex.events(), now, cfg.engine().timers().reservationWarning(), failures);
        }
        usage.track(cfg, obs, derived, groups, now, failures);
        statusStep.write(cfg, configure.runningVersion(), obs, plan, ex, groups, now, failures);
        events = ex.events();
        report =
            new CycleReport(
                number,
                now,
                plan,
                Duration.ofNanos(planned.planNanos()),
                recorded.idleJobs(),
                recorded.runningJobs(),
                recorded.vmsByState(),
                failures);
      }
      report = metrics.rejections().into(report);
      if (metrics.forwards()) {
        metrics.engine().record(
            "csv2.cycle.duration", (nanoTime.getAsLong() - started) / 1e9, Map.of("instance", cfg.engine().instanceId()));
      }
      lastReport = report;
      problems = List.copyOf(failures);
      notifyListeners(events, report);
      log.debug("cycle {} done: {} action(s), {} failure(s)", number, report.plan().actions().size(), failures.size());
      return report;
    }
  }

  /**
   * Plans a cycle without acting: reads the clouds (read-only verbs), the job source and the store,
   * derives and plans, but calls no mutating verb, writes nothing (no lease either) and changes no
   * engine state: circuit breakers, cached flavors, images and capacity stay as they were.
   *
   * @return the plan a cycle would carry out now
   */
  public Plan plan() {
    return dryRun().plan();
  }

  /**
   * A dry run ({@link #plan()}) with what could not be read or planned kept apart from the plan's
   * notes: a cloud or the job source that did not answer, a store that could not be read.
   *
   * @return the plan (whose notes include the failures) and the failures alone
   */
  public DryRun dryRun() {
    synchronized (cycleLock) {
      Instant now = clock.instant();
      List<String> failures = new ArrayList<>();
      Csv2Config cfg = configure.current();
      Observation obs = observe.observe(cfg, now, failures, true);
      if (obs.stored() == null) {
        return new DryRun(new Plan(now, List.of(), failures), failures);
      }
      Set<GroupName> groups = acting(lease.wouldHold(cfg, removedGroups(cfg, obs), now, failures), obs);
      DeriveStep.Derived derived = derive.derive(cfg, obs, groups, now);
      ReservationStep.Active reserved = reservations.read(groups, now, failures);
      List<Vm> live = ReservationStep.live(derived);
      Plan planned = planStep.plan(cfg, reservations.hold(obs, reserved, live, now), derived, groups, now, failures, true).plan();
      if (imageReplication != null) {
        planned = imageReplication.gate(planned); // the clouds found waiting at the last cycle
      }
      List<PlanAction> actions = new ArrayList<>();
      reservations.act(cfg, obs, live, planned, reserved, now, actions);
      Plan plan = new Plan(planned.at(), actions, planned.notes());
      if (failures.isEmpty()) {
        return new DryRun(metrics.rejections().into(plan), failures);
      }
      List<String> notes = new ArrayList<>(plan.notes());
      notes.addAll(failures);
      return new DryRun(metrics.rejections().into(new Plan(plan.at(), plan.actions(), notes)), failures);
    }
  }

  /**
   * The outcome of a dry run.
   *
   * @param plan the plan a cycle would carry out now
   * @param failures what could not be read or planned (also among the plan's notes)
   */
  public record DryRun(Plan plan, List<String> failures) {
    /** Copies. */
    public DryRun {
      failures = List.copyOf(failures);
    }
  }

  /**
   * The owner id of this engine's leases.
   *
   * @return the instance id plus this process's token
   */
  public String leaseOwner() {
    return lease.owner();
  }

  /**
   * The engine's status.
   *
   * @param running whether the background loop runs
   * @return the status
   */
  public SchedulerStatus status(boolean running) {
    CycleReport r = lastReport;
    Map<VmState, Integer> byState = r == null ? Map.of() : r.vmsByState();
    Map<CloudName, Integer> vmsPerCloud = new HashMap<>();
    List<CloudStatus> clouds = new ArrayList<>();
    List<String> p = new ArrayList<>(problems);
    p.addAll(metrics.rejections().problems());
    try {
      for (Vm vm : store.vms()) {
        if (vm.state().holdsCapacity()) {
          vmsPerCloud.merge(vm.cloud(), 1, Integer::sum);
        }
      }
    } catch (RuntimeException e) {
      p.add("state store: " + e.getMessage());
    }
    for (CloudGateway g : gateways.values()) {
      CloudStatus s = g.status(vmsPerCloud.getOrDefault(g.cloud().name(), 0));
      clouds.add(s);
      if (!s.reason().isEmpty()) {
        p.add("cloud " + s.cloud() + " " + s.breaker() + ": " + s.reason());
      }
    }
    return new SchedulerStatus(
        configure.current().engine().instanceId(),
        running,
        r == null ? 0 : r.cycle(),
        r == null ? null : r.at(),
        r == null ? 0 : r.idleJobs(),
        r == null ? 0 : r.runningJobs(),
        byState,
        clouds,
        p);
  }

  /**
   * Gives up this engine's leases (at shutdown, so another engine takes over at once).
   */
  public void releaseLeases() {
    lease.release(configure.current());
  }

  /**
   * The gateways, by cloud.
   *
   * @return the gateways
   */
  public Map<CloudName, CloudGateway> gateways() {
    return gateways;
  }

  /**
   * Groups the configuration no longer has that still have live VMs of this engine: they are
   * leased like the others, so that their VMs are retired and tracked until gone.
   */
  private Set<GroupName> removedGroups(Csv2Config cfg, Observation obs) {
    List<Vm> stored = obs.stored();
    if (stored == null) {
      return Set.of();
    }
    if (stored == lastRemovedStored && cfg == lastRemovedCfg) {
      return lastRemoved; // the same list object from the store: the same records
    }
    Set<GroupName> out = removedGroups(cfg, stored);
    if (reuseRemoved) {
      lastRemovedStored = stored;
      lastRemovedCfg = cfg;
      lastRemoved = out;
    }
    return out;
  }

  private Set<GroupName> removedGroups(Csv2Config cfg, List<Vm> stored) {
    Set<GroupName> out = null;
    GroupName last = null; // the store lists VMs by name, which starts with the group
    for (Vm vm : stored) {
      if (vm.group().equals(last) || vm.state() == VmState.TERMINATED) {
        continue;
      }
      if (cfg.group(vm.group()).isEmpty() && derive.isOurs(cfg, vm)) {
        if (out == null) {
          out = new java.util.TreeSet<>();
        }
        out.add(vm.group());
      }
      last = vm.group();
    }
    return out == null ? Set.of() : java.util.Collections.unmodifiableSet(out);
  }

  /** The held groups whose jobs were read this cycle: the ones the cycle acts on. */
  private static Set<GroupName> acting(Set<GroupName> held, Observation obs) {
    if (obs.unread().isEmpty()) {
      return held;
    }
    Set<GroupName> out = new java.util.TreeSet<>(held);
    out.removeAll(obs.unread());
    return out;
  }

  private void notifyListeners(List<VmEvent> events, CycleReport report) {
    for (SchedulerListener l : listeners) {
      try {
        for (VmEvent e : events) {
          l.vmChanged(e);
        }
        l.cycleCompleted(report);
      } catch (RuntimeException e) {
        log.warn("listener {} failed; the engine goes on", l, e);
      }
    }
  }

  // ---------------------------------------------------------------- types

  /** Parses a configuration saved in the state store. */
  @FunctionalInterface
  public interface ConfigReloader {
    /**
     * Parses and validates it.
     *
     * @param stored the stored document
     * @return the configuration
     * @throws org.csv2.api.ConfigurationException if it is invalid
     */
    Csv2Config parse(StoredConfig stored);
  }
}

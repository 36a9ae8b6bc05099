package org.csv2.core.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.csv2.api.CloudException;
import org.csv2.api.Csv2Exception;
import org.csv2.api.CloudStatus;
import org.csv2.api.CycleReport;
import org.csv2.api.JobSourceException;
import org.csv2.api.SchedulerListener;
import org.csv2.api.SchedulerStatus;
import org.csv2.api.StateStoreException;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.planning.CloudView;
import org.csv2.core.planning.Planner;
import org.csv2.core.planning.Snapshot;
import org.csv2.model.Adopt;
import org.csv2.model.Allocation;
import org.csv2.model.Boot;
import org.csv2.model.BootRequest;
import org.csv2.model.Cloud;
import org.csv2.model.CloudCapacity;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Image;
import org.csv2.model.Instance;
import org.csv2.model.JobSnapshot;
import org.csv2.model.JobState;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import org.csv2.model.Retire;
import org.csv2.model.Sample;
import org.csv2.model.StoredConfig;
import org.csv2.model.Terminate;
import org.csv2.model.Vm;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.Worker;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Csv2Tags;
import org.csv2.spi.JobSource;
import org.csv2.spi.StateStore;
import org.csv2.spi.StoreChanges;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the engine's cycles: observe, lease, derive, plan, execute, record.
 *
 * <ol>
 *   <li><b>Observe</b>: every cloud is read concurrently (instances and capacity every cycle,
 *       flavors and images every {@code flavor-refresh}), one call at a time per cloud, each with
 *       a deadline, behind the cloud's circuit breaker; the job source's snapshot and the stored
 *       VMs are read.
 *   <li><b>Lease</b>: a lease is taken or renewed on every configured group, as the lease owner
 *       (instance id plus a per-process token). The engine acts only on the groups it holds.
 *   <li><b>Derive</b>: {@link StateDeriver} gives the leased groups' VMs their states from those
 *       observations; other groups' VMs are passed to the planner as stored, for the ledgers.
 *   <li><b>Plan</b>: the configured {@link Planner} decides, from an immutable {@link Snapshot}
 *       whose groups are the leased ones; actions on other groups are dropped (a safety net: the
 *       planner acts only on {@link Snapshot#groups()}).
 *   <li><b>Execute</b>: adoptions and retirements on the cycle thread, then each cloud's
 *       terminations and boots as one task per cloud, all clouds at once. A boot's VM records are
 *       committed as REQUESTED <em>before</em> the cloud is called, so that a crash or a lost reply
 *       is healed by the next cycle (the instance is matched by name, or the record ends
 *       TERMINATED). One failing action never stops the others.
 *   <li><b>Record</b>: every other write of the cycle goes in one commit, samples included when a
 *       figure changed, plugin figures, and the deletion of records TERMINATED for longer than
 *       {@link #TERMINATED_RETENTION}; a cycle that changed nothing writes nothing. Listeners are
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
  private static final String SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final int SUFFIX_LENGTH = 10;

  /**
   * How long a TERMINATED VM record is kept after its TERMINATED transition before the cycle
   * deletes it. Its history stays in the events and its accounting record stays.
   */
  public static final Duration TERMINATED_RETENTION = Duration.ofHours(24);

  /** A VM still not gone after this many terminate calls (and every multiple) is logged at WARN. */
  static final int TERMINATE_WARN_EVERY = 10;

  private final Object cycleLock = new Object();
  private final java.time.Clock clock;
  private final ExecutorService executor;
  private final String leaseOwner;
  private final @Nullable String runningDocument;
  private final PluginMetrics metrics;
  private boolean configSeedChecked;
  private final RandomGenerator random;
  private final LongSupplier nanoTime;
  private final Function<String, Planner> planners;
  private final BootComposer composer;
  private final StateStore store;
  private final JobSource jobSource;
  private final CallGuard jobGuard;
  private final Map<CloudName, CloudGateway> gateways;
  private final @Nullable ConfigReloader reloader;
  private final List<SchedulerListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Csv2Config config;
  private long appliedConfigVersion;
  private long cycles;
  private volatile @Nullable CycleReport lastReport;
  private volatile List<String> problems = List.of();
  private Map<String, Double> lastFigures = Map.of();
  /**
   * When the TERMINATED records must next be looked at for deletion: the earliest end of retention
   * among those seen at the last look (a record that ends later ends its retention later still),
   * or null to look in the next cycle.
   */
  private @Nullable Instant nextRetentionScan;
  /** The last cycle's indexed observations, reused for what is unchanged. */
  private StateDeriver.@Nullable Observed lastObserved;
  /** The groups held at the last look at the TERMINATED records. */
  private Set<GroupName> retentionGroups = Set.of();

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
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.leaseOwner = Objects.requireNonNull(leaseOwner, "leaseOwner");
    if (leaseOwner.isBlank()) {
      throw new IllegalArgumentException("lease owner must not be blank");
    }
    this.runningDocument = runningDocument;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.random = Objects.requireNonNull(random, "random");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.planners = Objects.requireNonNull(planners, "planners");
    this.composer = Objects.requireNonNull(composer, "composer");
    this.store = Objects.requireNonNull(store, "store");
    this.jobSource = Objects.requireNonNull(jobSource, "jobSource");
    this.reloader = reloader;
    Duration timeout = config.engine().callTimeout();
    this.jobGuard =
        new CallGuard(
            "job source " + config.jobSource().driver(),
            executor,
            timeout,
            nanoTime,
            m -> new JobSourceException(JobSourceException.Reason.UNAVAILABLE, m));
    Map<CloudName, CloudGateway> g = new LinkedHashMap<>();
    for (CloudConfig cc : config.clouds()) {
      CloudDriver driver = drivers.get(cc.cloud().name());
      if (driver == null) {
        throw new IllegalArgumentException("no driver for cloud " + cc.cloud().name());
      }
      g.put(
          cc.cloud().name(),
          new CloudGateway(
              cc.cloud(),
              driver,
              executor,
              timeout,
              new CircuitBreaker(config.engine().breakerFailures(), config.engine().breakerOpenFor()),
              config.engine().timers().flavorRefresh(),
              nanoTime));
    }
    this.gateways = Collections.unmodifiableMap(g);
    this.appliedConfigVersion = reloader == null ? 0 : storedConfigVersion();
  }

  /**
   * The configuration in force.
   *
   * @return the configuration
   */
  public Csv2Config config() {
    return config;
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
   * Runs one cycle.
   *
   * @return what it saw and did
   */
  public CycleReport runCycle() {
    synchronized (cycleLock) {
      Instant now = clock.instant();
      long number = ++cycles;
      List<String> failures = new ArrayList<>();
      seedStoredConfig(failures);
      reloadConfig(failures);
      Csv2Config cfg = config;
      Observation obs = observe(cfg, now, failures, false);
      Map<VmState, Integer> byState;
      Plan plan = Plan.empty(now);
      long planNanos = 0;
      List<VmEvent> events = List.of();
      int idle = 0;
      int running = 0;
      if (obs.stored == null) {
        byState = Map.of();
      } else {
        Set<GroupName> groups = leaseGroups(cfg, now, failures);
        StoredVms split = split(cfg, obs.stored, groups);
        StateDeriver.Derivation d = derive(cfg, obs, split, now);
        Snapshot snapshot = snapshot(cfg, obs, d, split, groups, now);
        long t0 = nanoTime.getAsLong();
        plan = ownedOnly(planOf(cfg, snapshot, failures), snapshot, groups);
        planNanos = nanoTime.getAsLong() - t0;
        Execution ex = new Execution(cfg, obs, split, d, now, failures);
        ex.run(plan);
        int[] jobCounts = new int[2];
        Map<String, Double> figures = figures(cfg, snapshot, ex.liveVms(), jobCounts);
        idle = jobCounts[0];
        running = jobCounts[1];
        List<Sample> samples = new ArrayList<>();
        if (obs.jobs != null && !figures.equals(lastFigures)) {
          samples.addAll(samples(figures, planNanos, now));
        }
        boolean figuresWritten = !samples.isEmpty();
        samples.addAll(metrics.drain(now));
        if (ex.commit(samples, groups) && figuresWritten) {
          lastFigures = figures;
        }
        events = ex.events;
        byState = ex.countByState();
      }
      CycleReport report =
          new CycleReport(
              number, now, plan, Duration.ofNanos(planNanos), idle, running, byState, failures);
      lastReport = report;
      problems = List.copyOf(failures);
      notifyListeners(events, report);
      log.debug("cycle {} done: {} action(s), {} failure(s)", number, plan.actions().size(), failures.size());
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
    synchronized (cycleLock) {
      Instant now = clock.instant();
      List<String> failures = new ArrayList<>();
      Csv2Config cfg = config;
      Observation obs = observe(cfg, now, failures, true);
      if (obs.stored == null) {
        return new Plan(now, List.of(), failures);
      }
      Set<GroupName> groups = new HashSet<>();
      List<org.csv2.model.Lease> leases = List.of();
      try {
        leases = store.leases();
      } catch (RuntimeException e) {
        failures.add("state store: leases not read: " + e.getMessage());
      }
      for (Group g : cfg.groups()) {
        boolean other =
            leases.stream()
                .anyMatch(
                    l ->
                        l.group().equals(g.name())
                            && !l.owner().equals(leaseOwner)
                            && l.expires().isAfter(now));
        if (!other) {
          groups.add(g.name());
        }
      }
      StoredVms split = split(cfg, obs.stored, groups);
      StateDeriver.Derivation d = derive(cfg, obs, split, now);
      Snapshot snapshot = snapshot(cfg, obs, d, split, groups, now);
      Plan plan = ownedOnly(planOf(cfg, snapshot, failures), snapshot, groups);
      if (failures.isEmpty()) {
        return plan;
      }
      List<String> notes = new ArrayList<>(plan.notes());
      notes.addAll(failures);
      return new Plan(plan.at(), plan.actions(), notes);
    }
  }

  /**
   * The owner id of this engine's leases.
   *
   * @return the instance id plus this process's token
   */
  public String leaseOwner() {
    return leaseOwner;
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
        config.engine().instanceId(),
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
    for (Group g : config.groups()) {
      try {
        store.releaseLease(g.name(), leaseOwner);
      } catch (RuntimeException e) {
        log.warn("lease on group {} not released", g.name(), e);
      }
    }
  }

  /**
   * The gateways, by cloud.
   *
   * @return the gateways
   */
  public Map<CloudName, CloudGateway> gateways() {
    return gateways;
  }

  // ---------------------------------------------------------------- observe

  /**
   * Reads the clouds, the job source and the store. A dry run reads the same things but changes
   * no engine state: breakers are only looked at, failures and successes are not recorded and the
   * caches of flavors, images and capacity are not refreshed.
   */
  private Observation observe(Csv2Config cfg, Instant now, List<String> failures, boolean dryRun) {
    Map<CloudName, CloudGateway> allowed = new LinkedHashMap<>();
    Map<CloudName, String> refused = new HashMap<>();
    for (CloudGateway g : gateways.values()) {
      if (dryRun ? g.breaker().wouldAllow(now) : g.breaker().allows(now)) {
        allowed.put(g.cloud().name(), g);
      } else {
        CircuitBreaker.View v = g.breaker().view();
        refused.put(g.cloud().name(), "circuit breaker open until " + v.retryAt() + ": " + v.reason());
      }
    }
    JobSnapshotCall jobsCall = new JobSnapshotCall(jobGuard.start("snapshot()", jobSource::snapshot));
    Map<CloudName, List<Instance>> instances =
        phase(allowed, "instances()", CloudDriver::instances, now, failures, dryRun);
    Map<CloudName, CloudCapacity> capacity =
        phase(only(allowed, instances.keySet()), "capacity()", CloudDriver::capacity, now, failures, dryRun);
    // the administrators' policy: a failed read keeps the last one read (and counts as the cloud's failure)
    Map<CloudName, org.csv2.model.OpportunisticPolicy> policies =
        phase(only(allowed, capacity.keySet()), "opportunisticPolicy()", CloudDriver::opportunisticPolicy, now, failures, dryRun);
    Map<CloudName, CloudGateway> stale = new LinkedHashMap<>();
    only(allowed, capacity.keySet()).forEach((n, g) -> {
      if (g.catalogStale(now)) {
        stale.put(n, g);
      }
    });
    Map<CloudName, List<Flavor>> flavors = phase(stale, "flavors()", CloudDriver::flavors, now, failures, dryRun);
    Map<CloudName, List<Image>> images =
        phase(only(stale, flavors.keySet()), "images()", CloudDriver::images, now, failures, dryRun);
    Map<CloudName, CloudView> views = new LinkedHashMap<>();
    for (CloudGateway g : gateways.values()) {
      CloudName n = g.cloud().name();
      boolean ok = capacity.containsKey(n) && (!stale.containsKey(n) || images.containsKey(n));
      boolean fresh = ok && stale.containsKey(n);
      if (policies.containsKey(n) && !dryRun) {
        g.policyRead(policies.get(n));
      }
      if (ok && !dryRun) {
        g.capacityRead(capacity.get(n));
        if (fresh) {
          g.catalogRead(flavors.get(n), images.get(n), now);
        }
        g.breaker().succeeded();
      } else if (refused.containsKey(n)) {
        failures.add("cloud " + n + ": not read, " + refused.get(n));
      }
      Cloud effective = effectiveCloud(cfg, g);
      views.put(
          n,
          new CloudView(
              effective,
              ok,
              fresh ? flavors.get(n) : g.flavors(),
              fresh ? images.get(n) : g.images(),
              ok ? capacity.get(n) : g.capacity(),
              ok ? instances.get(n) : List.of(),
              policies.getOrDefault(n, g.policy())));
    }
    JobSnapshot jobs = null;
    try {
      jobs = jobsCall.pending.await();
    } catch (RuntimeException e) {
      failures.add("job source: " + e.getMessage() + " (no boots or retirements this cycle)");
      warnFailure("job source could not be read: no boots or retirements this cycle", e);
    }
    List<Vm> stored = null;
    try {
      stored = store.vms();
    } catch (RuntimeException e) {
      failures.add("state store: VMs not read: " + e.getMessage() + " (nothing done this cycle)");
      log.error("state store could not be read: the cycle does nothing", e);
    }
    return new Observation(views, jobs, stored);
  }

  private boolean retentionScanDue(Instant now, Set<GroupName> groups) {
    return nextRetentionScan == null || !now.isBefore(nextRetentionScan) || !groups.equals(retentionGroups);
  }

  private void retentionScanned(Instant now, Set<GroupName> groups, @Nullable Instant earliest) {
    retentionGroups = Set.copyOf(groups);
    nextRetentionScan = earliest != null ? earliest : now.plus(TERMINATED_RETENTION);
  }

  private static Cloud effectiveCloud(Csv2Config cfg, CloudGateway g) {
    return cfg.cloud(g.cloud().name()).map(CloudConfig::cloud).orElse(g.cloud());
  }

  @SuppressWarnings("try") // the MDC entry is the resource's whole point
  private <T> Map<CloudName, T> phase(
      Map<CloudName, CloudGateway> clouds,
      String verb,
      Function<CloudDriver, T> call,
      Instant now,
      List<String> failures,
      boolean dryRun) {
    Map<CloudName, CallGuard.Pending<T>> pending = new LinkedHashMap<>();
    clouds.forEach((n, g) -> pending.put(n, g.guard().start(verb, () -> call.apply(g.driver()))));
    Map<CloudName, T> results = new LinkedHashMap<>();
    pending.forEach(
        (n, p) -> {
          try (MDC.MDCCloseable c = MDC.putCloseable("cloud", n.value())) {
            T value = p.await();
            if (value == null) {
              throw new CloudException(
                  CloudException.Reason.UNAVAILABLE, "cloud " + n + ": " + verb + " returned null");
            }
            results.put(n, value);
          } catch (RuntimeException e) {
            if (!dryRun) {
              clouds.get(n).recordFailure(asCloudFailure(e, n, verb), now);
            }
            failures.add("cloud " + n + ": " + verb + " failed: " + e.getMessage());
            warnFailure("cloud " + n + ": " + verb + " failed, the cloud counts as unreachable this cycle", e);
          }
        });
    return results;
  }

  private static RuntimeException asCloudFailure(RuntimeException e, CloudName cloud, String verb) {
    if (e instanceof CloudException) {
      return e;
    }
    return new CloudException(
        CloudException.Reason.UNAVAILABLE, "cloud " + cloud + ": " + verb + " failed: " + e, e);
  }

  private static <V> Map<CloudName, V> only(Map<CloudName, V> map, Set<CloudName> keys) {
    Map<CloudName, V> out = new LinkedHashMap<>();
    map.forEach((k, v) -> {
      if (keys.contains(k)) {
        out.put(k, v);
      }
    });
    return out;
  }

  // ---------------------------------------------------------------- derive and plan

  /** Derives the states of this engine's VMs of the leased groups only: the others are another engine's to write. */
  /**
   * The stored VMs sorted once per cycle, so that only the live VMs of this engine are derived,
   * planned and compared each cycle: TERMINATED records (kept for {@link #TERMINATED_RETENTION},
   * often more than the live ones) and other engines' records are set aside.
   *
   * @param held live VMs of this engine in the groups it holds a lease on
   * @param otherGroups live VMs of this engine in groups another engine holds (they hold capacity)
   * @param foreign live VMs of other engines or of clouds not configured here
   * @param terminated TERMINATED records, of every engine
   */
  private record StoredVms(List<Vm> held, List<Vm> otherGroups, List<Vm> foreign, List<Vm> terminated) {}

  /**
   * {@link #isOurs} per name object: a record keeps its name object from cycle to cycle, so the
   * name is parsed once, not every cycle. Emptied when it holds many more names than the store.
   */
  private final Map<VmId, Boolean> oursByName = new java.util.IdentityHashMap<>();
  /** The instance id the cached answers are for. */
  private @Nullable String oursInstanceId;

  private boolean isOursCached(Csv2Config cfg, Vm vm) {
    Boolean ours = oursByName.get(vm.id());
    if (ours == null) {
      ours = isOurs(cfg, vm);
      oursByName.put(vm.id(), ours);
    }
    return ours;
  }

  private StoredVms split(Csv2Config cfg, List<Vm> stored, Set<GroupName> groups) {
    if (oursByName.size() > 2 * stored.size() + 1024 || !cfg.engine().instanceId().equals(oursInstanceId)) {
      oursByName.clear();
      oursInstanceId = cfg.engine().instanceId();
    }
    List<Vm> held = new ArrayList<>();
    List<Vm> otherGroups = new ArrayList<>();
    List<Vm> foreign = new ArrayList<>();
    List<Vm> terminated = new ArrayList<>();
    GroupName lastGroup = null; // the store lists VMs by name, which starts with the group
    boolean lastHeld = false;
    for (Vm vm : stored) {
      if (vm.state() == VmState.TERMINATED) {
        terminated.add(vm);
      } else if (!isOursCached(cfg, vm)) {
        foreign.add(vm);
      } else {
        if (!vm.group().equals(lastGroup)) {
          lastGroup = vm.group();
          lastHeld = groups.contains(lastGroup);
        }
        (lastHeld ? held : otherGroups).add(vm);
      }
    }
    return new StoredVms(held, otherGroups, foreign, terminated);
  }

  private StateDeriver.Derivation derive(Csv2Config cfg, Observation obs, StoredVms split, Instant now) {
    Map<CloudName, List<Instance>> reachable = new HashMap<>();
    obs.views.forEach((n, v) -> {
      if (v.reachable()) {
        reachable.put(n, v.instances());
      }
    });
    StateDeriver.Observed observed =
        StateDeriver.Observed.of(reachable, obs.jobs == null ? null : obs.jobs.workers(), lastObserved);
    lastObserved = observed;
    return StateDeriver.derive(split.held(), observed, now, cfg.engine().timers().cycle());
  }

  private boolean isOurs(Csv2Config cfg, Vm vm) {
    if (!gateways.containsKey(vm.cloud())) {
      return false;
    }
    return instancePartIsOrAbsent(vm.id().value(), cfg.engine().instanceId());
  }

  /**
   * Whether a VM name has no instance part or has this one: {@link #instancePart} without the
   * substring (it runs for every live VM every cycle).
   */
  static boolean instancePartIsOrAbsent(String name, String instanceId) {
    int first = name.indexOf("--");
    int second = first < 0 ? -1 : name.indexOf("--", first + 2);
    int third = second < 0 ? -1 : name.indexOf("--", second + 2);
    if (third < 0 || name.indexOf("--", third + 2) >= 0) {
      return true;
    }
    int from = second + 2;
    return third - from == instanceId.length() && name.regionMatches(from, instanceId, 0, instanceId.length());
  }

  /**
   * {@link VmId#instancePart()} without its regular expression: the third of exactly four
   * {@code --}-separated parts, or null. It runs for every stored VM every cycle.
   */
  static @Nullable String instancePart(String name) {
    int[] at = new int[3];
    int found = 0;
    for (int i = name.indexOf("--"); i >= 0; i = name.indexOf("--", i + 2)) {
      if (found == 3) {
        return null;
      }
      at[found++] = i;
    }
    return found == 3 ? name.substring(at[1] + 2, at[2]) : null;
  }

  private Set<GroupName> leaseGroups(Csv2Config cfg, Instant now, List<String> failures) {
    Set<GroupName> held = new HashSet<>();
    for (Group g : cfg.groups()) {
      try {
        if (store.tryLease(g.name(), leaseOwner, now, cfg.engine().leaseTtl()).isPresent()) {
          held.add(g.name());
        } else {
          log.debug("group {} is served by another engine", g.name());
        }
      } catch (RuntimeException e) {
        failures.add("state store: lease on group " + g.name() + " not taken: " + e.getMessage());
      }
    }
    return held;
  }

  private Snapshot snapshot(
      Csv2Config cfg,
      Observation obs,
      StateDeriver.Derivation d,
      StoredVms split,
      Set<GroupName> groups,
      Instant now) {
    JobSnapshot jobs = obs.jobs;
    List<Vm> vms = new ArrayList<>(d.vms());
    vms.addAll(split.otherGroups()); // another engine's group: counted in the ledgers, never acted on
    // A TERMINATED record holds nothing; the planner sees one only when a cloud still lists an
    // instance of that name (it outlived its record and is adopted again). When every listed
    // instance stands for a live VM of a held group, there is none.
    if (!split.terminated().isEmpty() && d.unmatchedInstances()) {
      Set<VmId> listed = new HashSet<>();
      for (CloudView v : obs.views.values()) {
        if (v.reachable()) {
          for (Instance i : v.instances()) {
            listed.add(i.name());
          }
        }
      }
      for (Vm vm : split.terminated()) {
        if (listed.contains(vm.id()) && isOurs(cfg, vm)) {
          vms.add(vm);
        }
      }
    }
    return new Snapshot(
        now,
        cfg.engine(),
        cfg.groups().stream().filter(g -> groups.contains(g.name())).toList(),
        cfg.allocations().stream().filter(a -> groups.contains(a.group())).toList(),
        cfg.aliases().stream().filter(a -> groups.contains(a.group())).toList(),
        List.copyOf(obs.views.values()),
        jobs == null ? List.of() : groups.size() == cfg.groups().size() ? jobs.jobs() : heldJobs(jobs.jobs(), groups),
        jobs == null ? List.of() : jobs.workers(),
        vms);
  }

  /**
   * The jobs of the held groups (the list itself when all are). Jobs of one group share a few
   * group objects, so the answer is kept per object: this runs over every job every cycle.
   */
  static List<org.csv2.model.Job> heldJobs(List<org.csv2.model.Job> jobs, Set<GroupName> groups) {
    Map<GroupName, Boolean> seen = new java.util.IdentityHashMap<>();
    List<org.csv2.model.Job> out = null;
    for (int i = 0; i < jobs.size(); i++) {
      org.csv2.model.Job j = jobs.get(i);
      GroupName g = j.group();
      Boolean held = seen.get(g);
      if (held == null) {
        held = groups.contains(g);
        if (seen.size() < 256) {
          seen.put(g, held);
        }
      }
      if (!held && out == null) {
        out = new ArrayList<>(jobs.subList(0, i));
      } else if (held && out != null) {
        out.add(j);
      }
    }
    return out == null ? jobs : out;
  }

  /**
   * The plan without actions on groups this engine holds no lease on (the planner acts only on
   * {@link Snapshot#groups()}; this keeps two engines from ever writing the same VM record even
   * if a policy does not). Dropped actions become notes.
   */
  private static Plan ownedOnly(Plan plan, Snapshot snapshot, Set<GroupName> groups) {
    if (plan.actions().isEmpty()) {
      return plan;
    }
    Map<VmId, GroupName> groupOf = new HashMap<>();
    for (Vm vm : snapshot.vms()) {
      groupOf.put(vm.id(), vm.group());
    }
    List<PlanAction> kept = new ArrayList<>();
    List<String> notes = new ArrayList<>(plan.notes());
    for (PlanAction a : plan.actions()) {
      GroupName g =
          a instanceof Boot b ? b.group()
              : a instanceof Adopt ad ? ad.group()
              : a instanceof Retire r ? groupOf.get(r.vm())
              : a instanceof Terminate t ? groupOf.get(t.vm())
              : null;
      if (g != null && !groups.contains(g)) {
        notes.add(describe(a) + " not carried out: group " + g + " is served by another engine");
        log.debug("{} dropped: group {} is not leased by this engine", describe(a), g);
      } else {
        kept.add(a);
      }
    }
    return kept.size() == plan.actions().size() ? plan : new Plan(plan.at(), kept, notes);
  }

  private Plan planOf(Csv2Config cfg, Snapshot snapshot, List<String> failures) {
    try {
      return planners.apply(cfg.engine().policy()).plan(snapshot);
    } catch (RuntimeException e) {
      failures.add("planner " + cfg.engine().policy() + " failed: " + e);
      log.error("planner {} failed: nothing is done this cycle", cfg.engine().policy(), e);
      return Plan.empty(snapshot.now());
    }
  }

  // ---------------------------------------------------------------- record

  /** The figure key of each VM state, built once (the figures run over every VM every cycle). */
  private static final Map<VmState, String> VMS_BY_STATE_KEY = new EnumMap<>(VmState.class);

  static {
    for (VmState st : VmState.values()) {
      VMS_BY_STATE_KEY.put(st, "vms|state=" + st.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /**
   * The cycle's figures; also counts the snapshot's idle and running jobs into {@code jobCounts}
   * (index 0 and 1), in the same pass over the jobs.
   */
  private static Map<String, Double> figures(Csv2Config cfg, Snapshot s, Iterable<Vm> vms, int[] jobCounts) {
    Map<String, Double> f = new TreeMap<>();
    for (Group g : cfg.groups()) {
      f.put("jobs.idle|group=" + g.name(), 0.0);
      f.put("jobs.running|group=" + g.name(), 0.0);
    }
    // Counted per group first: this runs over every job every cycle (no key built per job).
    // per group object first (a job source shares one object per group): no hashing of names
    Map<GroupName, int[]> byObject = new java.util.IdentityHashMap<>();
    for (org.csv2.model.Job j : s.jobs()) {
      int k = j.state() == JobState.IDLE ? 0 : j.state() == JobState.RUNNING ? 1 : -1;
      if (k < 0) {
        continue;
      }
      byObject.computeIfAbsent(j.group(), g -> new int[2])[k]++;
    }
    Map<GroupName, int[]> byGroup = new HashMap<>();
    byObject.forEach((g, n) -> {
      if (cfg.group(g).isEmpty()) {
        return; // jobs of a group not configured here (the planner notes them)
      }
      jobCounts[0] += n[0];
      jobCounts[1] += n[1];
      int[] sum = byGroup.computeIfAbsent(g, x -> new int[2]);
      sum[0] += n[0];
      sum[1] += n[1];
    });
    byGroup.forEach((g, n) -> {
      if (n[0] > 0) {
        f.merge("jobs.idle|group=" + g, (double) n[0], Double::sum);
      }
      if (n[1] > 0) {
        f.merge("jobs.running|group=" + g, (double) n[1], Double::sum);
      }
    });
    int[] byState = new int[VmState.values().length];
    Map<CloudName, long[]> cores = new HashMap<>();
    for (CloudConfig c : cfg.clouds()) {
      cores.put(c.cloud().name(), new long[1]);
    }
    for (Vm vm : vms) {
      if (vm.state() != VmState.TERMINATED) {
        byState[vm.state().ordinal()]++;
        cores.computeIfAbsent(vm.cloud(), c -> new long[1])[0] += vm.resources().cores();
      }
    }
    for (VmState st : VmState.values()) {
      if (st != VmState.TERMINATED) {
        f.put(VMS_BY_STATE_KEY.get(st), (double) byState[st.ordinal()]);
      }
    }
    cores.forEach((c, n) -> f.put("cores|cloud=" + c, (double) n[0]));
    opportunisticFigures(cfg, s, vms, f);
    return f;
  }

  /**
   * Per cloud whose administrators govern opportunistic use: what they allow ({@code -1}: no cap;
   * 0 during a reclaim), whether they reclaim, and the cores opportunistic groups hold there.
   */
  private static void opportunisticFigures(Csv2Config cfg, Snapshot s, Iterable<Vm> vms, Map<String, Double> f) {
    Set<List<Object>> opportunistic = new HashSet<>();
    for (Allocation a : cfg.allocations()) {
      if (a.mode() == org.csv2.model.AllocationMode.OPPORTUNISTIC) {
        opportunistic.add(List.of(a.group(), a.cloud()));
      }
    }
    for (CloudView v : s.clouds()) {
      org.csv2.model.OpportunisticPolicy p = v.opportunistic();
      if (!p.governed()) {
        continue;
      }
      CloudName c = v.cloud().name();
      String k = "|cloud=" + c;
      f.put("opportunistic.allowed-cores" + k, p.reclaim() ? 0.0 : p.cores());
      f.put("opportunistic.allowed-vms" + k, p.reclaim() ? 0.0 : p.instances());
      f.put("opportunistic.reclaim" + k, p.reclaim() ? 1.0 : 0.0);
      double held = 0;
      for (Vm vm : vms) {
        if (vm.cloud().equals(c) && vm.state() != VmState.TERMINATED && opportunistic.contains(List.of(vm.group(), c))) {
          held += vm.resources().cores();
        }
      }
      f.put("opportunistic.cores" + k, held);
    }
  }

  private static List<Sample> samples(Map<String, Double> figures, long planNanos, Instant now) {
    List<Sample> out = new ArrayList<>();
    figures.forEach((key, value) -> {
      int bar = key.indexOf('|');
      String[] label = key.substring(bar + 1).split("=", 2);
      out.add(new Sample(now, key.substring(0, bar), Map.of(label[0], label[1]), value));
    });
    out.add(new Sample(now, "plan.time.ms", Map.of(), planNanos / 1_000_000.0));
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

  // ---------------------------------------------------------------- configuration from the store

  private long storedConfigVersion() {
    try {
      return store.config().map(StoredConfig::version).orElse(0L);
    } catch (RuntimeException e) {
      log.warn("state store: stored configuration not read", e);
      return 0;
    }
  }

  /**
   * At the first cycle, saves the running configuration's YAML text in a store that holds none,
   * so that operators can change it there. Only the original text is saved (secrets stay
   * {@code ${ENV}} references), and only when the engine was built from text or a file.
   */
  private void seedStoredConfig(List<String> failures) {
    if (configSeedChecked || reloader == null || runningDocument == null) {
      return;
    }
    try {
      if (store.config().isEmpty()) {
        StoredConfig saved = store.saveConfig(runningDocument, 0, leaseOwner);
        appliedConfigVersion = Math.max(appliedConfigVersion, saved.version());
        log.info("running configuration saved in the state store as version {} by {}", saved.version(), leaseOwner);
      }
      configSeedChecked = true;
    } catch (StateStoreException e) {
      if (e.reason() == StateStoreException.Reason.CONFLICT) {
        configSeedChecked = true;
        log.info("another engine saved its configuration first; it is applied like any stored change");
        return;
      }
      failures.add("state store: running configuration not saved: " + e.getMessage() + " (tried again next cycle)");
      warnFailure("state store: running configuration not saved; tried again next cycle", e);
    } catch (RuntimeException e) {
      failures.add("state store: running configuration not saved: " + e.getMessage() + " (tried again next cycle)");
      warnFailure("state store: running configuration not saved; tried again next cycle", e);
    }
  }

  private void reloadConfig(List<String> failures) {
    if (reloader == null) {
      return;
    }
    Optional<StoredConfig> stored;
    try {
      stored = store.config();
    } catch (RuntimeException e) {
      failures.add("state store: configuration not read: " + e.getMessage());
      return;
    }
    if (stored.isEmpty() || stored.get().version() <= appliedConfigVersion) {
      return;
    }
    StoredConfig sc = stored.get();
    appliedConfigVersion = sc.version();
    Csv2Config next;
    try {
      next = reloader.parse(sc);
    } catch (RuntimeException e) {
      failures.add("stored configuration version " + sc.version() + " rejected: " + e.getMessage());
      log.error("stored configuration version {} by {} rejected; the running one stays", sc.version(), sc.updatedBy(), e);
      return;
    }
    Set<String> before = cloudKeys(config);
    if (!before.equals(cloudKeys(next))) {
      failures.add(
          "stored configuration version "
              + sc.version()
              + " changes the clouds or their drivers: that needs a restart; the running one stays");
      log.error(
          "stored configuration version {} by {} changes the clouds or their drivers, which needs a restart: refused, the running configuration stays",
          sc.version(),
          sc.updatedBy());
      return;
    }
    config = next;
    log.info("configuration version {} by {} applied", sc.version(), sc.updatedBy());
  }

  private static Set<String> cloudKeys(Csv2Config c) {
    return c.clouds().stream()
        .map(cc -> cc.cloud().name() + "=" + cc.driver().driver() + cc.driver().config())
        .collect(Collectors.toSet());
  }

  // ---------------------------------------------------------------- execute

  /**
   * One cycle's execution: the working set of VM records and every write to make.
   *
   * <p>Adoptions and retirements (record changes and job-source calls) run on the cycle thread.
   * Then the cloud actions are grouped by cloud and each cloud's sequence (its terminations, then
   * its boots, in plan order) runs as one task on the engine's executor, all clouds at once: one
   * call at a time per cloud, each with its deadline. Each task writes into its own {@link Scope};
   * the scopes are merged in configuration order when every task is done, so the outcome does not
   * depend on which cloud answered first. The job source is told to {@code forget} terminated VMs
   * after that, one call at a time, on the cycle thread.
   */
  private final class Execution {
    private final Csv2Config cfg;
    private final Observation obs;
    private final StoredVms split;
    private final Instant now;
    private final List<String> failures;
    /**
     * The stored version of every record this cycle changed (by derivation or by an action), in
     * the order they changed: the commit compares these only, not every VM.
     */
    private final Map<VmId, Vm> stored = new LinkedHashMap<>();
    private final Map<VmId, Vm> working = new LinkedHashMap<>();
    private final Map<VmId, Vm> inserts = new LinkedHashMap<>();
    private final List<VmEvent> events = new ArrayList<>();
    private final List<VmEvent> pendingEvents = new ArrayList<>();
    private final List<org.csv2.model.AccountingRecord> accounting = new ArrayList<>();
    /** The job source's workers by VM, indexed at the first retirement of the cycle. */
    private @Nullable Map<VmId, Worker> workers;

    /**
     * Whether the TERMINATED records are in the working set: only in a cycle that names new VMs
     * or adopts instances (a new name must not be one of theirs; an adopted instance may revive
     * one), so that the other cycles never index them.
     */
    private boolean terminatedLoaded;

    Execution(
        Csv2Config cfg,
        Observation obs,
        StoredVms split,
        StateDeriver.Derivation d,
        Instant now,
        List<String> failures) {
      this.cfg = cfg;
      this.obs = obs;
      this.split = split;
      this.now = now;
      this.failures = failures;
      List<Vm> held = split.held();
      List<Vm> derived = d.vms();
      for (int i = 0; i < derived.size(); i++) {
        Vm vm = derived.get(i);
        working.put(vm.id(), vm);
        if (vm != held.get(i)) { // the deriver keeps the order and returns an unchanged record as is
          stored.put(vm.id(), held.get(i));
        }
      }
      for (Vm vm : split.otherGroups()) {
        working.put(vm.id(), vm);
      }
      pendingEvents.addAll(d.events());
      events.addAll(d.events());
      accounting.addAll(d.accounting());
    }

    private synchronized @Nullable Worker worker(VmId vm) {
      if (workers == null) {
        workers = new HashMap<>();
        if (obs.jobs != null) {
          for (Worker w : obs.jobs.workers()) {
            workers.putIfAbsent(w.vm(), w);
          }
        }
      }
      return workers.get(vm);
    }

    private void loadTerminated() {
      if (terminatedLoaded) {
        return;
      }
      terminatedLoaded = true;
      for (Vm vm : split.terminated()) {
        working.putIfAbsent(vm.id(), vm);
      }
    }

    /** The live VM records after the execution (with other engines'), for figures. */
    List<Vm> liveVms() {
      List<Vm> out = new ArrayList<>(working.size() + split.foreign().size());
      for (Vm vm : working.values()) {
        if (vm.state() != VmState.TERMINATED) {
          out.add(vm);
        }
      }
      out.addAll(split.foreign());
      return out;
    }

    /** Every stored VM record after the execution, counted by state. */
    Map<VmState, Integer> countByState() {
      int[] n = new int[VmState.values().length];
      for (Vm vm : working.values()) {
        n[vm.state().ordinal()]++;
      }
      for (Vm vm : split.foreign()) {
        n[vm.state().ordinal()]++;
      }
      if (!terminatedLoaded) {
        n[VmState.TERMINATED.ordinal()] += split.terminated().size();
      }
      n[VmState.TERMINATED.ordinal()] -= deleted;
      Map<VmState, Integer> m = new EnumMap<>(VmState.class);
      for (VmState st : VmState.values()) {
        if (n[st.ordinal()] > 0) {
          m.put(st, n[st.ordinal()]);
        }
      }
      return m;
    }

    private int deleted;

    void run(Plan plan) {
      if (!plan.adoptions().isEmpty() || !plan.boots().isEmpty()) {
        loadTerminated();
      }
      Scope main = new Scope();
      for (Adopt a : plan.adoptions()) {
        guarded(main, a, a.cloud(), a.instance().name(), () -> adopt(main, a));
      }
      for (Retire r : plan.retirements()) {
        guarded(main, r, cloudOf(r.vm()), r.vm(), () -> retire(main, r));
      }
      merge(main);
      Map<CloudName, List<Item>> lanes = new LinkedHashMap<>();
      for (CloudName c : gateways.keySet()) {
        lanes.put(c, new ArrayList<>());
      }
      Scope unknown = new Scope();
      for (Terminate t : plan.terminations()) {
        CloudName c = cloudOf(t.vm());
        if (c == null || !lanes.containsKey(c)) {
          guarded(unknown, t, c, t.vm(), () -> terminate(unknown, t));
        } else {
          lanes.get(c).add(new Item(t, List.of()));
        }
      }
      merge(unknown);
      for (Boot b : plan.boots()) {
        List<VmId> names = new ArrayList<>();
        for (int i = 0; i < b.count(); i++) {
          names.add(newName(b.group(), b.cloud(), names));
        }
        lanes.computeIfAbsent(b.cloud(), k -> new ArrayList<>()).add(new Item(b, names));
      }
      lanes.values().removeIf(List::isEmpty);
      Map<CloudName, Lane> started = new LinkedHashMap<>();
      lanes.forEach((c, items) -> started.put(c, start(c, items)));
      // every task is done (or abandoned) before the working set is written again
      List<Scope> done = new ArrayList<>();
      started.forEach((c, lane) -> done.add(lane.await()));
      done.forEach(this::merge);
      for (VmId id : forgetting) {
        try {
          jobGuard.call("forget(" + id + ")", () -> {
            jobSource.forget(id);
            return Boolean.TRUE;
          });
        } catch (RuntimeException e) {
          failures.add("job source: forget " + id + " failed: " + e.getMessage());
          warnFailure("job source could not forget " + id, e);
        }
      }
    }

    private final List<VmId> forgetting = new ArrayList<>();

    private Lane start(CloudName cloud, List<Item> items) {
      Scope scope = new Scope();
      int calls = items.stream().mapToInt(i -> i.action instanceof Boot b ? b.count() : 1).sum();
      Lane lane = new Lane(cloud, scope, calls);
      Runnable body =
          () -> {
            for (Item item : items) {
              if (lane.abandoned) {
                return;
              }
              if (item.action instanceof Terminate t) {
                guarded(scope, t, cloud, t.vm(), () -> terminate(scope, t));
              } else if (item.action instanceof Boot b) {
                guarded(scope, b, cloud, null, () -> boot(scope, b, item.names));
              }
            }
          };
      try {
        lane.future = executor.submit(body);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        body.run();
      }
      return lane;
    }

    /** One cloud's actions, under way on the executor. */
    private final class Lane {
      private final CloudName cloud;
      private final Scope scope;
      private final Duration limit;
      private volatile boolean abandoned;
      private java.util.concurrent.@Nullable Future<?> future;

      Lane(CloudName cloud, Scope scope, int calls) {
        this.cloud = cloud;
        this.scope = scope;
        // every cloud call is bounded by the call timeout; the margin covers the store's commits
        this.limit = cfg.engine().callTimeout().multipliedBy(2L * calls + 1);
      }

      Scope await() {
        java.util.concurrent.Future<?> f = future;
        if (f == null) {
          return scope;
        }
        try {
          f.get(limit.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
          return scope;
        } catch (java.util.concurrent.TimeoutException e) {
          return abandon("did not finish within " + limit);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return abandon("was interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
          return abandon("failed: " + e.getCause());
        }
      }

      private Scope abandon(String what) {
        abandoned = true;
        if (future != null) {
          future.cancel(true);
        }
        Scope s = new Scope();
        s.failures.add(
            "cloud " + cloud + ": the plan's actions " + what + "; what they did is derived again next cycle");
        log.warn("cloud {}: the plan's actions {}; what they did is derived again next cycle", cloud, what);
        return s;
      }
    }

    private @Nullable CloudName cloudOf(VmId id) {
      Vm vm = working.get(id);
      return vm == null ? null : vm.cloud();
    }

    /** Applies a scope's effects to the execution. */
    private void merge(Scope s) {
      s.saved.forEach((id, vm) -> {
        stored.put(id, vm);
        working.put(id, vm);
      });
      s.inserts.forEach((id, vm) -> {
        inserts.put(id, vm);
        working.put(id, vm);
      });
      s.changed.forEach((id, vm) -> {
        Vm before = working.get(id);
        if (before != null && !inserts.containsKey(id)) {
          stored.putIfAbsent(id, before); // unchanged until now: the working record is the stored one
        }
        working.put(id, vm);
        if (inserts.containsKey(id)) {
          inserts.put(id, vm);
        }
      });
      events.addAll(s.intentEvents);
      events.addAll(s.events);
      pendingEvents.addAll(s.events);
      accounting.addAll(s.accounting);
      failures.addAll(s.failures);
      forgetting.addAll(s.forget);
    }

    @SuppressWarnings("try") // the MDC entries are the resources' whole point
    private void guarded(Scope scope, PlanAction action, @Nullable CloudName cloud, @Nullable VmId vm, Runnable body) {
      try (MDC.MDCCloseable c = MDC.putCloseable("cloud", cloud == null ? "" : cloud.value());
          MDC.MDCCloseable v = MDC.putCloseable("vm", vm == null ? "" : vm.value())) {
        body.run();
      } catch (RuntimeException e) {
        scope.failures.add(describe(action) + " failed: " + e.getMessage());
        warnFailure(describe(action) + " failed; the other actions go on", e);
      }
    }

    // ---- adopt

    private void adopt(Scope scope, Adopt a) {
      Instance inst = a.instance();
      Vm existing = scope.get(inst.name());
      if (existing != null && existing.state() != VmState.TERMINATED) {
        if (existing.instanceId() == null) {
          scope.changed.put(existing.id(), existing.withInstanceId(inst.id()));
        }
        log.debug("instance {} on {} is already recorded as {}", inst.id(), a.cloud(), existing.id());
        return;
      }
      VmState state = adoptedState(inst);
      String why = "adopted: " + a.reason();
      if (existing != null) {
        change(scope, existing.withInstanceId(inst.id()), state, why);
        log.info("VM {} on {} adopted again (instance {})", existing.id(), a.cloud(), inst.id());
        return;
      }
      Flavor flavor = flavor(a.cloud(), inst.flavor().value());
      Instant created = inst.launchedAt() != null && !inst.launchedAt().isAfter(now) ? inst.launchedAt() : now;
      Vm vm =
          Vm.builder(inst.name(), a.group(), a.cloud(), inst.flavor(), created)
              .resources(flavor == null ? org.csv2.model.Resources.ZERO : flavor.resources())
              .pricePerHour(flavor == null ? 0 : flavor.pricePerHour())
              .image(inst.tag("csv2-image").orElse(""))
              .instanceId(inst.id())
              .build()
              .withState(state, now, why);
      scope.inserts.put(vm.id(), vm);
      event(scope, null, vm);
      log.info("VM {} on {} adopted (instance {}): {}", vm.id(), a.cloud(), inst.id(), a.reason());
    }

    private VmState adoptedState(Instance inst) {
      return switch (inst.state()) {
        case PENDING, UNKNOWN -> VmState.BOOTING;
        case ACTIVE -> VmState.UNREGISTERED;
        case ERROR, STOPPED -> VmState.ERROR;
        case TERMINATING, TERMINATED -> VmState.TERMINATING;
      };
    }

    // ---- terminate

    private void terminate(Scope scope, Terminate t) {
      Vm vm = live(scope, t.vm(), "terminate");
      if (vm == null) {
        return;
      }
      if (obs.jobs == null
          && (vm.state() == VmState.UNREGISTERED || vm.state() == VmState.IDLE || vm.state() == VmState.RUNNING)) {
        scope.failures.add("terminate " + vm.id() + " postponed: the job source was not read, its state is stale");
        return;
      }
      if (vm.instanceId() == null) {
        change(scope, vm, VmState.TERMINATED, t.reason() + " (no instance was ever reported)");
        return;
      }
      CloudGateway g = gateway(scope, vm.cloud(), "terminate " + vm.id());
      if (g == null) {
        return;
      }
      Vm attempted = vm.toBuilder().terminateAttempts(vm.terminateAttempts() + 1).lastAttemptAt(now).build();
      if (attempted.terminateAttempts() % TERMINATE_WARN_EVERY == 0) {
        log.warn(
            "VM {} on {}: terminate call number {}; its instance {} has outlived every earlier one",
            vm.id(),
            vm.cloud(),
            attempted.terminateAttempts(),
            vm.instanceId());
      }
      try {
        g.guard().call("terminate(" + vm.instanceId() + ")", () -> {
          g.driver().terminate(vm.instanceId());
          return Boolean.TRUE;
        });
      } catch (RuntimeException e) {
        g.recordFailure(asCloudFailure(e, vm.cloud(), "terminate"), now);
        scope.changed.put(vm.id(), attempted);
        throw e;
      }
      boolean again = vm.state() == VmState.TERMINATING;
      change(scope, attempted, VmState.TERMINATING, t.reason());
      log.info("VM {} on {}: termination asked{}: {}", vm.id(), vm.cloud(), again ? " again" : "", t.reason());
      if (!again) {
        scope.forget.add(vm.id());
      }
    }

    // ---- retire

    private void retire(Scope scope, Retire r) {
      if (obs.jobs == null) {
        scope.failures.add("retire " + r.vm() + " postponed: the job source was not read");
        return;
      }
      Vm vm = live(scope, r.vm(), "retire");
      if (vm == null) {
        return;
      }
      Worker w = worker(vm.id());
      if (w != null) {
        jobGuard.call("retire(" + w.name() + ")", () -> {
          jobSource.retire(w);
          return Boolean.TRUE;
        });
      }
      Vm attempted = vm.toBuilder().retireAttempts(vm.retireAttempts() + 1).lastAttemptAt(now).build();
      change(scope, attempted, VmState.RETIRING, r.reason());
      log.info("VM {} on {}: drain asked: {}", vm.id(), vm.cloud(), r.reason());
    }

    // ---- boot

    private void boot(Scope scope, Boot b, List<VmId> names) {
      if (obs.jobs == null) {
        scope.failures.add(describe(b) + " skipped: the job source was not read");
        return;
      }
      CloudGateway g = gateway(scope, b.cloud(), describe(b));
      if (g == null) {
        return;
      }
      Group group = cfg.group(b.group()).orElse(null);
      Allocation allocation =
          cfg.allocations().stream()
              .filter(a -> a.group().equals(b.group()) && a.cloud().equals(b.cloud()))
              .findFirst()
              .orElse(null);
      if (group == null || allocation == null) {
        scope.failures.add(describe(b) + " skipped: group " + b.group() + " has no allocation on " + b.cloud());
        return;
      }
      Flavor flavor = flavor(b.cloud(), b.flavor().value());
      if (flavor == null) {
        scope.failures.add(describe(b) + " skipped: cloud " + b.cloud() + " does not list flavor " + b.flavor());
        return;
      }
      VmDefaults defaults = allocation.overrides().orElse(group.vmDefaults());
      Duration keepAlive = b.keepAlive() != null ? b.keepAlive() : defaults.keepAlive();
      List<Vm> intents = new ArrayList<>();
      for (VmId name : names) {
        intents.add(
            Vm.builder(name, b.group(), b.cloud(), flavor.name(), now)
                .resources(flavor.resources())
                .image(b.image())
                .alias(b.alias())
                .keepAlive(keepAlive)
                .pricePerHour(flavor.pricePerHour())
                .reason("requested: " + b.reason())
                .build());
      }
      List<VmEvent> intentEvents =
          intents.stream()
              .map(v -> new VmEvent(v.id(), v.group(), v.cloud(), null, VmState.REQUESTED, now, v.reason()))
              .toList();
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put(Csv2Tags.INSTANCE_ID, cfg.engine().instanceId());
      tags.put(Csv2Tags.GROUP, b.group().value());
      tags.put(Csv2Tags.CLOUD, b.cloud().value());
      List<BootRequest> requests = composer.requests(group, allocation, b, flavor, names, defaults, tags);
      List<Vm> saved =
          store.commit(new StoreChanges(intents, List.of(), List.of(), intentEvents, List.of(), List.of()));
      scope.intentEvents.addAll(intentEvents);
      for (Vm v : saved) {
        scope.saved.put(v.id(), v);
      }
      if (requests.size() > 1 && overlapsBoots(g.driver())) {
        sendBoot(scope, g, b, requests);
      } else {
        for (BootRequest request : requests) {
          sendBoot(scope, g, b, List.of(request));
        }
      }
    }

    /**
     * Whether the driver overrides {@link CloudDriver#bootEach} (it overlaps the calls): only then
     * are a boot's per-VM requests sent in one call; others keep one call per request, so a
     * failure of one request still leaves the others' VMs to be booted.
     */
    private boolean overlapsBoots(CloudDriver driver) {
      try {
        return driver.getClass().getMethod("bootEach", List.class).getDeclaringClass() != CloudDriver.class;
      } catch (NoSuchMethodException e) {
        return false;
      }
    }

    /**
     * One guarded call for all the requests of a boot: {@code boot} for one, {@code bootEach} for
     * several (each VM its own user data), which a driver may overlap (issue 22: bursts).
     */
    private void sendBoot(Scope scope, CloudGateway g, Boot b, List<BootRequest> requests) {
      BootRequest request = requests.get(0);
      List<VmId> names = new ArrayList<>();
      for (BootRequest r : requests) {
        names.addAll(r.names());
      }
      List<Instance> created;
      try {
        created = g.guard().call(
            "boot(" + names.size() + " x " + request.flavor() + ")",
            () -> requests.size() == 1 ? g.driver().boot(request) : g.driver().bootEach(requests));
      } catch (CloudException e) {
        g.recordFailure(e, now);
        for (BootRequest r : requests) {
          bootFailed(scope, b, r, e.reason(), e);
        }
        return;
      } catch (RuntimeException e) {
        g.recordFailure(asCloudFailure(e, b.cloud(), "boot"), now);
        for (BootRequest r : requests) {
          bootFailed(scope, b, r, CloudException.Reason.UNAVAILABLE, e);
        }
        return;
      }
      g.breaker().succeeded();
      Map<VmId, Instance> byName = new HashMap<>();
      for (Instance inst : created == null ? List.<Instance>of() : created) {
        byName.put(inst.name(), inst);
      }
      int answered = (int) names.stream().filter(byName::containsKey).count();
      String partial = "boot returned " + answered + " of " + names.size() + " instances";
      if (answered < names.size()) {
        scope.failures.add(
            "cloud " + b.cloud() + ": " + partial + " (" + describe(b) + "); the missing VMs end TERMINATED");
        log.warn("cloud {}: {} for {}; the missing VMs end TERMINATED", b.cloud(), partial, b.group());
      }
      for (VmId id : names) {
        Instance inst = byName.get(id);
        Vm vm = scope.get(id);
        if (vm == null) {
          continue;
        }
        if (inst == null) {
          change(scope, vm, VmState.TERMINATED, partial);
          continue;
        }
        VmState state = inst.state() == org.csv2.model.InstanceState.ERROR ? VmState.ERROR : VmState.BOOTING;
        change(scope, vm.withInstanceId(inst.id()), state, state == VmState.ERROR ? inst.fault() : "cloud accepted the boot");
      }
      log.info("booted {} x {} on {} for {}: {}", answered, request.flavor(), b.cloud(), b.group(), b.reason());
    }

    private void bootFailed(Scope scope, Boot b, BootRequest request, CloudException.Reason reason, RuntimeException e) {
      String what = "boot of " + request.count() + " x " + request.flavor() + " on " + b.cloud();
      if (reason == CloudException.Reason.UNAVAILABLE) {
        scope.failures.add(what + ": no reply (" + e.getMessage() + "); the VMs stay REQUESTED until the cloud shows them");
        warnFailure(what + ": no reply; the VMs stay REQUESTED and are matched or ended next cycles", e);
        return;
      }
      scope.failures.add(what + " failed: " + reason + ": " + e.getMessage());
      warnFailure(what + " failed: " + reason, e);
      for (VmId id : request.names()) {
        Vm vm = scope.get(id);
        if (vm != null) {
          change(scope, vm, VmState.TERMINATED, "boot failed: " + reason + ": " + e.getMessage());
        }
      }
    }

    private VmId newName(GroupName group, CloudName cloud, List<VmId> taken) {
      while (true) {
        StringBuilder s = new StringBuilder(SUFFIX_LENGTH);
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
          s.append(SUFFIX_CHARS.charAt(random.nextInt(SUFFIX_CHARS.length())));
        }
        VmId id = VmId.of(group, cloud, cfg.engine().instanceId(), s.toString());
        if (!working.containsKey(id) && !taken.contains(id) && reserved.add(id)) {
          return id;
        }
      }
    }

    private final Set<VmId> reserved = new HashSet<>();

    // ---- helpers

    private @Nullable Vm live(Scope scope, VmId id, String verb) {
      Vm vm = scope.get(id);
      if (vm == null || vm.state() == VmState.TERMINATED) {
        scope.failures.add(verb + " " + id + " skipped: no such live VM");
        return null;
      }
      if (vm.manual() || vm.state() == VmState.MANUAL) {
        scope.failures.add(verb + " " + id + " skipped: under manual control");
        return null;
      }
      return vm;
    }

    private @Nullable CloudGateway gateway(Scope scope, CloudName cloud, String what) {
      CloudGateway g = gateways.get(cloud);
      CloudView view = obs.views.get(cloud);
      if (g == null || view == null) {
        scope.failures.add(what + " skipped: cloud " + cloud + " is not configured");
        return null;
      }
      if (!view.reachable() || !g.breaker().allows(now)) {
        scope.failures.add(what + " skipped: cloud " + cloud + " is unreachable");
        return null;
      }
      return g;
    }

    private @Nullable Flavor flavor(CloudName cloud, String name) {
      CloudView view = obs.views.get(cloud);
      if (view == null) {
        return null;
      }
      return view.flavors().stream().filter(f -> f.name().value().equals(name)).findFirst().orElse(null);
    }

    private void change(Scope scope, Vm vm, VmState state, String why) {
      Vm before = scope.get(vm.id());
      Vm next = vm.withState(state, now, why);
      scope.changed.put(next.id(), next);
      if (before == null || before.state() != next.state()) {
        event(scope, before == null ? null : before.state(), next);
        if (next.state() == VmState.TERMINATED && next.instanceId() != null) {
          scope.accounting.add(StateDeriver.accountingOf(next, now));
        }
      }
      if (scope.inserts.containsKey(next.id())) {
        scope.inserts.put(next.id(), next);
      }
    }

    private void event(Scope scope, @Nullable VmState from, Vm vm) {
      VmEvent e = new VmEvent(vm.id(), vm.group(), vm.cloud(), from, vm.state(), now, vm.reason());
      scope.events.add(e);
      log.info("VM {} on {}: {} -> {}: {}", vm.id(), vm.cloud(), from, vm.state(), vm.reason());
    }

    /**
     * Writes the cycle's changes in one commit, with the deletion of the leased groups' records
     * TERMINATED for longer than {@link #TERMINATED_RETENTION}.
     *
     * @param samples the samples to write
     * @param groups the groups this engine holds a lease on
     * @return true if written (or nothing to write)
     */
    boolean commit(List<Sample> samples, Set<GroupName> groups) {
      List<Vm> updates = new ArrayList<>();
      List<Vm> deletes = new ArrayList<>();
      stored.forEach((id, before) -> {
        Vm vm = working.get(id);
        if (vm != null && !before.equals(vm)) {
          updates.add(vm);
        }
      });
      updates.sort(Comparator.comparing(Vm::id));
      boolean scan = retentionScanDue(now, groups);
      Instant earliest = null;
      if (scan) {
        for (Vm vm : split.terminated()) {
          if (working.get(vm.id()) != null && working.get(vm.id()) != vm) {
            continue; // revived this cycle
          }
          Instant expiry = expiry(vm, groups);
          if (expiry == null) {
            continue;
          }
          if (!now.isBefore(expiry)) {
            deletes.add(vm);
          } else if (earliest == null || expiry.isBefore(earliest)) {
            earliest = expiry;
          }
        }
      }
      StoreChanges changes =
          new StoreChanges(List.copyOf(inserts.values()), updates, deletes, pendingEvents, samples, accounting);
      if (changes.isEmpty()) {
        return true;
      }
      try {
        store.commit(changes);
        if (!deletes.isEmpty()) {
          log.debug("{} VM record(s) TERMINATED for over {} deleted", deletes.size(), TERMINATED_RETENTION);
          deletes.forEach(vm -> working.remove(vm.id()));
          deleted += terminatedLoaded ? 0 : deletes.size();
        }
        if (scan) {
          retentionScanned(now, groups, earliest);
        }
        return true;
      } catch (RuntimeException e) {
        failures.add("state store: the cycle's changes were not written: " + e.getMessage() + " (re-derived next cycle)");
        log.warn("state store: the cycle's changes were not written; the next cycle derives them again", e);
        return false;
      }
    }

    /** When a TERMINATED record of a held group of this engine may be deleted, else null. */
    private @Nullable Instant expiry(Vm vm, Set<GroupName> groups) {
      if (vm.state() != VmState.TERMINATED || !groups.contains(vm.group()) || !isOurs(cfg, vm)) {
        return null;
      }
      Instant ended = vm.enteredAt(VmState.TERMINATED).orElse(vm.stateSince());
      return ended.plus(TERMINATED_RETENTION);
    }

    /** One action of a cloud's sequence, with the VM names chosen for a boot. */
    private record Item(PlanAction action, List<VmId> names) {}

    /**
     * Where actions put their effects: the cycle thread's scope, or one cloud task's, merged when
     * the task is done. Reads fall through to the execution's working set, which no one writes while
     * cloud tasks run.
     */
    private final class Scope {
      private final Map<VmId, Vm> saved = new LinkedHashMap<>();
      private final Map<VmId, Vm> inserts = new LinkedHashMap<>();
      private final Map<VmId, Vm> changed = new LinkedHashMap<>();
      private final List<VmEvent> intentEvents = new ArrayList<>();
      private final List<VmEvent> events = new ArrayList<>();
      private final List<org.csv2.model.AccountingRecord> accounting = new ArrayList<>();
      private final List<String> failures = new ArrayList<>();
      private final List<VmId> forget = new ArrayList<>();

      private @Nullable Vm get(VmId id) {
        Vm v = changed.get(id);
        if (v != null) {
          return v;
        }
        v = inserts.get(id);
        if (v != null) {
          return v;
        }
        v = saved.get(id);
        if (v != null) {
          return v;
        }
        return working.get(id);
      }
    }
  }

  private static String describe(PlanAction a) {
    if (a instanceof Boot b) {
      return "boot " + b.count() + " x " + b.flavor() + " for " + b.group() + " on " + b.cloud();
    }
    if (a instanceof Retire r) {
      return "retire " + r.vm();
    }
    if (a instanceof Terminate t) {
      return "terminate " + t.vm();
    }
    if (a instanceof Adopt ad) {
      return "adopt " + ad.instance().name() + " on " + ad.cloud();
    }
    return a.toString();
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

  private record JobSnapshotCall(CallGuard.Pending<JobSnapshot> pending) {}

  private record Observation(
      Map<CloudName, CloudView> views, @Nullable JobSnapshot jobs, @Nullable List<Vm> stored) {}

  /**
   * Logs a failure the engine survives. A typed csv2 failure (a cloud refusing, a job source
   * down) is operations news: one line at WARN, its stack trace at DEBUG. Anything else is a
   * bug somewhere and keeps its stack trace at WARN.
   */
  private static void warnFailure(String message, RuntimeException e) {
    if (e instanceof Csv2Exception) {
      log.warn("{}: {}", message, e.getMessage());
      log.debug("{}", message, e);
    } else {
      log.warn(message, e);
    }
  }

}

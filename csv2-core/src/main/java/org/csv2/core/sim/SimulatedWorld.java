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
package org.csv2.core.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import org.csv2.model.CloudName;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.JobSourceProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared state of one simulation: simulated clouds ({@link SimulatedCloud}) and one simulated
 * batch pool ({@link SimulatedPool}) whose workers are the clouds' instances, all driven by one
 * {@link Clock} (normally the engine's {@link VirtualClock}).
 *
 * <p>Nothing runs by itself: every call into the world first applies, in time order, everything
 * that happened up to {@code clock.instant()} (job arrivals and completions, instances becoming
 * ACTIVE, workers registering), so advancing the clock and calling the engine is all a simulation
 * does. The work per call grows with what changed, not with the history.
 *
 * <p>Two ways to use it:
 *
 * <ul>
 *   <li>in code: {@code new SimulatedWorld(clock, seed)}, then register {@link #cloudProvider()}
 *       and {@link #jobSourceProvider()} (both named {@code simulated}) with the engine's builder;
 *       or build clouds and job sources directly with {@link #addCloud} and {@link #pool()};
 *   <li>from YAML: the {@link java.util.ServiceLoader}-registered {@link SimulatedCloudProvider} and
 *       {@link SimulatedJobSourceProvider} take the world named by their {@code world:} key (default
 *       {@code default}) from {@link #shared(String, Clock)}.
 * </ul>
 *
 * <p><b>Shared worlds are process-global:</b> every engine in one JVM that names the same world
 * shares its clouds and pool, which is how several engines share one cloud. A shared world lives
 * until {@link #dropShared(String)}; asking for it with another clock replaces it with a fresh
 * world (a new simulation).
 *
 * <p><b>Thread safety:</b> safe for concurrent use; one lock guards the whole world.
 */
public final class SimulatedWorld {
  /** The name of the world used when none is configured. */
  public static final String DEFAULT_NAME = "default";

  private static final Logger log = LoggerFactory.getLogger(SimulatedWorld.class);
  private static final Map<String, SimulatedWorld> SHARED = new HashMap<>();

  /** Something that happens at a simulated time. */
  interface Action {
    void run(Instant at);
  }

  private record Event(Instant at, long seq, Action action) {}

  final Object lock = new Object();
  private final Clock clock;
  private final long seed;
  private final long originMs;
  private final PriorityQueue<Event> events =
      new PriorityQueue<>((a, b) -> {
        int c = a.at.compareTo(b.at);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
      });
  private long eventSeq;
  private long eventsApplied;
  private boolean syncing;
  private final Map<CloudName, SimulatedCloud> clouds = new LinkedHashMap<>();
  private final SimulatedPool pool;

  // VM figures, for statistics
  private long vmsBooted;
  private int vmsLive;
  private int peakVms;
  private long liveCores;
  private long liveCoreBootMs;
  private long closedCoreMs;
  private double livePrice;
  private double livePriceBootMs;
  private double closedPriceMs;

  /**
   * Creates a world.
   *
   * @param clock the time of the world, normally the engine's {@link VirtualClock}
   * @param seed the seed of every random draw in the world
   */
  public SimulatedWorld(Clock clock, long seed) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.seed = seed;
    this.originMs = clock.instant().toEpochMilli();
    this.pool = new SimulatedPool(this);
  }

  /**
   * The process-global world of a name, created on first use. Asking again with the same clock
   * returns the same world; asking with another clock replaces it with a fresh world.
   *
   * @param name the world's name
   * @param clock its clock
   * @return the world
   */
  public static SimulatedWorld shared(String name, Clock clock) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(clock, "clock");
    synchronized (SHARED) {
      SimulatedWorld w = SHARED.get(name);
      if (w == null || w.clock != clock) {
        if (w != null) {
          log.info("simulated world '{}' replaced: asked for with another clock", name);
        }
        w = new SimulatedWorld(clock, name.hashCode());
        SHARED.put(name, w);
      }
      return w;
    }
  }

  /**
   * Forgets a shared world, so that the next {@link #shared} starts afresh.
   *
   * @param name the world's name
   * @return true if there was such a world
   */
  public static boolean dropShared(String name) {
    synchronized (SHARED) {
      return SHARED.remove(name) != null;
    }
  }

  /**
   * The world's clock.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * The world's seed.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * A cloud driver provider named {@code simulated} whose drivers live in this world (their {@code
   * world:} key and their context's clock are ignored).
   *
   * @return the provider
   */
  public CloudDriverProvider cloudProvider() {
    return new SimulatedCloudProvider(this);
  }

  /**
   * A job source provider named {@code simulated} whose job sources read this world's pool (their
   * {@code world:} key and their context's clock are ignored).
   *
   * @return the provider
   */
  public JobSourceProvider jobSourceProvider() {
    return new SimulatedJobSourceProvider(this);
  }

  /**
   * Creates a cloud, or reconfigures the cloud of that name keeping its instances. A new cloud
   * with a state file loads the instances saved in it.
   *
   * @param name the cloud's name
   * @param config its configuration
   * @return the cloud
   * @throws org.csv2.api.ConfigurationException if the state file exists but cannot be read
   */
  public SimulatedCloud addCloud(CloudName name, SimulatedCloudConfig config) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    synchronized (lock) {
      sync();
      SimulatedCloud c = clouds.get(name);
      if (c == null) {
        c = new SimulatedCloud(this, name, config);
        clouds.put(name, c);
        c.load();
      } else if (!c.config().equals(config)) {
        c.reconfigure(config);
      }
      return c;
    }
  }

  /**
   * One cloud of the world.
   *
   * @param name its name
   * @return the cloud, if it was created
   */
  public Optional<SimulatedCloud> cloud(CloudName name) {
    synchronized (lock) {
      return Optional.ofNullable(clouds.get(name));
    }
  }

  /**
   * Every cloud of the world.
   *
   * @return the clouds, in creation order
   */
  public List<SimulatedCloud> clouds() {
    synchronized (lock) {
      return List.copyOf(clouds.values());
    }
  }

  /**
   * The world's batch pool.
   *
   * @return the pool
   */
  public SimulatedPool pool() {
    return pool;
  }

  /**
   * The figures of the simulation so far, at the clock's current time (see {@link
   * SimulationStatistics} for the definitions). Costs a sort of the wait times; call it for
   * reports, not every cycle.
   *
   * @return the statistics
   */
  public SimulationStatistics statistics() {
    synchronized (lock) {
      sync();
      Instant now = clock.instant();
      long t = ms(now);
      long provisionedCoreMs = closedCoreMs + liveCores * t - liveCoreBootMs;
      double priceMs = closedPriceMs + livePrice * t - livePriceBootMs;
      long injected = 0;
      for (SimulatedCloud c : clouds.values()) {
        injected += c.counters().bootFailuresInjected();
      }
      return pool.statistics(
          now, provisionedCoreMs / 3_600_000.0, priceMs / 3_600_000.0, vmsBooted, vmsLive, peakVms, injected);
    }
  }

  /**
   * When the next thing is due to happen in the world by itself (a job arriving or ending, an
   * instance becoming ACTIVE or gone, a worker registering), after applying what is due now. A
   * simulation whose engine has nothing to do until then (no VM, no idle or running job) may move
   * its clock straight there: empty stretches of virtual time then cost nothing.
   *
   * @return the time of the next event, or empty when nothing is scheduled
   */
  public Optional<Instant> nextEventAt() {
    synchronized (lock) {
      sync();
      Event e = events.peek();
      return e == null ? Optional.empty() : Optional.of(e.at);
    }
  }

  /**
   * How many cycles a simulation loop should move its clock: 1, or, when the world is empty (no
   * instance of any cloud, no job idle or running), as many as reach the first cycle at or after
   * {@link #nextEventAt()} (the next arrival). The engine then runs exactly when it would have
   * without the jump, and empty stretches of virtual time cost nothing.
   *
   * @param cycle the loop's cycle
   * @return the cycles to advance, at least 1
   */
  public long cyclesToAdvance(Duration cycle) {
    synchronized (lock) {
      sync();
      if (vmsLive > 0 || !pool.jobsView().isEmpty()) {
        return 1;
      }
      Event e = events.peek();
      Instant now = clock.instant();
      if (e == null || !e.at.isAfter(now)) {
        return 1;
      }
      long c = Math.max(1, cycle.toMillis());
      return Math.max(1, (Duration.between(now, e.at).toMillis() + c - 1) / c);
    }
  }

  /**
   * How many events the world has applied so far (arrivals, run ends, instances becoming ACTIVE or
   * gone, workers registering), after applying what is due now. Two equal readings around a time
   * in which the engine acted on nothing mean the world did not change in between: the replay
   * benchmark times such cycles apart (a cycle in which nothing changed).
   *
   * @return the events applied
   */
  public long eventsApplied() {
    synchronized (lock) {
      sync();
      return eventsApplied;
    }
  }

  // ---- package-private machinery, always called with the lock held ----

  long ms(Instant at) {
    return at.toEpochMilli() - originMs;
  }

  Instant now() {
    return clock.instant();
  }

  void schedule(Instant at, Action action) {
    events.add(new Event(at, eventSeq++, action));
  }

  /** Applies every event due at or before the clock's time, in time order. */
  void sync() {
    if (syncing) {
      return;
    }
    syncing = true;
    try {
      Instant now = clock.instant();
      Event e;
      while ((e = events.peek()) != null && !e.at.isAfter(now)) {
        events.poll();
        eventsApplied++;
        e.action.run(e.at);
      }
    } finally {
      syncing = false;
    }
  }

  void instanceCreated(SimulatedCloud cloud, SimulatedCloud.SimInstance inst, boolean newBoot) {
    if (newBoot) {
      vmsBooted++;
    }
    vmsLive++;
    peakVms = Math.max(peakVms, vmsLive);
    int cores = inst.flavor.resources().cores();
    long boot = ms(inst.bootedAt);
    liveCores += cores;
    liveCoreBootMs += cores * boot;
    livePrice += inst.flavor.pricePerHour();
    livePriceBootMs += inst.flavor.pricePerHour() * boot;
    if (!inst.fails) {
      schedule(inst.readyAt, at -> pool.instanceReady(cloud, inst, at));
    }
  }

  void instanceTerminated(SimulatedCloud.SimInstance inst, Instant at) {
    vmsLive--;
    int cores = inst.flavor.resources().cores();
    long boot = ms(inst.bootedAt);
    long end = ms(at);
    liveCores -= cores;
    liveCoreBootMs -= cores * boot;
    closedCoreMs += cores * (end - boot);
    livePrice -= inst.flavor.pricePerHour();
    livePriceBootMs -= inst.flavor.pricePerHour() * boot;
    closedPriceMs += inst.flavor.pricePerHour() * (end - boot);
    pool.instanceGone(inst, at);
  }
}

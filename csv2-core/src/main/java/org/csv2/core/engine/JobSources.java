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
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.LongSupplier;
import org.csv2.api.JobSourceException;
import org.csv2.core.config.Csv2Config;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobSnapshot;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.JobSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's job sources, each behind its own {@link CallGuard}, and which group reads from
 * which (configuration {@code groups[].job-source}).
 *
 * <p>Every source is read each cycle, concurrently. A source's jobs and workers count only for the
 * groups that read from it; a group whose source could not be read is <em>unread</em> this cycle:
 * the engine holds its lease but neither plans, derives, retires nor forgets anything of it, while
 * the groups of the other sources go on.
 *
 * <p>A group the configuration dropped keeps the source it last read from, so that its VMs are
 * drained through the right batch system.
 *
 * <p><b>Thread safety:</b> called from the cycle thread; the remembered routes are safe to read from
 * any thread.
 */
public final class JobSources {
  private static final Logger log = LoggerFactory.getLogger(JobSources.class);

  private final Map<String, Source> sources;
  /** Every group's source as last configured (a removed group keeps its last one). */
  private final Map<GroupName, String> routes = new ConcurrentHashMap<>();
  /** Each source's credential expiry as last read (absent: none known; a failed read keeps it). */
  private final Map<String, Instant> expiries = new ConcurrentHashMap<>();

  /**
   * Guards each source's calls.
   *
   * @param sources the sources by name (at least one)
   * @param executor where calls run
   * @param timeout the deadline of one call
   * @param nanoTime the monotonic time of deadlines
   */
  public JobSources(Map<String, JobSource> sources, ExecutorService executor, Duration timeout, LongSupplier nanoTime) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no job source");
    }
    Map<String, Source> m = new LinkedHashMap<>();
    boolean single = sources.size() == 1;
    sources.forEach(
        (name, source) ->
            m.put(
                name,
                new Source(
                    name,
                    Objects.requireNonNull(source, name),
                    new CallGuard(
                        single ? "job source" : "job source " + name,
                        executor,
                        timeout,
                        nanoTime,
                        msg -> new JobSourceException(JobSourceException.Reason.UNAVAILABLE, msg)))));
    this.sources = Collections.unmodifiableMap(m);
  }

  /**
   * Sets who is told of each source's calls.
   *
   * @param observers the observer of each source, by name
   */
  void observe(java.util.function.Function<String, CallGuard.Observer> observers) {
    sources.forEach((name, s) -> s.guard().observe(observers.apply(name)));
  }

  /** The source names, in configuration order. */
  Set<String> names() {
    return sources.keySet();
  }

  /**
   * What the sources returned this cycle.
   *
   * @param merged every read source's jobs and workers of the groups that read from it; null when
   *     no source could be read
   * @param unread the groups whose source could not be read (empty when every source was read)
   * @param failed the names of the sources that could not be read
   */
  record Read(@Nullable JobSnapshot merged, Set<GroupName> unread, Set<String> failed) {}

  /** Starts the reads and returns a handle to await them, so that clouds are read meanwhile. */
  Pending start(Csv2Config cfg, Instant now) {
    Map<String, CallGuard.Pending<JobSnapshot>> pending = new LinkedHashMap<>();
    sources.forEach((name, s) -> pending.put(name, s.guard.start("snapshot()", s.source::snapshot)));
    return (stored, failures) -> collect(cfg, stored, now, failures, pending);
  }

  /** Reads started, to be awaited. */
  @FunctionalInterface
  interface Pending {
    /**
     * Waits for the sources' answers.
     *
     * @param storedGroups the groups of the stored VMs, asked for only when several sources are
     *     configured and one failed (a group no source is known for is then unread)
     * @param failures the cycle's failures
     * @return what was read
     */
    Read await(java.util.function.Supplier<Set<GroupName>> storedGroups, List<String> failures);
  }

  private Read collect(
      Csv2Config cfg,
      java.util.function.Supplier<Set<GroupName>> storedGroups,
      Instant now,
      List<String> failures,
      Map<String, CallGuard.Pending<JobSnapshot>> pending) {
    remember(cfg);
    Map<String, JobSnapshot> read = new LinkedHashMap<>();
    Set<String> failed = new TreeSet<>();
    pending.forEach(
        (name, p) -> {
          try {
            JobSnapshot s = p.await();
            if (s == null) {
              throw new JobSourceException(JobSourceException.Reason.UNAVAILABLE, "snapshot() returned null");
            }
            read.put(name, s);
          } catch (RuntimeException e) {
            failed.add(name);
            if (sources.size() == 1) {
              failures.add("job source: " + e.getMessage() + " (no boots or retirements this cycle)");
              CycleLog.warnFailure(log, "job source could not be read: no boots or retirements this cycle", e);
            } else {
              Set<GroupName> held = new TreeSet<>();
              routes.forEach((g, n) -> {
                if (n.equals(name)) {
                  held.add(g);
                }
              });
              failures.add(
                  "job source " + name + ": " + e.getMessage() + " (groups " + held
                      + ": no boots or retirements this cycle; the other groups go on)");
              CycleLog.warnFailure(
                  log, "job source " + name + " could not be read: its groups " + held + " wait, the others go on", e);
            }
          }
        });
    read.keySet().forEach(name -> readExpiry(sources.get(name), failures));
    if (read.isEmpty()) {
      return new Read(null, Set.of(), failed);
    }
    if (sources.size() == 1) {
      return new Read(read.values().iterator().next(), Set.of(), failed);
    }
    Set<GroupName> unread = new TreeSet<>();
    if (!failed.isEmpty()) {
      routes.forEach((g, n) -> {
        if (failed.contains(n)) {
          unread.add(g);
        }
      });
      for (GroupName g : storedGroups.get()) {
        if (!routes.containsKey(g)) {
          unread.add(g); // a group no source is known for: nothing is known of its workers
        }
      }
    }
    List<Job> jobs = new ArrayList<>();
    List<Worker> workers = new ArrayList<>();
    int skipped = 0;
    Instant at = null;
    for (Map.Entry<String, JobSnapshot> e : read.entrySet()) {
      String name = e.getKey();
      JobSnapshot s = e.getValue();
      skipped += s.skipped();
      at = at == null || s.at().isBefore(at) ? s.at() : at;
      for (Job j : s.jobs()) {
        if (name.equals(routes.get(j.group()))) {
          jobs.add(j);
        } else {
          skipped++; // a job of another source's group, or of no configured group
        }
      }
      for (Worker w : s.workers()) {
        String route = routes.get(w.group());
        if (name.equals(route) || route == null && !unread.contains(w.group())) {
          workers.add(w);
        }
      }
    }
    return new Read(new JobSnapshot(at == null ? now : at, jobs, workers, skipped), Set.copyOf(unread), failed);
  }

  /**
   * Asks a source that was just read when its credential expires; a failed read keeps the last
   * answer and is reported.
   */
  private void readExpiry(Source s, List<String> failures) {
    try {
      Optional<Instant> at = s.guard.call("credentialsExpireAt()", s.source::credentialsExpireAt);
      if (at == null || at.isEmpty()) {
        expiries.remove(s.name());
      } else {
        expiries.put(s.name(), at.get());
      }
    } catch (RuntimeException e) {
      String what = sources.size() == 1 ? "job source" : "job source " + s.name();
      failures.add(what + ": credentialsExpireAt() failed: " + e.getMessage() + " (the last answer is kept)");
      CycleLog.warnFailure(log, what + ": its credential's expiry could not be read", e);
    }
  }

  /**
   * When the credential of the source a group reads from expires, as last read.
   *
   * @param group the group
   * @return the source's name and its expiry; null when no expiry is known
   */
  Map.@Nullable Entry<String, Instant> credentialsExpireAt(GroupName group) {
    Source s = of(group);
    if (s == null) {
      return null;
    }
    Instant at = expiries.get(s.name());
    return at == null ? null : Map.entry(s.name(), at);
  }

  /** Records the configuration's routes; a removed group keeps its last one. */
  private void remember(Csv2Config cfg) {
    for (org.csv2.model.Group g : cfg.groups()) {
      cfg.jobSourceOf(g.name()).ifPresent(n -> {
        if (sources.containsKey(n)) {
          routes.put(g.name(), n);
        }
      });
    }
  }

  /**
   * The source a group's VMs are drained and forgotten through.
   *
   * @param group the group
   * @return its source, or the only one; null when unknown among several
   */
  @Nullable Source of(GroupName group) {
    String n = routes.get(group);
    if (n != null) {
      return sources.get(n);
    }
    return sources.size() == 1 ? sources.values().iterator().next() : null;
  }

  /**
   * Asks the group's source to drain a worker.
   *
   * @throws JobSourceException when no source is known for the group, or the call fails
   */
  void retire(Worker w) {
    Source s = require(w.group());
    s.guard.call("retire(" + w.name() + ")", () -> {
      s.source.retire(w);
      return null;
    });
  }

  /**
   * Asks the group's source to forget a VM that is gone.
   *
   * @throws JobSourceException when no source is known for the group, or the call fails
   */
  void forget(GroupName group, VmId id) {
    Source s = require(group);
    s.guard.call("forget(" + id + ")", () -> {
      s.source.forget(id);
      return null;
    });
  }

  private Source require(GroupName group) {
    Source s = of(group);
    if (s == null) {
      throw new JobSourceException(
          JobSourceException.Reason.UNAVAILABLE, "no job source is known for group " + group + " (configured: " + sources.keySet() + ")");
    }
    return s;
  }

  /** The routes in force, for status: group to source name. */
  Map<GroupName, String> routes() {
    return new HashMap<>(routes);
  }

  /** One source and its guard. */
  record Source(String name, JobSource source, CallGuard guard) {}
}

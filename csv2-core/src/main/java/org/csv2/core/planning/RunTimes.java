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
package org.csv2.core.planning;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.JobState;
import org.jspecify.annotations.Nullable;

/**
 * What the engine knows about how long jobs run: the one place that estimates a job's run time
 * (docs/planner.md, "Packing that learns").
 *
 * <p>A job's expected run time is, in this order:
 *
 * <ol>
 *   <li>its requested wall time ({@link Job#requestedWallTime()}), scaled by the share of their
 *       requests that its owner's finished jobs used (a geometric mean, at most 1), once the owner
 *       has {@link #MIN_SAMPLES} such jobs; a request is a limit, so the estimate never exceeds it;
 *   <li>else its owner's typical run time (the geometric mean of their finished jobs' run times),
 *       once the owner has {@link #MIN_SAMPLES} finished jobs;
 *   <li>else unknown: the planner then plans as it does without run times.
 * </ol>
 *
 * <p>A job's run is observed from the snapshots: seen RUNNING, then gone from the job source (or
 * COMPLETED) is one finished run of the time between the two observations (up to a cycle off at
 * each end); a job that goes back to IDLE, HELD or REMOVED teaches nothing. Memory is bounded: per
 * owner a few numbers (an exponentially weighted mean of the log run time and of the log share of
 * the request used), at most {@link #MAX_OWNERS} owners (the least recently updated is forgotten),
 * and one entry per running job, at most {@link #MAX_RUNNING}. History is not persisted: after a
 * restart the engine learns again, and jobs already running count as started at the first cycle.
 *
 * <p><b>Thread safety:</b> not thread-safe. The engine's cycle thread calls {@link #observe} and
 * then plans with it; {@link #none()} is immutable and shared.
 */
public final class RunTimes {
  /** How far ahead cores that running jobs are expected to free count as supply (about a boot). */
  public static final Duration HORIZON = Duration.ofMinutes(5);

  /**
   * How long an idle job may wait for cores that running jobs are expected to free; a job queued
   * longer is planned for as without run times, so that a wrong estimate never starves it.
   */
  public static final Duration PATIENCE = Duration.ofMinutes(10);

  /** Finished runs an owner needs before their history is used. */
  public static final int MIN_SAMPLES = 3;

  /** Owners remembered at most. */
  public static final int MAX_OWNERS = 10_000;

  /** Running jobs followed at most (more are not learned from). */
  public static final int MAX_RUNNING = 2_000_000;

  /** Weight of a new run in an owner's means once they have {@code 1 / ALPHA} runs. */
  static final double ALPHA = 0.05;

  private static final RunTimes NONE = new RunTimes(true);

  private final boolean frozen;
  /** Owners in the order of their last update (least recent first), for the bound. */
  private final LinkedHashMap<String, Owner> owners = new LinkedHashMap<>(16, 0.75f, false);

  private final Map<JobId, Run> running = new HashMap<>();
  private long cycle;
  private @Nullable List<Job> lastJobs;

  /** Creates an empty history. */
  public RunTimes() {
    this(false);
  }

  private RunTimes(boolean frozen) {
    this.frozen = frozen;
  }

  /**
   * The estimator that knows nothing: every job's run time is unknown (requested wall times
   * included), so the planner plans exactly as without run times.
   *
   * @return the shared empty estimator
   */
  public static RunTimes none() {
    return NONE;
  }

  /** Per-owner history: means of log seconds and of the log share of the request used. */
  private static final class Owner {
    int runs;
    double meanLog;
    int requested;
    double meanLogShare;

    void add(double seconds, @Nullable Duration request) {
      runs++;
      meanLog += (Math.log(seconds) - meanLog) / Math.min(runs, 1 / ALPHA);
      if (request != null && !request.isZero()) {
        double share = Math.min(1.0, seconds / request.toSeconds());
        requested++;
        meanLogShare += (Math.log(share) - meanLogShare) / Math.min(requested, 1 / ALPHA);
      }
    }
  }

  private static final class Run {
    final Instant since;
    final String owner;
    final @Nullable Duration requested;
    long seen;

    Run(Instant since, String owner, @Nullable Duration requested, long seen) {
      this.since = since;
      this.owner = owner;
      this.requested = requested;
      this.seen = seen;
    }
  }

  /**
   * Learns from one snapshot of the job source: jobs newly RUNNING start being followed, followed
   * jobs gone or COMPLETED are finished runs of their owner. The same list object as the last call
   * (a job source that hands out its unchanged list again) is skipped: nothing changed.
   *
   * @param now the cycle's time
   * @param jobs every job of the job source's snapshot
   * @throws UnsupportedOperationException on {@link #none()}
   */
  public void observe(Instant now, List<Job> jobs) {
    if (frozen) {
      throw new UnsupportedOperationException("the empty run-time estimator learns nothing");
    }
    if (jobs == lastJobs) {
      return;
    }
    lastJobs = jobs;
    long c = ++cycle;
    for (Job j : jobs) {
      if (j.state() == JobState.RUNNING) {
        Run r = running.get(j.id());
        if (r != null) {
          r.seen = c;
        } else if (running.size() < MAX_RUNNING) {
          running.put(j.id(), new Run(now, j.owner(), j.requestedWallTime(), c));
        }
      } else if (!running.isEmpty()) {
        Run r = running.remove(j.id());
        if (r != null && j.state() == JobState.COMPLETED) {
          finished(r, now);
        }
      }
    }
    for (Iterator<Run> it = running.values().iterator(); it.hasNext(); ) {
      Run r = it.next();
      if (r.seen != c) {
        it.remove();
        finished(r, now);
      }
    }
  }

  private void finished(Run r, Instant now) {
    long ms = Duration.between(r.since, now).toMillis();
    if (ms <= 0) {
      return;
    }
    Owner o = owners.remove(r.owner);
    if (o == null) {
      o = new Owner();
      if (owners.size() >= MAX_OWNERS) {
        Iterator<String> eldest = owners.keySet().iterator();
        eldest.next();
        eldest.remove();
      }
    }
    o.add(ms / 1000.0, r.requested);
    owners.put(r.owner, o);
  }

  /**
   * Records one finished run directly (tests, and job sources that report run times).
   *
   * @param owner the owner
   * @param runTime how long it ran; positive
   * @param requested what it requested, or null
   */
  public void learn(String owner, Duration runTime, @Nullable Duration requested) {
    if (frozen) {
      throw new UnsupportedOperationException("the empty run-time estimator learns nothing");
    }
    Instant end = Instant.EPOCH.plus(runTime);
    finished(new Run(Instant.EPOCH, owner, requested, 0), end);
  }

  /**
   * The job's expected run time in seconds, or -1 when unknown (see the class comment).
   *
   * @param job the job
   * @return seconds, or -1
   */
  public double expectedSeconds(Job job) {
    if (frozen) {
      return -1;
    }
    Duration req = job.requestedWallTime();
    Owner o = owners.get(job.owner());
    if (req != null && !req.isZero()) {
      double s = req.toMillis() / 1000.0;
      return o != null && o.requested >= MIN_SAMPLES ? s * Math.exp(o.meanLogShare) : s;
    }
    if (o != null && o.runs >= MIN_SAMPLES) {
      return Math.exp(o.meanLog);
    }
    return -1;
  }

  /**
   * When a followed job was first seen RUNNING, or null when it is not followed.
   *
   * @param id the job
   * @return the time, or null
   */
  public @Nullable Instant runningSince(JobId id) {
    Run r = running.get(id);
    return r == null ? null : r.since;
  }

  /**
   * Whether a RUNNING job is expected to end by {@code now + HORIZON}: its start plus its expected
   * run time is before then, and, unless its request guarantees the end, not so long ago that the
   * estimate was plainly wrong (a job running past its estimate by more than the horizon is not
   * expected to end soon).
   *
   * @param job a running job
   * @param now the cycle's time
   * @return whether it frees its cores soon
   */
  public boolean endsSoon(Job job, Instant now) {
    Instant since = runningSince(job.id());
    if (since == null) {
      return false;
    }
    double expected = expectedSeconds(job);
    if (expected < 0) {
      return false;
    }
    double elapsed = Duration.between(since, now).toMillis() / 1000.0;
    double left = expected - elapsed;
    double horizon = HORIZON.toSeconds();
    Duration req = job.requestedWallTime();
    if (req != null && req.toSeconds() - elapsed <= horizon) {
      return true; // the batch system ends it by its limit
    }
    return left <= horizon && left >= -horizon;
  }

  /**
   * The first instant after {@code now} at which {@link #endsSoon} may answer otherwise for this
   * running job with the same knowledge (for the plan's validity, {@link Planner#planTimed}).
   *
   * @param job a running job
   * @param now the cycle's time
   * @return that instant, or null when it never changes
   */
  public @Nullable Instant nextChange(Job job, Instant now) {
    Instant since = runningSince(job.id());
    double expected = since == null ? -1 : expectedSeconds(job);
    if (since == null || expected < 0) {
      return null;
    }
    long horizon = HORIZON.toMillis();
    long e = Math.round(expected * 1000);
    Instant best = null;
    List<Instant> times = new java.util.ArrayList<>(3);
    times.add(since.plusMillis(e - horizon));
    times.add(since.plusMillis(e + horizon + 1));
    Duration req = job.requestedWallTime();
    if (req != null) {
      times.add(since.plus(req).minusMillis(horizon));
    }
    for (Instant t : times) {
      if (t.isAfter(now) && (best == null || t.isBefore(best))) {
        best = t;
      }
    }
    return best;
  }

  /**
   * Owners with a history (for tests and status).
   *
   * @return how many
   */
  public int owners() {
    return owners.size();
  }

  /**
   * Jobs followed while running.
   *
   * @return how many
   */
  public int followed() {
    return running.size();
  }
}

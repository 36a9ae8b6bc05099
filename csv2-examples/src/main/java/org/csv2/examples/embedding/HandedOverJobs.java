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
package org.csv2.examples.embedding;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.csv2.model.Job;
import org.csv2.model.JobSnapshot;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.JobSource;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.MetricsSink;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;

/**
 * The frontend's own job source: jobs and workers are handed over in code by the service that
 * already knows them (from its own scheduler), not read from {@code condor_q}. The engine reads
 * the latest hand-over each cycle and tells the service which workers to retire and which VMs are
 * gone.
 *
 * <p><b>Thread safety:</b> the service hands over from any thread; the engine reads on its own.
 */
public final class HandedOverJobs implements JobSourceProvider {
  /** The name the configuration's {@code job-source.driver} uses. */
  public static final String NAME = "frontend";

  private final Object lock = new Object();
  private JobSnapshot current;
  private final List<Worker> retired = new ArrayList<>();
  private final List<VmId> forgotten = new ArrayList<>();
  private final Clock clock;

  /**
   * Creates an empty queue.
   *
   * @param clock the clock of the hand-overs (the engine's)
   */
  public HandedOverJobs(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.current = new JobSnapshot(clock.instant(), List.of(), List.of(), 0);
  }

  /**
   * Replaces what the engine sees: the frontend's current jobs and workers.
   *
   * @param jobs the jobs (idle, running, held)
   * @param workers the workers csv2's VMs run
   */
  public void handOver(List<Job> jobs, List<Worker> workers) {
    synchronized (lock) {
      current = new JobSnapshot(clock.instant(), jobs, workers, 0);
    }
  }

  /**
   * The workers the engine asked the frontend to drain.
   *
   * @return a copy
   */
  public List<Worker> retired() {
    synchronized (lock) {
      return List.copyOf(retired);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String apiVersion() {
    return Csv2Api.VERSION;
  }

  @Override
  public JobSource create(PluginConfig config, PluginContext context) {
    MetricsSink metrics = context.metrics();
    return new JobSource() {
      @Override
      public JobSnapshot snapshot() {
        JobSnapshot s;
        synchronized (lock) {
          s = current;
        }
        metrics.gauge("frontend.jobs.handed-over", s.jobs().size(), Map.of());
        return s;
      }

      @Override
      public void retire(Worker worker) {
        synchronized (lock) {
          if (!retired.contains(worker)) {
            retired.add(worker);
          }
        }
      }

      @Override
      public void forget(VmId vm) {
        synchronized (lock) {
          forgotten.add(vm);
        }
      }

      @Override
      public void close() {}
    };
  }
}

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
import java.util.List;
import java.util.Objects;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.core.Csv2Scheduler;
import org.csv2.model.Job;
import org.csv2.model.Worker;
import org.csv2.spi.CloudDriverProvider;

/**
 * An HTCondor frontend that embeds csv2: it already knows its jobs (from its own scheduler) and
 * hands them over in code each cycle; csv2 starts and retires cloud VMs for them and reports its
 * figures into the frontend's own metrics registry. The frontend drives the cycles from its own
 * loop ({@link #cycle()}); a service with no loop of its own calls {@code start()} instead.
 *
 * <pre>{@code
 * FrontendService frontend = new FrontendService(yaml, clock, new FrontendMetrics(), List.of());
 * frontend.handOver(myJobs, myWorkers);   // whenever the frontend's own view changes
 * frontend.cycle();                       // from the frontend's loop
 * }</pre>
 */
public final class FrontendService implements AutoCloseable {
  private final HandedOverJobs jobs;
  private final Scheduler engine;

  /**
   * Builds the embedded engine.
   *
   * @param yaml the csv2 configuration, with {@code job-source: { driver: frontend }}
   * @param clock the engine clock
   * @param metrics the frontend's metrics registry
   * @param clouds cloud driver providers to register in code (the ones on the class path are
   *     found as well)
   */
  public FrontendService(String yaml, Clock clock, FrontendMetrics metrics, List<CloudDriverProvider> clouds) {
    Objects.requireNonNull(yaml, "yaml");
    this.jobs = new HandedOverJobs(clock);
    Csv2Scheduler.Builder builder =
        Csv2Scheduler.builder().configYaml(yaml).clock(clock).addJobSourceProvider(jobs).metrics(metrics);
    clouds.forEach(builder::addCloudDriverProvider);
    this.engine = builder.build();
  }

  /**
   * Hands the frontend's current jobs and workers to the engine.
   *
   * @param current the jobs
   * @param workers the workers on csv2's VMs
   */
  public void handOver(List<Job> current, List<Worker> workers) {
    jobs.handOver(current, workers);
  }

  /**
   * Runs one engine cycle now.
   *
   * @return what the cycle did
   */
  public CycleReport cycle() {
    return engine.runOnce();
  }

  /**
   * The workers the engine asked the frontend to drain.
   *
   * @return the workers
   */
  public List<Worker> retired() {
    return jobs.retired();
  }

  /**
   * The embedded engine, for status and dry runs.
   *
   * @return the engine
   */
  public Scheduler engine() {
    return engine;
  }

  @Override
  public void close() {
    engine.close();
  }
}

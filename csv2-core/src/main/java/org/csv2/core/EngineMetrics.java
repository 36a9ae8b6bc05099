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

import java.util.Map;
import java.util.Objects;
import org.csv2.api.CycleReport;
import org.csv2.api.SchedulerListener;
import org.csv2.model.VmState;
import org.csv2.spi.MetricsSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the engine's own figures of each cycle to an embedder's metrics registry: gauges {@code
 * csv2.jobs.idle}, {@code csv2.jobs.running}, {@code csv2.vms} (label {@code state}, every state)
 * and {@code csv2.plan.time.ms}; counters {@code csv2.cycles}, {@code csv2.cycle.failures} and
 * {@code csv2.actions} (label {@code kind}: boot, retire, terminate, adopt). Every figure carries
 * the label {@code instance} (the engine's instance id). Plugins' figures reach the same registry
 * through {@code PluginMetrics}.
 *
 * <p><b>Thread safety:</b> called on the cycle thread; the registry's own failures are logged.
 */
final class EngineMetrics implements SchedulerListener {
  private static final Logger log = LoggerFactory.getLogger(EngineMetrics.class);

  private final MetricsSink registry;
  private final String instanceId;

  EngineMetrics(MetricsSink registry, String instanceId) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
  }

  @Override
  public void cycleCompleted(CycleReport report) {
    try {
      Map<String, String> labels = Map.of("instance", instanceId);
      registry.gauge("csv2.jobs.idle", report.idleJobs(), labels);
      registry.gauge("csv2.jobs.running", report.runningJobs(), labels);
      for (VmState state : VmState.values()) {
        registry.gauge("csv2.vms", report.vmsByState().getOrDefault(state, 0), Map.of("instance", instanceId, "state", state.name()));
      }
      registry.gauge("csv2.plan.time.ms", report.planTime().toNanos() / 1e6, labels);
      registry.count("csv2.cycles", 1, labels);
      registry.count("csv2.cycle.failures", report.failures().size(), labels);
      count("boot", report.plan().boots().size());
      count("retire", report.plan().retirements().size());
      count("terminate", report.plan().terminations().size());
      count("adopt", report.plan().adoptions().size());
    } catch (RuntimeException e) {
      log.warn("the embedder's metrics registry failed on cycle {}", report.cycle(), e);
    }
  }

  private void count(String kind, int n) {
    registry.count("csv2.actions", n, Map.of("instance", instanceId, "kind", kind));
  }
}

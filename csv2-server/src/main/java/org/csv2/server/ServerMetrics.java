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
package org.csv2.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.csv2.api.CloudStatus;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.api.SchedulerListener;
import org.csv2.model.Boot;
import org.csv2.model.PlanAction;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.jspecify.annotations.Nullable;

/**
 * The server's Micrometer meters: figures of the state (VMs by group, cloud and state; jobs by
 * group; cores and RAM per cloud; breaker states), refreshed at each scrape and after each cycle
 * of an engine in this process, counters of what the engine did, and the JVM's own meters.
 *
 * <p><b>Thread safety:</b> {@link #refresh()} is synchronized; meters are thread-safe.
 */
final class ServerMetrics implements AutoCloseable {
  private final World world;
  private final MeterRegistry registry;
  private final @Nullable PrometheusMeterRegistry prometheus;
  private final MultiGauge vms;
  private final MultiGauge jobs;
  private final MultiGauge cores;
  private final MultiGauge ram;
  private final MultiGauge breaker;
  private final MultiGauge credentials;
  private final MultiGauge sourceCredentials;
  private final @Nullable SchedulerListener listener;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  ServerMetrics(World world, MeterRegistry registry, @Nullable PrometheusMeterRegistry prometheus) {
    this.world = world;
    this.registry = registry;
    this.prometheus = prometheus;
    vms = MultiGauge.builder("csv2.vms").description("VMs by group, cloud and state (terminated ones excluded)").register(registry);
    jobs = MultiGauge.builder("csv2.jobs").description("Jobs by group and state (idle, running)").register(registry);
    cores = MultiGauge.builder("csv2.cloud.cores").description("Cores per cloud: used by csv2's VMs, used by others (foreign), and the quota").register(registry);
    ram = MultiGauge.builder("csv2.cloud.ram").baseUnit("mebibytes").description("RAM per cloud: used by csv2's VMs, used by others (foreign), and the quota").register(registry);
    credentials = MultiGauge.builder("csv2.cloud.credential.days").description("Days until the cloud's credentials expire, where the cloud says").register(registry);
    sourceCredentials = MultiGauge.builder("csv2.job.source.credential.days").description("Days until the credential a group's job source uses (an HTCondor token) expires, where it says").register(registry);
    breaker = MultiGauge.builder("csv2.cloud.breaker").description("1 for the circuit breaker state each cloud is in").register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
    Scheduler s = world.scheduler().orElse(null);
    if (s != null) {
      Counter boots = Counter.builder("csv2.vm.boots").description("VMs asked for by the engine").register(registry);
      Counter retirements = Counter.builder("csv2.vm.retirements").description("VMs the engine retired").register(registry);
      Counter terminations = Counter.builder("csv2.vm.terminations").description("VMs the engine terminated").register(registry);
      Counter failures = Counter.builder("csv2.cycle.failures").description("Failed calls reported by the engine's cycles").register(registry);
      Counter cycles = Counter.builder("csv2.cycles").description("Cycles the engine ran").register(registry);
      DistributionSummary planTime =
          DistributionSummary.builder("csv2.plan.duration")
              .baseUnit("seconds")
              .description("Time the planner took in each cycle")
              .publishPercentileHistogram()
              .register(registry);
      listener =
          new SchedulerListener() {
            @Override
            public void cycleCompleted(CycleReport report) {
              cycles.increment();
              planTime.record(report.planTime().toNanos() / 1e9);
              for (PlanAction a : report.plan().actions()) {
                if (a instanceof Boot b) {
                  boots.increment(b.count());
                } else if (a instanceof Retire) {
                  retirements.increment();
                } else if (a instanceof Terminate) {
                  terminations.increment();
                }
              }
              failures.increment(report.failures().size());
              refresh();
            }
          };
      s.addListener(listener);
    } else {
      listener = null;
    }
  }

  MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text, refreshed first; null when the registry is not a Prometheus one. */
  @Nullable String scrape() {
    if (prometheus == null) {
      return null;
    }
    refresh();
    return prometheus.scrape();
  }

  synchronized void refresh() {
    Principal all = new Principal(org.csv2.model.User.of("metrics", "", true, java.util.Set.of()), null);
    Views.StatusView status = world.status(all);
    List<MultiGauge.Row<?>> vmRows = new ArrayList<>();
    List<MultiGauge.Row<?>> coreRows = new ArrayList<>();
    List<MultiGauge.Row<?>> ramRows = new ArrayList<>();
    Map<String, long[]> perCloud = new java.util.TreeMap<>();
    // what others use on each cloud, and the credentials' days left, as the engines' snapshots say
    Map<String, long[]> foreign = new java.util.TreeMap<>();
    Map<String, Integer> credentialDays = new java.util.TreeMap<>();
    for (Views.CloudRow c : status.clouds()) {
      c.vms().forEach((state, n) -> vmRows.add(MultiGauge.Row.of(Tags.of("group", c.group(), "cloud", c.cloud(), "state", state.toLowerCase(java.util.Locale.ROOT)), n)));
      long[] t = perCloud.computeIfAbsent(c.cloud(), k -> new long[] {0, 0, -1, -1});
      t[0] += c.coresUsed();
      t[1] += c.ramUsedMiB();
      if (c.coresQuota() != null) {
        t[2] = c.coresQuota();
        t[3] = c.ramQuotaMiB() == null ? -1 : c.ramQuotaMiB();
      }
      foreign.putIfAbsent(c.cloud(), new long[] {c.coresForeign() == null ? -1 : c.coresForeign(), c.ramForeignMiB() == null ? -1 : c.ramForeignMiB()});
      if (c.credentialDaysLeft() != null) {
        credentialDays.putIfAbsent(c.cloud(), c.credentialDaysLeft());
      }
    }
    // each group's job-source credential days left, from the engines' snapshots
    List<MultiGauge.Row<?>> sourceRows = new ArrayList<>();
    try {
      for (org.csv2.api.ops.GroupStatus gs : world.store().statuses()) {
        org.csv2.api.ops.GroupStatus.SourceFigures js = gs.jobSource();
        if (js != null && js.credentialDaysLeft() != null) {
          sourceRows.add(MultiGauge.Row.of(Tags.of("group", gs.group().value(), "source", js.name()), js.credentialDaysLeft()));
        }
      }
    } catch (RuntimeException e) {
      // a store that keeps no snapshots: no job-source figures
    }
    List<MultiGauge.Row<?>> credentialRows = new ArrayList<>();
    credentialDays.forEach((cloud, days) -> credentialRows.add(MultiGauge.Row.of(Tags.of("cloud", cloud), days)));
    perCloud.forEach((cloud, t) -> {
      long[] fo = foreign.get(cloud);
      if (fo != null && fo[0] >= 0) {
        coreRows.add(MultiGauge.Row.of(Tags.of("cloud", cloud, "kind", "foreign"), fo[0]));
      }
      if (fo != null && fo[1] >= 0) {
        ramRows.add(MultiGauge.Row.of(Tags.of("cloud", cloud, "kind", "foreign"), fo[1]));
      }
      coreRows.add(MultiGauge.Row.of(Tags.of("cloud", cloud, "kind", "used"), t[0]));
      ramRows.add(MultiGauge.Row.of(Tags.of("cloud", cloud, "kind", "used"), t[1]));
      if (t[2] >= 0) {
        coreRows.add(MultiGauge.Row.of(Tags.of("cloud", cloud, "kind", "quota"), t[2]));
      }
      if (t[3] >= 0) {
        ramRows.add(MultiGauge.Row.of(Tags.of("cloud", cloud, "kind", "quota"), t[3]));
      }
    });
    List<MultiGauge.Row<?>> jobRows = new ArrayList<>();
    for (Views.JobRow j : status.jobs()) {
      if (j.alias() != null) {
        continue; // the group's own row counts every job of the group
      }
      jobRows.add(MultiGauge.Row.of(Tags.of("group", j.group(), "state", "idle"), j.idle()));
      jobRows.add(MultiGauge.Row.of(Tags.of("group", j.group(), "state", "running"), j.running()));
    }
    List<MultiGauge.Row<?>> breakerRows = new ArrayList<>();
    world.scheduler().ifPresent(s -> {
      for (CloudStatus c : s.status().clouds()) {
        for (org.csv2.api.BreakerState b : org.csv2.api.BreakerState.values()) {
          breakerRows.add(MultiGauge.Row.of(Tags.of("cloud", c.cloud().value(), "state", b.name().toLowerCase(java.util.Locale.ROOT)), c.breaker() == b ? 1 : 0));
        }
      }
    });
    vms.register(vmRows, true);
    cores.register(coreRows, true);
    ram.register(ramRows, true);
    jobs.register(jobRows, true);
    breaker.register(breakerRows, true);
    credentials.register(credentialRows, true);
    sourceCredentials.register(sourceRows, true);
  }

  @Override
  public void close() {
    if (listener != null) {
      world.scheduler().ifPresent(s -> s.removeListener(listener));
    }
    gc.close();
  }
}

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

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.api.SchedulerListener;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.model.Plan;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.MetricsSink;
import org.csv2.spi.PlanningPolicy;
import org.junit.jupiter.api.Test;

/** An embedder overrides the engine's bindings with ordinary Guice modules. */
class GuiceEmbeddingTest {
  private static final String YAML =
      """
      engine: { instance-id: g1 }
      groups:
        - name: atlas
      clouds:
        - name: c1
          driver: guiced
      allocations:
        - { group: atlas, cloud: c1, priority: 0 }
      job-source:
        driver: simulated
      state-store:
        driver: memory
      """;

  @Test
  void clockExecutorMetricsListenersPlannerAndPluginsComeFromTheEmbeddersModules() throws Exception {
    VirtualClock worldClock = new VirtualClock();
    SimulatedWorld world = new SimulatedWorld(worldClock, 3);
    Clock fixed = Clock.fixed(Instant.parse("2031-02-03T04:05:06Z"), ZoneOffset.UTC);
    AtomicInteger executed = new AtomicInteger();
    ExecutorService pool = Executors.newCachedThreadPool();
    ExecutorService counting = new java.util.concurrent.AbstractExecutorService() {
      @Override public void shutdown() { pool.shutdown(); }
      @Override public List<Runnable> shutdownNow() { return pool.shutdownNow(); }
      @Override public boolean isShutdown() { return pool.isShutdown(); }
      @Override public boolean isTerminated() { return pool.isTerminated(); }
      @Override public boolean awaitTermination(long t, java.util.concurrent.TimeUnit u) throws InterruptedException {
        return pool.awaitTermination(t, u);
      }
      @Override public void execute(Runnable command) {
        executed.incrementAndGet();
        pool.execute(command);
      }
    };
    List<String> figures = new CopyOnWriteArrayList<>();
    MetricsSink registry = new MetricsSink() {
      @Override
      public void count(String name, long delta, Map<String, String> labels) {
        figures.add(name);
      }
    };
    List<CycleReport> notified = new CopyOnWriteArrayList<>();
    SchedulerListener listener = new SchedulerListener() {
      @Override
      public void cycleCompleted(CycleReport report) {
        notified.add(report);
      }
    };
    PlanningPolicy planner = view -> new Plan(view.now(), List.of(), List.of("planned by the embedder's module"));
    CloudDriverProvider guiced = world.cloudProvider();
    CloudDriverProvider renamed = new CloudDriverProvider() {
      @Override public String name() { return "guiced"; }
      @Override public String apiVersion() { return guiced.apiVersion(); }
      @Override public org.csv2.spi.CloudDriver create(org.csv2.spi.PluginConfig c, org.csv2.spi.PluginContext x) {
        return guiced.create(c, x);
      }
    };
    AbstractModule embedder = new AbstractModule() {
      @Override
      protected void configure() {
        bind(Clock.class).toInstance(fixed);
        bind(ExecutorService.class).toInstance(counting);
        bind(MetricsSink.class).toInstance(registry);
        Multibinder.newSetBinder(binder(), SchedulerListener.class).addBinding().toInstance(listener);
        OptionalBinder.newOptionalBinder(binder(), PlanningPolicy.class).setBinding().toInstance(planner);
        MapBinder.newMapBinder(binder(), String.class, CloudDriverProvider.class).addBinding("guiced").toInstance(renamed);
      }
    };
    try (Scheduler s = Csv2Scheduler.builder()
        .configYaml(YAML)
        .addJobSourceProvider(world.jobSourceProvider())
        .modules(embedder)
        .build()) {
      Plan plan = s.plan();
      assertThat(plan.at()).as("the engine clock of the module").isEqualTo(fixed.instant());
      assertThat(plan.notes()).as("the planner of the module").contains("planned by the embedder's module");
      CycleReport report = s.runOnce();
      assertThat(report.failures()).isEmpty();
      assertThat(notified).as("the listener of the module").containsExactly(report);
      assertThat(figures).as("the metrics registry of the module").contains("csv2.cycles");
      assertThat(executed.get()).as("plugin calls ran on the module's executor").isPositive();
      assertThat(s.status().clouds()).extracting(c -> c.cloud().value()).containsExactly("c1");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anInternalPartMadeByInjectionIsReplacedByTheEmbeddersBinding() {
    VirtualClock clock = new VirtualClock();
    SimulatedWorld world = new SimulatedWorld(clock, 5);
    List<org.csv2.model.BootRequest> composed = new CopyOnWriteArrayList<>();
    org.csv2.core.engine.BootComposer standard = new org.csv2.core.engine.UserDataBootComposer("g1");
    org.csv2.core.engine.BootComposer tagging = (group, allocation, boot, flavor, names, defaults, tags) -> {
      Map<String, String> more = new java.util.HashMap<>(tags);
      more.put("frontend-tag", "set-by-the-embedder");
      List<org.csv2.model.BootRequest> requests = standard.requests(group, allocation, boot, flavor, names, defaults, more);
      composed.addAll(requests);
      return requests;
    };
    AbstractModule embedder = new AbstractModule() {
      @Override
      protected void configure() {
        bind(Clock.class).toInstance(clock);
        bind(org.csv2.core.engine.BootComposer.class).toInstance(tagging);
      }
    };
    try (Scheduler s = Csv2Scheduler.builder()
        .configYaml(YAML.replace("driver: guiced", "driver: simulated")
            .replace("  - name: atlas\n", "  - name: atlas\n    vm-defaults: { image: alma9 }\n"))
        .addCloudDriverProvider(world.cloudProvider())
        .addJobSourceProvider(world.jobSourceProvider())
        .modules(embedder)
        .build()) {
      world.pool().submit(org.csv2.model.GroupName.of("atlas"), "u", org.csv2.model.Resources.of(1, 1024),
          java.time.Duration.ofHours(1), 0);
      CycleReport report = s.runOnce();
      for (int c = 0; c < 5 && composed.isEmpty(); c++) { // the pool lists a job once it has arrived
        clock.advance(java.time.Duration.ofSeconds(30));
        report = s.runOnce();
      }
      assertThat(report.failures()).isEmpty();
      assertThat(composed).as("boot requests composed by the embedder's binding; last plan %s", report.plan()).isNotEmpty();
      assertThat(world.cloud(org.csv2.model.CloudName.of("c1")).orElseThrow().instances())
          .as("instances booted with what the embedder's composer added")
          .isNotEmpty()
          .allSatisfy(i -> assertThat(i.tags()).containsEntry("frontend-tag", "set-by-the-embedder"));
    }
  }
}

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.config.EngineSettings;
import org.csv2.core.config.PluginSelection;
import org.csv2.core.planning.Snapshot;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.Allocation;
import org.csv2.model.Boot;
import org.csv2.model.BootRequest;
import org.csv2.model.Cloud;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import org.csv2.model.UserData;
import org.csv2.spi.CloudDriver;
import org.csv2.testkit.MutableClock;

/** A reconciler over fakes, with a scripted planner. */
final class Fixture implements AutoCloseable {
  static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  static final GroupName ATLAS = GroupName.of("atlas");
  static final CloudName C1 = CloudName.of("c1");
  static final CloudName C2 = CloudName.of("c2");

  final MutableClock clock = MutableClock.at(T0);
  final CountingStore store = new CountingStore(new InMemoryStateStore(clock));
  final FakeJobSource jobs = new FakeJobSource();
  final Map<CloudName, FakeCloud> clouds = new LinkedHashMap<>();
  final List<Snapshot> snapshots = new ArrayList<>();
  final ExecutorService executor = Executors.newCachedThreadPool();
  Function<Snapshot, List<PlanAction>> planner = s -> List.of();
  Duration callTimeout = Duration.ofSeconds(10);
  final PluginMetrics metrics = new PluginMetrics();
  Reconciler.@org.jspecify.annotations.Nullable ConfigReloader reloader;
  @org.jspecify.annotations.Nullable String document;
  String leaseOwner = "t1@fixture";
  /** A real planner to run instead of the scripted one (null: the script). */
  org.csv2.core.planning.@org.jspecify.annotations.Nullable Planner real;
  /** Whether the real planner may say until when its plan holds (false: it is asked every cycle). */
  boolean timed = true;
  int plannerCalls;

  Fixture() {
    clouds.put(C1, new FakeCloud());
    clouds.put(C2, new FakeCloud());
  }

  FakeCloud c1() {
    return clouds.get(C1);
  }

  FakeCloud c2() {
    return clouds.get(C2);
  }

  /** Plans the given actions once, then nothing. */
  void planOnce(PlanAction... actions) {
    List<PlanAction> once = List.of(actions);
    boolean[] done = {false};
    planner =
        s -> {
          if (done[0]) {
            return List.of();
          }
          done[0] = true;
          return once;
        };
  }

  static Boot boot(int count) {
    return boot(C1, count);
  }

  static Boot boot(CloudName cloud, int count) {
    return new Boot(ATLAS, cloud, FlavorName.of("small"), "centos", null, count, count, null, List.of(), 0, "test boot");
  }

  Csv2Config config() {
    List<CloudConfig> cc = new ArrayList<>();
    List<Allocation> allocations = new ArrayList<>();
    int p = 0;
    for (CloudName n : clouds.keySet()) {
      cc.add(new CloudConfig(new Cloud(n, "fake", true), new PluginSelection("fake", Map.of(), "clouds[" + p + "]")));
      allocations.add(Allocation.of("atlas", n.value(), p++));
    }
    EngineSettings defaults = EngineSettings.defaults("t1");
    EngineSettings settings =
        new EngineSettings(
            "t1",
            "scripted",
            defaults.flavorPolicy(),
            defaults.timers(),
            defaults.throttles(),
            callTimeout,
            3,
            Duration.ofSeconds(60),
            Duration.ofSeconds(60));
    return new Csv2Config(
        settings,
        List.of(Group.of("atlas")),
        cc,
        allocations,
        List.of(),
        new PluginSelection("fake", Map.of(), "job-source"),
        new PluginSelection("memory", Map.of(), "state-store"));
  }

  Reconciler build() {
    Map<CloudName, CloudDriver> drivers = new LinkedHashMap<>(clouds);
    return new Reconciler(
        config(),
        clock,
        executor,
        new Random(42),
        System::nanoTime,
        policy -> real != null ? counted(real) : s -> {
              snapshots.add(s);
              return new Plan(s.now(), planner.apply(s), List.of());
            },
        (group, allocation, boot, flavor, names, defaults, tags) ->
            List.of(new BootRequest(group.name(), flavor.name(), boot.image(), names, UserData.EMPTY, tags, defaults, 0)),
        store,
        jobs,
        drivers,
        reloader,
        leaseOwner,
        document,
        metrics);
  }

  private org.csv2.core.planning.Planner counted(org.csv2.core.planning.Planner p) {
    return new org.csv2.core.planning.Planner() {
      @Override
      public Plan plan(Snapshot s) {
        plannerCalls++;
        snapshots.add(s);
        return p.plan(s);
      }

      @Override
      public Timed planTimed(Snapshot s) {
        if (!timed) {
          return new Timed(plan(s), null);
        }
        plannerCalls++;
        snapshots.add(s);
        return p.planTimed(s);
      }
    };
  }

  Snapshot lastSnapshot() {
    return snapshots.get(snapshots.size() - 1);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

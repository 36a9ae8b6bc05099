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

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.config.EngineSettings;
import org.csv2.core.config.PluginSelection;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.VmDefaults;
import org.junit.jupiter.api.Test;

/**
 * Balanced leases (issue 20): engines sharing one store split the groups by count, and rebalance
 * when one joins or dies, in virtual time on the in-memory store. The engine-level proof (no
 * orphan, take-over within two lease periods) is {@code SharedStoreEnginesTest}.
 */
class BalancedLeasesTest {
  private static final Duration CYCLE = Duration.ofSeconds(10);
  private static final Duration TTL = Duration.ofSeconds(60);
  private static final int GROUPS = 7;

  private final VirtualClock clock = new VirtualClock();
  private final InMemoryStateStore store = new InMemoryStateStore(clock);
  private final Csv2Config config = config();
  private final Map<String, LeaseStep> engines = new LinkedHashMap<>();
  private final Map<String, Set<GroupName>> held = new HashMap<>();

  @Test
  void theSharesFollowTheFloorAndTheRemainderInOwnerOrder() {
    assertThat(LeaseStep.share(7, List.of("a", "b", "c"), "a")).isEqualTo(3);
    assertThat(LeaseStep.share(7, List.of("a", "b", "c"), "b")).isEqualTo(2);
    assertThat(LeaseStep.share(7, List.of("a", "b", "c"), "c")).isEqualTo(2);
    assertThat(LeaseStep.share(2, List.of("a", "b", "c"), "c")).isZero();
    assertThat(LeaseStep.share(5, List.of("a"), "a")).isEqualTo(5);
  }

  @Test
  void threeEnginesSplitTheGroupsAndRebalanceWhenOneJoinsAndWhenOneDies() {
    join("e1");
    cycles(2);
    assertThat(counts()).as("a lone engine holds every group").containsExactly(Map.entry("e1", GROUPS));

    join("e2");
    join("e3");
    int rebalanced = cyclesUntil(() -> counts().values().stream().sorted().toList().equals(List.of(2, 2, 3)), 10);
    assertThat(rebalanced).as("cycles until two joining engines had their share").isLessThanOrEqualTo(3);
    assertNoGroupTwiceAndNoneLeft();

    // e2 dies without giving its leases up: the others take its groups once they expire
    Set<GroupName> orphaned = new HashSet<>(held.get("e2"));
    engines.remove("e2");
    held.remove("e2");
    int takenOver = cyclesUntil(() -> counts().values().stream().sorted().toList().equals(List.of(3, 4)), 20);
    assertThat(CYCLE.multipliedBy(takenOver)).as("take-over delay").isLessThanOrEqualTo(TTL.multipliedBy(2));
    Set<GroupName> survivors = new HashSet<>(held.get("e1"));
    survivors.addAll(held.get("e3"));
    assertThat(survivors).containsAll(orphaned);
    assertNoGroupTwiceAndNoneLeft();

    // a clean shutdown gives the leases up at once
    engines.get("e3").release(config);
    engines.remove("e3");
    held.remove("e3");
    assertThat(cyclesUntil(() -> counts().equals(Map.of("e1", GROUPS)), 3)).isLessThanOrEqualTo(1);
  }

  private void join(String owner) {
    engines.put(owner, new LeaseStep(store, owner));
    held.put(owner, Set.of());
  }

  private void cycles(int n) {
    for (int i = 0; i < n; i++) {
      cycle();
    }
  }

  /** One cycle of every engine, then the clock moves on. */
  private void cycle() {
    engines.forEach((owner, step) -> {
      List<String> failures = new ArrayList<>();
      held.put(owner, step.take(config, Set.of(), clock.instant(), failures));
      assertThat(failures).as("failures of %s", owner).isEmpty();
    });
    assertNoGroupTwice();
    clock.advance(CYCLE);
  }

  private int cyclesUntil(java.util.function.BooleanSupplier done, int max) {
    for (int n = 1; n <= max; n++) {
      cycle();
      if (done.getAsBoolean()) {
        return n;
      }
    }
    throw new AssertionError("not balanced after " + max + " cycles: " + held);
  }

  private Map<String, Integer> counts() {
    Map<String, Integer> out = new TreeMap<>();
    held.forEach((owner, groups) -> out.put(owner, groups.size()));
    return out;
  }

  private void assertNoGroupTwice() {
    Set<GroupName> seen = new HashSet<>();
    held.forEach((owner, groups) -> groups.forEach(g -> assertThat(seen.add(g)).as("%s held twice", g).isTrue()));
  }

  private void assertNoGroupTwiceAndNoneLeft() {
    assertNoGroupTwice();
    Set<GroupName> all = new HashSet<>();
    held.values().forEach(all::addAll);
    assertThat(all).hasSize(GROUPS);
  }

  private static Csv2Config config() {
    List<Group> groups = new ArrayList<>();
    for (int i = 0; i < GROUPS; i++) {
      groups.add(new Group(GroupName.of("g" + i), Group.DEFAULT_JOB, new VmDefaults("centos7", null, null, null, null, null),
          List.of(), List.of(), 1.0, Map.of()));
    }
    EngineSettings d = EngineSettings.defaults("sim");
    EngineSettings settings =
        new EngineSettings("sim", "default", d.flavorPolicy(), d.timers(), d.throttles(), Duration.ofSeconds(20), 3,
            Duration.ofSeconds(60), TTL);
    return new Csv2Config(settings, groups, List.of(), List.of(), List.of(),
        new PluginSelection("simulated", Map.of(), "job-source.config"),
        new PluginSelection("memory", Map.of(), "state-store.config"));
  }
}

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
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.junit.jupiter.api.Test;

/**
 * The boot leads the reservation step learns from the difference of the live lists are those of
 * counting every live VM again each time (the rule as first written, kept here as the reference),
 * over random histories of VMs that come, go, are replaced by new records and whose boots are
 * quick or slow, on two clouds, with time passing across the lead memory.
 */
class BootLeadsTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  static final List<CloudName> CLOUDS = List.of(CloudName.of("c1"), CloudName.of("c2"));

  /** The rule counted over every live VM whenever the list changes. */
  static final class Reference {
    final Map<CloudName, Duration> lead = new HashMap<>();
    final Map<CloudName, Instant> since = new HashMap<>();
    List<Vm> from = List.of();

    void learn(List<Vm> live, Instant now) {
      if (SameLists.identical(live, from)) {
        return;
      }
      from = live;
      Map<CloudName, Duration> seen = new HashMap<>();
      for (Vm vm : live) {
        Instant booting = vm.transitions().get(VmState.BOOTING);
        Instant up = vm.transitions().get(VmState.UNREGISTERED);
        if (booting != null && up != null && up.isAfter(booting)) {
          seen.merge(vm.cloud(), Duration.between(booting, up), (x, y) -> x.compareTo(y) >= 0 ? x : y);
        }
      }
      seen.forEach((c, d) -> {
        Duration l = d.plusSeconds(60);
        l = l.compareTo(ReservationStep.MAX_BOOT_LEAD) > 0 ? ReservationStep.MAX_BOOT_LEAD : l;
        Duration kept = lead.get(c);
        Instant s = since.get(c);
        if (kept == null || s == null || l.compareTo(kept) >= 0 || s.isBefore(now.minus(ReservationStep.LEAD_MEMORY))) {
          lead.put(c, l);
          since.put(c, now);
        }
      });
    }

    Duration get(CloudName c) {
      return lead.getOrDefault(c, ReservationStep.DEFAULT_BOOT_LEAD);
    }
  }

  static Vm vm(int n, int cloud, int bootSeconds, boolean up) {
    Vm v = Vm.builder(VmId.of("atlas--c--t1--" + n), GroupName.of("atlas"), CLOUDS.get(cloud), FlavorName.of("s1"), T0).build()
        .withState(VmState.BOOTING, T0.plusSeconds(n), "boot");
    return up ? v.withState(VmState.UNREGISTERED, T0.plusSeconds(n + bootSeconds), "up") : v;
  }

  @Test
  void leadsLearnedFromTheDifferencesAreThoseOfCountingEveryVm() {
    qt().withExamples(300)
        .forAll(lists().of(integers().between(0, 99_999)).ofSizeBetween(1, 200))
        .checkAssert(ops -> {
          ReservationStep step = new ReservationStep(new InMemoryStateStore(new VirtualClock(T0)));
          Reference ref = new Reference();
          List<Vm> live = new ArrayList<>();
          Instant now = T0;
          int next = 0;
          for (int op : ops) {
            int kind = op % 10;
            int arg = op / 10;
            List<Vm> after = new ArrayList<>(live);
            if (kind < 4 || after.isEmpty()) { // a new VM, somewhere in the list, up or not
              after.add(arg % (after.size() + 1), vm(next++, arg % 2, 30 + arg % 900, arg % 3 != 0));
            } else if (kind < 6) { // one ends
              after.remove(arg % after.size());
            } else if (kind < 8) { // a VM's record replaced (it came up, or another state)
              int i = arg % after.size();
              Vm old = after.get(i);
              after.set(i, old.enteredAt(VmState.UNREGISTERED).isPresent()
                  ? old.withState(VmState.RUNNING, now, "busy") : old.withState(VmState.UNREGISTERED, now.plusSeconds(arg % 300), "up"));
            } else if (kind == 8) { // many end at once
              after.subList(0, after.size() / 2).clear();
            } // 9: the same list again
            now = now.plusSeconds(10 + (long) (arg % 7) * 3_600);
            live = kind == 9 ? live : List.copyOf(after);
            step.complete(ReservationStep.Active.NONE, live, List.of(), now, Duration.ZERO, new ArrayList<>());
            ref.learn(live, now);
            for (CloudName c : CLOUDS) {
              assertThat(step.bootLead(c)).as("cloud %s after %s", c, ops).isEqualTo(ref.get(c));
            }
          }
        });
  }
}

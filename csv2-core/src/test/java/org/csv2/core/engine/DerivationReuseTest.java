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
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.Worker;
import org.junit.jupiter.api.Test;

/**
 * A derivation that reuses the records its observations' changes do not concern ({@link
 * StateDeriver.Observed#changesSince}) gives what deriving every record gives, over random
 * histories in which instances come, go and change state, workers come, go and run jobs, records
 * are committed as derived, and time passes (the deriver's due instant bounds each reuse, as the
 * derive step uses it).
 */
class DerivationReuseTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  static final Duration CYCLE = Duration.ofSeconds(10);
  static final CloudName C1 = CloudName.of("c1");
  static final GroupName ATLAS = GroupName.of("atlas");
  static final InstanceState[] STATES = {InstanceState.PENDING, InstanceState.ACTIVE, InstanceState.ACTIVE, InstanceState.ERROR, InstanceState.TERMINATING};

  static VmId name(int i) {
    return VmId.of(ATLAS, C1, "t1", "v" + i);
  }

  static Instance instance(int i, InstanceState st, Instant at) {
    return new Instance(InstanceId.of("i-" + i), name(i), FlavorName.of("s1"), st, st == InstanceState.ERROR ? "fault" : "", Map.of(), at);
  }

  static Worker worker(int i, int running) {
    return new Worker(name(i).value(), name(i), ATLAS, C1, "t1", Resources.of(2, 4096), Resources.ZERO, running, false, T0);
  }

  @Test
  void reusingWhatTheChangesDoNotConcernDerivesAsDerivingEverything() {
    qt().withExamples(200).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      int n = 6 + r.nextInt(20);
      List<Vm> held = new ArrayList<>();
      List<Instance> instances = new ArrayList<>();
      List<Worker> workers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Vm vm = Vm.builder(name(i), ATLAS, C1, FlavorName.of("s1"), T0.minusSeconds(r.nextInt(40))).resources(Resources.of(2, 4096)).build();
        if (r.nextInt(3) > 0) {
          instances.add(instance(i, STATES[r.nextInt(STATES.length)], T0));
          if (r.nextBoolean()) {
            vm = vm.withInstanceId(InstanceId.of("i-" + i));
          }
          if (r.nextBoolean()) {
            workers.add(worker(i, r.nextInt(3)));
          }
        }
        held.add(vm);
      }
      Instant now = T0;
      StateDeriver.Observed last = null;
      List<Vm> lastIn = null;
      List<Vm> lastOut = null;
      Instant due = Instant.MIN;
      List<Instance> lastInstances = null;
      List<Worker> lastWorkers = null;
      for (int step = 0; step < 25; step++) {
        // change a few observations; the others stay the very same objects in new lists
        int changes = r.nextInt(4);
        for (int c = 0; c < changes; c++) {
          int i = r.nextInt(n);
          switch (r.nextInt(5)) {
            case 0 -> instances.removeIf(x -> x.name().equals(name(i)));
            case 1 -> {
              instances.removeIf(x -> x.name().equals(name(i)));
              instances.add(r.nextInt(instances.size() + 1), instance(i, STATES[r.nextInt(STATES.length)], now));
            }
            case 2 -> { // one of its workers goes (a VM may have two: two startds)
              for (int w = 0; w < workers.size(); w++) {
                if (workers.get(w).vm().equals(name(i))) {
                  workers.remove(w);
                  break;
                }
              }
            }
            case 3 -> {
              if (r.nextBoolean()) {
                workers.removeIf(w -> w.vm().equals(name(i)));
              }
              workers.add(r.nextInt(workers.size() + 1), worker(i, r.nextInt(3)));
            }
            default -> { } // nothing: time alone passes
          }
        }
        // the very same (immutable) list again when it did not change, as a caching plugin gives it
        List<Instance> il = lastInstances != null && lastInstances.equals(instances) && r.nextBoolean() ? lastInstances : List.copyOf(instances);
        List<Worker> wl = lastWorkers != null && lastWorkers.equals(workers) && r.nextBoolean() ? lastWorkers : List.copyOf(workers);
        lastInstances = il;
        lastWorkers = wl;
        StateDeriver.Observed observed = StateDeriver.Observed.of(Map.of(C1, il), wl, last);
        StateDeriver.Derivation full = StateDeriver.derive(held, StateDeriver.Observed.of(Map.of(C1, il), wl, null), now, CYCLE);
        StateDeriver.Derivation reused;
        if (last != null && now.isBefore(due) && !observed.sameAs(last)) {
          StateDeriver.Changes ch = observed.changesSince(last);
          reused = ch == null
              ? StateDeriver.derive(held, observed, now, CYCLE)
              : StateDeriver.derive(held, observed, now, CYCLE, lastIn, lastOut, ch);
        } else if (last != null && now.isBefore(due)) {
          reused = StateDeriver.derive(held, observed, now, CYCLE, lastIn, lastOut, null);
        } else {
          reused = StateDeriver.derive(held, observed, now, CYCLE);
        }
        assertThat(reused.vms()).as("seed %s step %s", seed, step).isEqualTo(full.vms());
        assertThat(reused.changed()).isEqualTo(full.changed());
        assertThat(reused.events()).isEqualTo(full.events());
        assertThat(reused.unmatchedInstances()).isEqualTo(full.unmatchedInstances());
        // committed as derived: a changed record is a new object, the others the very same
        last = observed;
        lastIn = held;
        lastOut = reused.vms();
        due = StateDeriver.due(held, observed, CYCLE);
        held = reused.vms();
        now = now.plus(CYCLE.multipliedBy(1 + r.nextInt(3)));
      }
    });
  }
}

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
import java.util.List;
import org.csv2.api.CycleReport;
import org.csv2.core.planning.DefaultPlanner;
import org.csv2.model.Boot;
import org.csv2.model.GroupName;
import org.csv2.model.InstanceState;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.PlanAction;
import org.csv2.model.Resources;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.junit.jupiter.api.Test;

/**
 * A cycle in which nothing changed reuses the default planner's last empty plan (issue 19, item
 * 3): the same script run twice, with the reuse and with the planner asked every cycle, acts the
 * same at every cycle, a change after unchanged cycles is acted on in the next cycle, and a
 * keep-alive that runs out while nothing changes still retires the VM.
 */
class PlanReuseTest {

  @Test
  void unchangedCyclesPlanNothingYetActExactlyAsAPlannerAskedEveryCycle() {
    try (Fixture reuse = fixture(true);
        Fixture asked = fixture(false)) {
      Reconciler a = reuse.build();
      Reconciler b = asked.build();
      List<String> trace = new ArrayList<>();
      int bootAt = -1;
      int keepAliveAt = -1;
      for (int cycle = 0; cycle < 90; cycle++) {
        for (Fixture f : List.of(reuse, asked)) {
          script(f, cycle);
        }
        CycleReport ra = a.runCycle();
        CycleReport rb = b.runCycle();
        assertThat(ra.plan().actions()).as("cycle %d", cycle).isEqualTo(rb.plan().actions());
        assertThat(ra.plan().notes()).as("cycle %d", cycle).isEqualTo(rb.plan().notes());
        assertThat(states(reuse)).as("cycle %d", cycle).isEqualTo(states(asked));
        for (PlanAction x : ra.plan().actions()) {
          trace.add(cycle + ": " + x);
          if (x instanceof Boot boot && boot.flavor().value().equals("big")) {
            bootAt = cycle;
          }
          if (x instanceof Retire r && r.reason().contains("keep-alive") || x instanceof Terminate t && t.reason().contains("keep-alive")) {
            keepAliveAt = cycle;
          }
        }
        reuse.clock.advance(Duration.ofSeconds(10));
        asked.clock.advance(Duration.ofSeconds(10));
      }
      // the wide job arrives at cycle 20, after unchanged cycles: booted for at once
      assertThat(bootAt).as("boot of the big VM, %s", trace).isEqualTo(20);
      // the small VM's last job ended at cycle 8 (t = 80 s); keep-alive 300 s: retired at the first cycle past 380 s
      assertThat(keepAliveAt).as("keep-alive retirement, %s", trace).isEqualTo(39);
      assertThat(asked.plannerCalls).isEqualTo(90);
      assertThat(reuse.plannerCalls).as("planner calls with reuse").isLessThan(45);
    }
  }

  private static Fixture fixture(boolean timed) {
    Fixture f = new Fixture();
    f.clouds.remove(Fixture.C2);
    f.real = new DefaultPlanner();
    f.timed = timed;
    return f;
  }

  /** Cycle 0: one idle job; 3: it runs on the VM; 8: it ends; 20: a job of 8 cores arrives, 25: it runs. */
  private static void script(Fixture f, int cycle) {
    f.c1().setAll(InstanceState.ACTIVE);
    switch (cycle) {
      case 0 -> f.jobs.jobs.add(job("j1", 1));
      case 3 -> {
        f.jobs.jobs.clear();
        f.jobs.addWorker(smallVm(f).id(), 1);
      }
      case 8 -> {
        f.jobs.workers.clear();
        f.jobs.addWorker(smallVm(f).id(), 0);
      }
      case 20 -> f.jobs.jobs.add(job("j2", 8));
      default -> {}
    }
  }

  private static Vm smallVm(Fixture f) {
    return f.store.vms().stream().filter(v -> v.flavor().value().equals("small")).findFirst().orElseThrow();
  }

  private static Job job(String id, int cores) {
    return Job.builder(JobId.of(id), GroupName.of("atlas")).request(Resources.of(cores, 1024)).image("centos").build();
  }

  private static List<String> states(Fixture f) {
    return f.store.vms().stream().map(v -> v.id() + "=" + v.state() + "@" + v.version()).toList();
  }
}

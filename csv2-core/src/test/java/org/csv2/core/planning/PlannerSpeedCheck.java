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
package org.csv2.core.planning;

import java.time.Duration;
import java.util.Random;
import org.csv2.core.config.Throttles;
import org.csv2.model.AliasName;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmState;

/**
 * A quick, non-asserting look at planning speed on inputs shaped like PERFORMANCE.md's B1
 * scenarios (not the JMH benchmark itself). Run: {@code java -cp <test classpath>
 * org.csv2.core.planning.PlannerSpeedCheck}.
 */
final class PlannerSpeedCheck {
  private PlannerSpeedCheck() {}

  static Snapshot mixed20k() {
    Random r = new Random(42);
    World w = new World().throttles(new Throttles(20, 1000, 1000, 0.1, 0));
    for (int g = 0; g < 5; g++) w.group("g" + g);
    for (int c = 0; c < 10; c++) {
      World.CloudSpec cs = w.cloud("c" + c);
      for (int f = 0; f < 40; f++) {
        int cores = 1 << (f % 6);
        cs.flavor("f" + f, cores, cores * (1024L + 512L * (f % 7)), 0.01 * cores * (1 + r.nextInt(5)));
      }
      cs.quota(4000, 16000 * 1024L, 800);
      for (int g = 0; g < 5; g++) w.alloc("g" + g, "c" + c, c % 3);
    }
    for (int g = 0; g < 5; g++) {
      w.alias("g" + g, "a0", "c0", "c1", "c2");
      w.alias("g" + g, "a1", "c3", "c4");
      w.alias("g" + g, "a2", "c5", "c6", "c7");
    }
    int[] cores = {1, 1, 1, 1, 8, 8, 2, 4, 16};
    for (int i = 0; i < 20000; i++) {
      int c = cores[r.nextInt(cores.length)];
      var b = World.job("g" + r.nextInt(5), c, c * (512L * (1 + r.nextInt(8))));
      if (r.nextInt(3) == 0) b.targetAlias(AliasName.of("a" + r.nextInt(3)));
      w.idle(1, b);
    }
    VmState[] states = VmState.values();
    for (int i = 0; i < 2000; i++) {
      VmState st = states[r.nextInt(states.length)];
      Vm v = w.vm("g" + r.nextInt(5), "c" + r.nextInt(10), "f3", Resources.of(8, 8192, 20), st, Duration.ofSeconds(r.nextInt(10000)));
      if (st == VmState.IDLE || st == VmState.RUNNING) w.worker(v, Resources.of(st == VmState.RUNNING ? 4 : 0, 4096), st == VmState.RUNNING ? 4 : 0);
    }
    return w.snapshot();
  }

  static Snapshot htc100k() {
    Random r = new Random(7);
    World w = new World().throttles(new Throttles(20, 1000, 1000, 0.1, 0));
    for (int g = 0; g < 5; g++) w.group("g" + g);
    for (int c = 0; c < 100; c++) {
      World.CloudSpec cs = w.cloud("c" + c);
      for (int f = 0; f < 40; f++) {
        int cores = 1 << (f % 5);
        cs.flavor("f" + f, cores, cores * 2048L, 0.01 * cores * (1 + r.nextInt(4)));
      }
      cs.quota(2000, 8000 * 1024L, 500);
      for (int g = 0; g < 5; g++) w.alloc("g" + g, "c" + c, c % 4);
    }
    long[] ram = {1000, 1500, 2000, 2500, 3000, 4000};
    for (int i = 0; i < 100000; i++) {
      w.idle(1, World.job("g" + r.nextInt(5), 1, ram[r.nextInt(ram.length)]));
    }
    VmState[] states = VmState.values();
    for (int i = 0; i < 10000; i++) {
      VmState st = states[r.nextInt(states.length)];
      Vm v = w.vm("g" + r.nextInt(5), "c" + r.nextInt(100), "f3", Resources.of(8, 16384, 20), st, Duration.ofSeconds(r.nextInt(10000)));
      if (st == VmState.IDLE || st == VmState.RUNNING) w.worker(v, Resources.of(st == VmState.RUNNING ? 8 : 0, 8192), st == VmState.RUNNING ? 8 : 0);
    }
    return w.snapshot();
  }

  public static void main(String[] args) {
    for (String name : new String[] {"mixed-20k", "htc-100k"}) {
      Snapshot s = name.equals("mixed-20k") ? mixed20k() : htc100k();
      for (String policy : new String[] {"default", "csv2-classic"}) {
        Planner p = Planners.forPolicy(policy);
        for (int i = 0; i < 20; i++) p.plan(s);
        int n = 30;
        long[] t = new long[n];
        int boots = 0;
        for (int i = 0; i < n; i++) {
          long t0 = System.nanoTime();
          boots = p.plan(s).vmsToBoot();
          t[i] = System.nanoTime() - t0;
        }
        java.util.Arrays.sort(t);
        System.out.printf("%s %s: median %.1f ms (min %.1f), %d VMs booted%n", name, policy, t[n / 2] / 1e6, t[0] / 1e6, boots);
      }
    }
  }
}

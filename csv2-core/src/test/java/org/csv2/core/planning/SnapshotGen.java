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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.csv2.core.config.FlavorPolicy;
import org.csv2.core.config.Throttles;
import org.csv2.model.AliasName;
import org.csv2.model.AllocationMode;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Job;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.spi.Csv2Tags;

/**
 * Random but valid snapshots from a seed: the same seed gives the same snapshot, so a failing
 * property prints a seed that reproduces it ({@code SnapshotGen.world(seed, options)}).
 *
 * <p>Existing VMs include some of {@link #OTHER_GROUP}, a group this engine does not hold (not in
 * the snapshot's groups) but whose VMs it still has: they hold capacity and must never be acted
 * on. Some TERMINATING VMs still have their instance; some TERMINATED records have a live
 * instance (it outlived its record); some instances are orphans of a held group or of the other
 * group.
 */
final class SnapshotGen {
  /** What the generated world may contain. */
  record Options(boolean limits, boolean throttles, boolean existingVms, boolean bootCap) {
    static final Options ALL = new Options(true, true, true, true);
    static final Options NO_BOOT_CAP = new Options(true, true, true, false);
    static final Options UNCONSTRAINED = new Options(false, false, true, false);
  }

  private static final Object[][] FLAVORS = {
    {"f1", 1, 2048L}, {"f2", 2, 4096L}, {"f4", 4, 8192L}, {"f8", 8, 16384L}, {"f16", 16, 32768L}, {"m4", 4, 32768L}
  };

  /** A group whose VMs this engine has but whose lease it does not hold. */
  static final String OTHER_GROUP = "gx";

  private SnapshotGen() {}

  static World world(long seed, Options o) {
    SplittableRandom r = new SplittableRandom(seed);
    World w = new World();
    w.policy(FlavorPolicy.values()[r.nextInt(FlavorPolicy.values().length)]);
    if (o.throttles()) {
      w.throttles(
          new Throttles(
              1 + r.nextInt(20), 1 + r.nextInt(30), r.nextInt(11), r.nextInt(3) / 10.0,
              o.bootCap() && r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0));
    } else {
      w.throttles(new Throttles(1000, 100000, 1000, 0, 0));
    }
    int nGroups = 1 + r.nextInt(3);
    int nClouds = 1 + r.nextInt(4);
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < nGroups; i++) {
      String g = "g" + i;
      groups.add(g);
      w.group(
          new Group(
              GroupName.of(g), Group.DEFAULT_JOB,
              new VmDefaults(r.nextInt(5) == 0 ? "img2" : "img", null, r.nextInt(4) == 0 ? Duration.ofSeconds(600) : null, null, null, null),
              List.of(), r.nextInt(6) == 0 ? List.of("alice") : List.of(), 1 + r.nextInt(3), Map.of()));
    }
    List<String> clouds = new ArrayList<>();
    Map<String, List<Flavor>> flavorsOf = new HashMap<>();
    for (int i = 0; i < nClouds; i++) {
      String c = "c" + i;
      clouds.add(c);
      World.CloudSpec cs = w.cloud(c);
      cs.enabled = !o.limits() || r.nextInt(8) != 0;
      cs.reachable = !o.limits() || r.nextInt(8) != 0;
      int nf = 1 + r.nextInt(FLAVORS.length);
      Set<Integer> picked = new HashSet<>();
      while (picked.size() < nf) picked.add(r.nextInt(FLAVORS.length));
      for (int k = 0; k < FLAVORS.length; k++) {
        if (!picked.contains(k)) continue;
        int cores = (Integer) FLAVORS[k][1];
        double price = switch (r.nextInt(3)) {
          case 0 -> 0;
          case 1 -> 0.01 * cores;
          default -> Math.round(r.nextDouble() * 100 * cores) / 1000.0;
        };
        Flavor f = new Flavor(FlavorName.of((String) FLAVORS[k][0]), Resources.of(cores, (Long) FLAVORS[k][2], 20), price, !o.limits() || r.nextInt(10) != 0, Map.of());
        cs.flavors.add(f);
      }
      flavorsOf.put(c, cs.flavors);
      if (r.nextInt(2) == 0) cs.images.add(new org.csv2.model.Image("id2", "img2"));
      if (o.limits() && r.nextBoolean()) {
        cs.quota(8 + r.nextInt(120), (8 + r.nextInt(120)) * 2048L, r.nextInt(3) == 0 ? -1 : 2 + r.nextInt(20));
      }
    }
    for (String g : groups) {
      for (String c : clouds) {
        if (r.nextInt(10) < 3) continue;
        if (!o.limits()) {
          w.alloc(World.allocation(g, c, r.nextInt(3), -1, -1, -1, AllocationMode.PREFERRED, Set.of(), true));
          continue;
        }
        Set<String> excl = new HashSet<>();
        for (Flavor f : flavorsOf.get(c)) if (r.nextInt(6) == 0) excl.add(f.name().value());
        w.alloc(
            World.allocation(
                g, c, r.nextInt(3),
                r.nextInt(3) == 0 ? 4 + r.nextInt(60) : -1,
                r.nextInt(4) == 0 ? 8 + r.nextInt(120) : -1,
                r.nextInt(4) == 0 ? (4 + r.nextInt(60)) * 2048L : -1,
                r.nextInt(4) == 0 ? AllocationMode.OPPORTUNISTIC : AllocationMode.PREFERRED,
                excl, r.nextInt(10) != 0));
      }
      for (int a = 0; a < r.nextInt(3); a++) {
        List<String> in = new ArrayList<>();
        for (String c : clouds) if (r.nextBoolean()) in.add(c);
        w.alias(g, "a" + a, in.toArray(String[]::new));
      }
    }
    // jobs
    int[] coreChoices = {1, 1, 1, 2, 4, 8, 16, 32};
    for (String g : groups) {
      int shapes = r.nextInt(5);
      for (int s = 0; s < shapes; s++) {
        int cores = coreChoices[r.nextInt(coreChoices.length)];
        Job.Builder b = World.job(g, cores, cores * (500L + 500L * r.nextInt(4)));
        b.owner(r.nextInt(8) == 0 ? "bob" : "alice");
        b.priority(r.nextInt(3));
        int ar = r.nextInt(10);
        if (ar < 2) b.targetAlias(AliasName.of("a" + (ar % 2)));
        else if (ar == 2) b.targetAlias(AliasName.of("zz"));
        if (r.nextInt(5) == 0) {
          Set<CloudName> tc = new HashSet<>();
          for (String c : clouds) if (r.nextBoolean()) tc.add(CloudName.of(c));
          b.targetClouds(tc);
        }
        int ir = r.nextInt(10);
        if (ir == 0) b.image("img2");
        else if (ir == 1) b.image("nope");
        else if (ir == 2) b.image("img");
        int hr = r.nextInt(12);
        if (hr == 0) b.instanceType("f4");
        else if (hr == 1) b.instanceType("c0:f2");
        else if (hr == 2) b.instanceType("f8, c1:f16");
        if (r.nextInt(5) == 0) b.maxPrice(0.02 + r.nextInt(30) / 100.0);
        if (r.nextInt(6) == 0) b.keepAlive(Duration.ofSeconds(900));
        w.idle(1 + r.nextInt(40), b);
      }
    }
    // existing VMs
    if (o.existingVms() && !clouds.isEmpty()) {
      int n = r.nextInt(14);
      VmState[] states = VmState.values();
      for (int i = 0; i < n; i++) {
        String g = r.nextInt(5) == 0 ? OTHER_GROUP : groups.get(r.nextInt(groups.size()));
        String c = clouds.get(r.nextInt(clouds.size()));
        List<Flavor> fl = flavorsOf.get(c);
        Flavor f = fl.get(r.nextInt(fl.size()));
        VmState st = states[r.nextInt(states.length)];
        Duration age = Duration.ofSeconds(r.nextInt(12000));
        Vm v = w.vm(g, c, f.name().value(), f.resources(), st, age);
        Vm.Builder b = v.toBuilder().pricePerHour(f.pricePerHour());
        if (r.nextInt(10) == 0) b.manual(true);
        if (r.nextInt(4) == 0) b.alias(AliasName.of("a0"));
        boolean registered = st == VmState.IDLE || st == VmState.RUNNING || st == VmState.RETIRING || st == VmState.MANUAL;
        if (registered) {
          b.registeredAt(w.now.minus(age));
          if (st == VmState.RUNNING || r.nextBoolean()) b.lastBusyAt(w.now.minusSeconds(r.nextInt((int) age.getSeconds() + 1)));
        }
        if (st == VmState.RETIRING && r.nextBoolean()) b.lastAttemptAt(w.now.minusSeconds(r.nextInt(3000)));
        if (st == VmState.TERMINATING) {
          b.terminateAttempts(r.nextInt(4));
          if (r.nextBoolean()) b.lastAttemptAt(w.now.minusSeconds(r.nextInt((int) age.getSeconds() + 1)));
          if (r.nextBoolean()) b.instanceId(InstanceId.of("i-" + i));
        }
        v = b.build();
        w.add(v);
        // its instance: a TERMINATING VM's may still be there, a TERMINATED record's may have come back
        if ((st == VmState.TERMINATING || st == VmState.TERMINATED) && r.nextBoolean()) {
          InstanceState[] is = {InstanceState.ACTIVE, InstanceState.PENDING, InstanceState.TERMINATING, InstanceState.TERMINATED, InstanceState.ERROR};
          w.cloud(c).instances.add(
              new Instance(
                  v.instanceId() != null ? v.instanceId() : InstanceId.of("i-" + i), v.id(), f.name(), is[r.nextInt(is.length)], "",
                  Map.of(Csv2Tags.INSTANCE_ID, World.ENGINE, Csv2Tags.GROUP, g), null));
        }
        if (registered && r.nextInt(6) != 0) {
          int running = st == VmState.RUNNING ? 1 + r.nextInt(3) : st == VmState.IDLE ? 0 : r.nextInt(3);
          int usedCores = Math.min(f.resources().cores(), running);
          w.worker(v, Resources.of(usedCores, Math.min(f.resources().ramMiB(), usedCores * 1000L)), running);
        } else if (st == VmState.ERROR && r.nextInt(4) == 0) {
          w.worker(v, Resources.of(1, 1000), 1);
        }
      }
      // an orphan instance tagged for this engine, sometimes; of a held group or of the other one
      if (r.nextInt(4) == 0) {
        String c = clouds.get(0);
        String g = r.nextInt(3) == 0 ? OTHER_GROUP : groups.get(0);
        w.cloud(c).instances.add(
            new Instance(
                InstanceId.of("i-orphan"), VmId.of(GroupName.of(g), CloudName.of(c), World.ENGINE, "orphan"),
                flavorsOf.get(c).get(0).name(), InstanceState.ACTIVE, "",
                Map.of(Csv2Tags.INSTANCE_ID, World.ENGINE, Csv2Tags.GROUP, g), null));
      }
    }
    // reported usage: what the engine's counted VMs use plus somebody else's
    for (String c : clouds) {
      World.CloudSpec cs = w.cloud(c);
      int cores = 0;
      long ram = 0;
      int inst = 0;
      for (Vm v : w.vms) {
        if (v.cloud().value().equals(c) && v.state() != VmState.TERMINATED && v.state() != VmState.REQUESTED) {
          cores += v.resources().cores();
          ram += v.resources().ramMiB();
          inst++;
        }
      }
      int ext = o.limits() ? r.nextInt(3) * r.nextInt(20) : 0;
      cs.used(cores + ext, ram + ext * 2048L, inst + (ext > 0 ? 1 : 0));
    }
    return w;
  }
}

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.core.config.EngineSettings;
import org.csv2.core.config.FlavorPolicy;
import org.csv2.core.config.Throttles;
import org.csv2.model.Alias;
import org.csv2.model.AliasName;
import org.csv2.model.Allocation;
import org.csv2.model.AllocationMode;
import org.csv2.model.Boot;
import org.csv2.model.Cloud;
import org.csv2.model.CloudCapacity;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Image;
import org.csv2.model.Instance;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.Worker;

/** A small fluent builder of snapshots for planner tests. */
final class World {
  static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
  static final String ENGINE = "eng1";

  EngineSettings settings = EngineSettings.defaults(ENGINE);
  Instant now = NOW;
  final Map<String, Group> groups = new LinkedHashMap<>();
  final List<Allocation> allocations = new ArrayList<>();
  final List<Alias> aliases = new ArrayList<>();
  final Map<String, CloudSpec> clouds = new LinkedHashMap<>();
  final List<Job> jobs = new ArrayList<>();
  final List<Worker> workers = new ArrayList<>();
  final List<Vm> vms = new ArrayList<>();
  private int jobSeq;
  private int vmSeq;

  static final class CloudSpec {
    String name;
    boolean enabled = true;
    boolean reachable = true;
    List<Flavor> flavors = new ArrayList<>();
    List<Image> images = new ArrayList<>(List.of(new Image("img", "img")));
    CloudCapacity capacity = CloudCapacity.UNLIMITED;
    List<Instance> instances = new ArrayList<>();
    org.csv2.model.OpportunisticPolicy opportunistic = org.csv2.model.OpportunisticPolicy.NONE;

    CloudSpec(String name) {
      this.name = name;
    }

    CloudSpec flavor(String name, int cores, long ramMiB, double price) {
      flavors.add(Flavor.of(name, Resources.of(cores, ramMiB, 20), price));
      return this;
    }

    CloudSpec quota(int cores, long ram, int instances) {
      capacity = new CloudCapacity(new Limits(cores, ram, instances), capacity.used());
      return this;
    }

    CloudSpec used(int cores, long ram, int instances) {
      capacity = new CloudCapacity(capacity.max(), new Limits(cores, ram, instances));
      return this;
    }
  }

  World policy(FlavorPolicy p) {
    settings =
        new EngineSettings(
            settings.instanceId(), settings.policy(), p, settings.timers(), settings.throttles(),
            settings.callTimeout(), settings.breakerFailures(), settings.breakerOpenFor(), settings.leaseTtl());
    return this;
  }

  /** What the planner knows about run times (learned-run-times policy). */
  RunTimes runTimes = RunTimes.none();

  World runTimes(RunTimes r) {
    runTimes = r;
    return this;
  }

  /** The jobs so far (to let a {@link RunTimes} observe them). */
  List<Job> jobs() {
    return jobs;
  }

  World throttles(Throttles t) {
    settings = settings.withThrottles(t);
    return this;
  }

  World group(String name) {
    return group(name, 1.0);
  }

  World group(String name, double weight) {
    groups.put(
        name,
        new Group(GroupName.of(name), Group.DEFAULT_JOB, new VmDefaults("img", null, null, null, null, null), List.of(), List.of(), weight, Map.of()));
    return this;
  }

  World group(Group g) {
    groups.put(g.name().value(), g);
    return this;
  }

  CloudSpec cloud(String name) {
    return clouds.computeIfAbsent(name, CloudSpec::new);
  }

  World alloc(String group, String cloud, int priority) {
    allocations.add(Allocation.of(group, cloud, priority));
    return this;
  }

  World alloc(Allocation a) {
    allocations.add(a);
    return this;
  }

  static Allocation allocation(
      String group, String cloud, int priority, int coresCtl, int softmax, long ramCtl, AllocationMode mode, Set<String> excluded, boolean enabled) {
    Set<FlavorName> ex = new java.util.HashSet<>();
    for (String e : excluded) ex.add(FlavorName.of(e));
    return new Allocation(
        GroupName.of(group), CloudName.of(cloud), priority, coresCtl, softmax, ramCtl, mode, ex, VmDefaults.NONE, List.of(), enabled);
  }

  World alias(String group, String alias, String... clouds) {
    Set<CloudName> cs = new java.util.HashSet<>();
    for (String c : clouds) cs.add(CloudName.of(c));
    aliases.add(new Alias(GroupName.of(group), AliasName.of(alias), cs));
    return this;
  }

  World idle(String group, int n, int cores, long ramMiB) {
    return idle(n, Job.builder(JobId.of("x"), GroupName.of(group)).request(Resources.of(cores, ramMiB)));
  }

  /** Adds n idle jobs like the template (its id is replaced). */
  World idle(int n, Job.Builder template) {
    Job t = template.build();
    for (int i = 0; i < n; i++) {
      jobs.add(
          new Job(
              JobId.of("j" + (jobSeq++)), t.group(), t.owner(), t.request(), t.targetAlias(), t.targetClouds(),
              t.image(), t.instanceType(), t.keepAlive(), t.maxPrice(), t.priority(), t.queuedSince(), t.state(), t.userData(),
              t.requestedWallTime()));
    }
    return this;
  }

  static Job.Builder job(String group, int cores, long ramMiB) {
    return Job.builder(JobId.of("x"), GroupName.of(group)).request(Resources.of(cores, ramMiB));
  }

  /** A VM; for IDLE and RUNNING a worker is added with the given running jobs. */
  Vm vm(String group, String cloud, String flavor, Resources r, VmState state, Duration age) {
    Vm v =
        Vm.builder(VmId.of(GroupName.of(group), CloudName.of(cloud), ENGINE, "v" + (vmSeq++)), GroupName.of(group), CloudName.of(cloud), FlavorName.of(flavor), now.minus(age))
            .resources(r)
            .image("img")
            .state(state)
            .stateSince(now.minus(age))
            .build();
    vms.add(v);
    return v;
  }

  World add(Vm v) {
    vms.removeIf(x -> x.id().equals(v.id()));
    vms.add(v);
    return this;
  }

  World worker(Vm v, Resources used, int running) {
    workers.add(
        new Worker("slot1@" + v.id(), v.id(), v.group(), v.cloud(), ENGINE, v.resources(), used, running, false, now));
    return this;
  }

  Snapshot snapshot() {
    List<CloudView> views = new ArrayList<>();
    for (CloudSpec c : clouds.values()) {
      views.add(
          new CloudView(
              new Cloud(CloudName.of(c.name), "simulated", c.enabled), c.reachable, c.flavors, c.images, c.capacity, c.instances,
              c.opportunistic));
    }
    return new Snapshot(now, settings, new ArrayList<>(groups.values()), allocations, aliases, views, jobs, workers, vms, runTimes);
  }

  /** The snapshot after the plan's boots became REQUESTED VMs (nothing else changed). */
  static Snapshot applyBoots(Snapshot s, List<Boot> boots) {
    List<Vm> vms = new ArrayList<>(s.vms());
    Map<CloudName, CloudView> views = new HashMap<>();
    for (CloudView v : s.clouds()) views.put(v.cloud().name(), v);
    int seq = 0;
    for (Boot b : boots) {
      Flavor f = views.get(b.cloud()).flavors().stream().filter(x -> x.name().equals(b.flavor())).findFirst().orElseThrow();
      for (int i = 0; i < b.count(); i++) {
        vms.add(
            Vm.builder(VmId.of(b.group(), b.cloud(), ENGINE, String.format("new%05d", seq++)), b.group(), b.cloud(), b.flavor(), s.now())
                .resources(f.resources())
                .image(b.image())
                .alias(b.alias())
                .keepAlive(b.keepAlive())
                .pricePerHour(f.pricePerHour())
                .state(VmState.REQUESTED)
                .stateSince(s.now())
                .build());
      }
    }
    return new Snapshot(s.now(), s.settings(), s.groups(), s.allocations(), s.aliases(), s.clouds(), s.jobs(), s.workers(), vms, s.runTimes());
  }
}

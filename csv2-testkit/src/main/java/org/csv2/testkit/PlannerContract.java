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
package org.csv2.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import org.csv2.model.Adopt;
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
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.JobState;
import org.csv2.model.Limits;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import org.csv2.model.Resources;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.csv2.model.Vm;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.Worker;
import org.csv2.spi.CloudObservation;
import org.csv2.spi.Csv2Tags;
import org.csv2.spi.PlannerProvider;
import org.csv2.spi.PlanningPolicy;
import org.csv2.spi.PlanningView;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every planning policy ({@link PlannerProvider}) passes. A planner's test extends it
 * in a line:
 *
 * <pre>{@code
 * class FirstFitPlannerContractTest extends PlannerContract {
 *   protected String providerName() { return "first-fit"; }
 * }
 * }</pre>
 *
 * <p>It plans {@link #scenarios()} seeded random views (one to three clouds with quotas and
 * foreign usage, one or two groups with capped allocations, idle and running jobs, VMs in every
 * state, some under manual control, some idle for hours) and checks, naming the seed of any
 * failure: the plan is deterministic; no boot goes beyond a cloud's quota or an allocation's
 * {@code cores-ctl}/{@code ram-ctl}, or to an unreachable cloud or a group not planned; no action
 * names a manual VM; every action has a reason; and after the plan is applied (boots become
 * REQUESTED VMs, retirements RETIRING, terminations TERMINATING, adoptions records) planning the
 * same moment again repeats none of its actions (a retired VM may go on to be terminated, the
 * next step, but is not retired again; a terminated VM is neither retired nor terminated again;
 * an adopted instance is not adopted again) and boots for no job twice.
 */
public abstract class PlannerContract {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final String INSTANCE_ID = "planner-contract";
  private static final Set<VmState> CTL_COUNTED =
      Set.of(VmState.REQUESTED, VmState.BOOTING, VmState.UNREGISTERED, VmState.IDLE, VmState.RUNNING,
          VmState.RETIRING, VmState.ERROR, VmState.MANUAL);

  /**
   * The provider's name, as listed by {@link PlannerProvider#name()} and written in {@code
   * engine.policy}.
   *
   * @return the name
   */
  protected abstract String providerName();

  /**
   * The class loader to look for the provider in, as the engine would.
   *
   * @return by default the test class's loader
   */
  protected ClassLoader pluginClassLoader() {
    return getClass().getClassLoader();
  }

  /**
   * Makes the policy under test.
   *
   * @return by default the one {@link #providerName()}'s provider creates
   */
  protected PlanningPolicy newPolicy() {
    PlannerProvider provider =
        ServiceLoader.load(PlannerProvider.class, pluginClassLoader()).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.name().equals(providerName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no PlannerProvider named '" + providerName() + "'"));
    return provider.create(TestPluginContext.of("planner").withInstanceId(INSTANCE_ID));
  }

  /**
   * How many seeded views each test plans.
   *
   * @return 60 by default
   */
  protected int scenarios() {
    return 60;
  }

  @Test
  @DisplayName("the test class name ends in ContractTest")
  void testClassFollowsTheNamingConvention() {
    assertThat(getClass().getSimpleName()).matches(".+ContractTest");
  }

  @Test
  @DisplayName("the provider is found by ServiceLoader under its name, from a services file in its own jar, and declares its csv2-api")
  void providerIsDiscoverableByName() {
    ProviderChecks.assertDiscoverable(PlannerProvider.class, providerName(), pluginClassLoader());
  }

  @Test
  @DisplayName("planning one view twice, or with a second instance of the policy, gives one plan")
  void planningIsDeterministic() {
    PlanningPolicy policy = newPolicy();
    PlanningPolicy other = newPolicy();
    forEachScenario((seed, view) -> {
      Plan first = policy.plan(view);
      assertThat(policy.plan(TestPlanningView.copyOf(view))).as("seed %d: the same view planned again", seed).isEqualTo(first);
      assertThat(other.plan(view)).as("seed %d: a second instance of the policy", seed).isEqualTo(first);
    });
  }

  @Test
  @DisplayName("every action has a reason")
  void everyActionHasAReason() {
    PlanningPolicy policy = newPolicy();
    int actions = 0;
    for (int seed = 1; seed <= scenarios(); seed++) {
      Plan plan = policy.plan(scenario(seed));
      for (PlanAction a : plan.actions()) {
        assertThat(a.reason()).as("seed %d: reason of %s", seed, a).isNotBlank();
        actions++;
      }
    }
    assertThat(actions).as("actions planned over %d scenarios (the kit's views need some)", scenarios()).isPositive();
  }

  @Test
  @DisplayName("no boot goes beyond a cloud's quota, an allocation's caps, an unreachable cloud or an unplanned group")
  void bootsStayWithinEveryLimit() {
    PlanningPolicy policy = newPolicy();
    forEachScenario((seed, view) -> assertWithinLimits(seed, view, policy.plan(view)));
  }

  @Test
  @DisplayName("no action names a VM under manual control")
  void manualVmsAreNeverTouched() {
    PlanningPolicy policy = newPolicy();
    forEachScenario((seed, view) -> {
      Set<VmId> manual = new HashSet<>();
      view.vms().stream().filter(Vm::manual).forEach(v -> manual.add(v.id()));
      assertThat(manual).as("seed %d: the kit's view has manual VMs", seed).isNotEmpty();
      for (PlanAction a : policy.plan(view).actions()) {
        VmId target =
            a instanceof Retire r ? r.vm() : a instanceof Terminate t ? t.vm() : a instanceof Adopt ad ? ad.instance().name() : null;
        assertThat(target == null || !manual.contains(target)).as("seed %d: %s acts on a manual VM", seed, a).isTrue();
      }
    });
  }

  @Test
  @DisplayName("after its plan is applied, planning the same moment again repeats none of its actions")
  void planningIsIdempotentOnItsOwnAppliedPlan() {
    PlanningPolicy policy = newPolicy();
    forEachScenario((seed, view) -> {
      Plan first = policy.plan(view);
      PlanningView applied = apply(view, first);
      Plan second = policy.plan(applied);
      Set<VmId> retired = new HashSet<>();
      Set<VmId> terminated = new HashSet<>();
      Set<InstanceId> adopted = new HashSet<>();
      for (PlanAction a : first.actions()) {
        if (a instanceof Retire r) {
          retired.add(r.vm());
        } else if (a instanceof Terminate t) {
          terminated.add(t.vm());
        } else if (a instanceof Adopt ad) {
          adopted.add(ad.instance().id());
        }
      }
      for (PlanAction a : second.actions()) {
        if (a instanceof Retire r) {
          assertThat(retired).as("seed %d: %s again after %s", seed, a, first.actions()).doesNotContain(r.vm());
          assertThat(terminated).as("seed %d: %s after %s", seed, a, first.actions()).doesNotContain(r.vm());
        } else if (a instanceof Terminate t) {
          assertThat(terminated).as("seed %d: %s again after %s", seed, a, first.actions()).doesNotContain(t.vm());
        } else if (a instanceof Adopt ad) {
          assertThat(adopted).as("seed %d: %s again", seed, a).doesNotContain(ad.instance().id());
        }
      }
      Map<GroupName, Integer> idle = new HashMap<>();
      view.jobs().stream().filter(j -> j.state() == JobState.IDLE).forEach(j -> idle.merge(j.group(), 1, Integer::sum));
      Map<GroupName, Integer> bootedFor = new HashMap<>();
      for (Plan p : List.of(first, second)) {
        p.boots().forEach(b -> bootedFor.merge(b.group(), b.jobs(), Integer::sum));
      }
      bootedFor.forEach((group, jobs) -> assertThat(jobs)
          .as("seed %d: jobs of %s booted for in the plan and again after it was applied (%s, then %s); idle jobs",
              seed, group, first.boots(), second.boots())
          .isLessThanOrEqualTo(idle.getOrDefault(group, 0)));
      assertWithinLimits(seed, applied, second);
    });
  }

  private interface ScenarioCheck {
    void check(int seed, PlanningView view);
  }

  private void forEachScenario(ScenarioCheck check) {
    for (int seed = 1; seed <= scenarios(); seed++) {
      PlanningView view = scenario(seed);
      try {
        check.check(seed, view);
      } catch (AssertionError e) {
        throw e;
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + ": the policy failed: " + e, e);
      }
    }
  }

  private static void assertWithinLimits(int seed, PlanningView view, Plan plan) {
    Set<GroupName> planned = new HashSet<>();
    view.groups().forEach(g -> planned.add(g.name()));
    Map<CloudName, CloudObservation> clouds = new LinkedHashMap<>();
    view.clouds().forEach(c -> clouds.put(c.cloud().name(), c));
    Map<CloudName, Limits> added = new HashMap<>();
    Map<String, Limits> addedPerAllocation = new HashMap<>();
    for (Boot b : plan.boots()) {
      assertThat(planned).as("seed %d: %s is for a planned group", seed, b).contains(b.group());
      CloudObservation c = clouds.get(b.cloud());
      if (c == null) {
        fail("seed %d: %s boots on a cloud that is not configured", seed, b);
      }
      assertThat(c.reachable()).as("seed %d: %s boots on an unreachable cloud", seed, b).isTrue();
      Flavor flavor =
          c.flavors().stream().filter(f -> f.name().equals(b.flavor())).findFirst()
              .orElseThrow(() -> new AssertionError("seed " + seed + ": " + b + " boots a flavor the cloud does not list"));
      Limits one = Limits.of(flavor.resources());
      Limits all = new Limits(one.cores() * b.count(), one.ramMiB() * b.count(), b.count());
      added.merge(b.cloud(), all, Limits::plus);
      addedPerAllocation.merge(b.group() + "/" + b.cloud(), all, Limits::plus);
    }
    added.forEach((cloud, more) -> {
      CloudCapacity cap = clouds.get(cloud).capacity();
      Limits after = cap.used().plus(more);
      String what = String.format("seed %d: boots %s on %s with quota %s and %s used", seed, more, cloud, cap.max(), cap.used());
      assertThat(cap.max().cores() < 0 || after.cores() <= cap.max().cores()).as(what + " (cores)").isTrue();
      assertThat(cap.max().ramMiB() < 0 || after.ramMiB() <= cap.max().ramMiB()).as(what + " (RAM)").isTrue();
      assertThat(cap.max().instances() < 0 || after.instances() <= cap.max().instances()).as(what + " (instances)").isTrue();
    });
    for (Allocation a : view.allocations()) {
      Limits more = addedPerAllocation.get(a.group() + "/" + a.cloud());
      if (more == null) {
        continue;
      }
      int cores = 0;
      long ram = 0;
      for (Vm v : view.vms()) {
        if (v.group().equals(a.group()) && v.cloud().equals(a.cloud()) && CTL_COUNTED.contains(v.state())) {
          cores += v.resources().cores();
          ram += v.resources().ramMiB();
        }
      }
      String what = String.format("seed %d: boots %s for %s on %s with %d cores and %d MiB already there", seed, more, a.group(), a.cloud(), cores, ram);
      assertThat(a.coresCtl() < 0 || cores + more.cores() <= a.coresCtl()).as(what + ", cores-ctl " + a.coresCtl()).isTrue();
      assertThat(a.ramCtlMiB() < 0 || ram + more.ramMiB() <= a.ramCtlMiB()).as(what + ", ram-ctl " + a.ramCtlMiB()).isTrue();
    }
  }

  /** The view after the engine carried the plan out at the same moment. */
  private static PlanningView apply(PlanningView view, Plan plan) {
    Map<VmId, Vm> vms = new LinkedHashMap<>();
    view.vms().forEach(v -> vms.put(v.id(), v));
    Map<CloudName, Limits> used = new HashMap<>();
    Instant now = view.now();
    int n = 0;
    for (PlanAction a : plan.actions()) {
      if (a instanceof Retire r && vms.containsKey(r.vm())) {
        Vm v = vms.get(r.vm());
        vms.put(v.id(), v.withState(VmState.RETIRING, now, r.reason()).toBuilder()
            .retireAttempts(v.retireAttempts() + 1).lastAttemptAt(now).build());
      } else if (a instanceof Terminate t && vms.containsKey(t.vm())) {
        Vm v = vms.get(t.vm());
        vms.put(v.id(), v.withState(VmState.TERMINATING, now, t.reason()).toBuilder()
            .terminateAttempts(v.terminateAttempts() + 1).lastAttemptAt(now).build());
      } else if (a instanceof Adopt ad) {
        Instance i = ad.instance();
        vms.put(i.name(), Vm.builder(i.name(), ad.group(), ad.cloud(), i.flavor(), now)
            .instanceId(i.id()).state(VmState.BOOTING).reason(ad.reason()).stateSince(now).build());
      } else if (a instanceof Boot b) {
        Resources r = flavorOf(view, b.cloud(), b.flavor()).resources();
        for (int k = 0; k < b.count(); k++) {
          VmId id = VmId.of(b.group(), b.cloud(), view.instanceId(), String.format("applied%03d", n++));
          vms.put(id, Vm.builder(id, b.group(), b.cloud(), b.flavor(), now)
              .resources(r).image(b.image()).alias(b.alias()).keepAlive(b.keepAlive())
              .state(VmState.REQUESTED).reason(b.reason()).stateSince(now).build());
          used.merge(b.cloud(), Limits.of(r), Limits::plus);
        }
      }
    }
    List<CloudObservation> clouds = new ArrayList<>();
    for (CloudObservation c : view.clouds()) {
      Limits more = used.get(c.cloud().name());
      clouds.add(more == null ? c : new CloudObservation(c.cloud(), c.reachable(), c.flavors(), c.images(),
          new CloudCapacity(c.capacity().max(), c.capacity().used().plus(more)), c.instances()));
    }
    return new TestPlanningView(now, view.instanceId(), view.groups(), view.allocations(), view.aliases(), clouds,
        view.jobs(), view.workers(), new ArrayList<>(vms.values()));
  }

  private static Flavor flavorOf(PlanningView view, CloudName cloud, FlavorName flavor) {
    return view.clouds().stream().filter(c -> c.cloud().name().equals(cloud)).flatMap(c -> c.flavors().stream())
        .filter(f -> f.name().equals(flavor)).findFirst()
        .orElseThrow(() -> new AssertionError("a boot names flavor " + flavor + " that cloud " + cloud + " does not list"));
  }

  /**
   * The seeded view number {@code seed}: every view has at least one manual VM.
   *
   * @param seed the seed
   * @return the view
   */
  static PlanningView scenario(int seed) {
    Random random = new Random(seed);
    Instant now = T0;
    List<Group> groups = new ArrayList<>();
    groups.add(Group.of("atlas"));
    if (random.nextBoolean()) {
      groups.add(Group.of("belle"));
    }
    int cloudCount = 1 + random.nextInt(3);
    List<Flavor> flavors =
        List.of(Flavor.of("c1-m2", Resources.of(1, 2048, 20), 0.05), Flavor.of("c4-m8", Resources.of(4, 8192, 40), 0.2));
    List<CloudName> cloudNames = new ArrayList<>();
    List<Allocation> allocations = new ArrayList<>();
    for (int c = 0; c < cloudCount; c++) {
      cloudNames.add(CloudName.of("cloud" + (c + 1)));
    }
    for (Group g : groups) {
      for (int c = 0; c < cloudCount; c++) {
        int coresCtl = random.nextInt(3) == 0 ? 2 + random.nextInt(12) : Limits.UNLIMITED;
        allocations.add(new Allocation(g.name(), cloudNames.get(c), c, coresCtl, Limits.UNLIMITED,
            random.nextInt(4) == 0 ? 8192 + 2048L * random.nextInt(4) : Limits.UNLIMITED,
            AllocationMode.PREFERRED, Set.of(), VmDefaults.NONE, List.of(), true));
      }
    }
    List<Job> jobs = new ArrayList<>();
    int jobNo = 0;
    for (Group g : groups) {
      int idleJobs = random.nextInt(30);
      for (int j = 0; j < idleJobs; j++) {
        Resources request = random.nextInt(5) == 0 ? Resources.of(4, 4000) : Resources.of(1, 1000);
        jobs.add(Job.builder(JobId.of("schedd#" + (jobNo++) + ".0"), g.name()).request(request)
            .state(JobState.IDLE).queuedSince(now.minus(Duration.ofMinutes(5 + random.nextInt(60)))).build());
      }
    }
    List<Vm> vms = new ArrayList<>();
    List<Worker> workers = new ArrayList<>();
    Map<CloudName, List<Instance>> instances = new HashMap<>();
    Map<CloudName, Limits> ownUse = new HashMap<>();
    int vmCount = 1 + random.nextInt(8);
    VmState[] states = {VmState.BOOTING, VmState.UNREGISTERED, VmState.IDLE, VmState.RUNNING, VmState.RETIRING,
        VmState.TERMINATING, VmState.ERROR};
    for (int k = 0; k < vmCount; k++) {
      boolean manual = k == 0 || random.nextInt(5) == 0;
      Group g = groups.get(random.nextInt(groups.size()));
      CloudName cloud = cloudNames.get(random.nextInt(cloudCount));
      Flavor flavor = flavors.get(random.nextInt(flavors.size()));
      VmState state = manual ? VmState.MANUAL : states[random.nextInt(states.length)];
      VmId id = VmId.of(g.name(), cloud, INSTANCE_ID, String.format("s%03dv%02d", seed % 1000, k));
      InstanceId instanceId = InstanceId.of(String.format("i-%08x", seed * 100 + k));
      Instant created = now.minus(Duration.ofHours(1 + random.nextInt(48)));
      boolean busy = state == VmState.RUNNING || (manual && random.nextBoolean());
      Vm vm = Vm.builder(id, g.name(), cloud, flavor.name(), created)
          .resources(flavor.resources()).image("img-1").instanceId(instanceId).state(state)
          .reason(manual ? "under manual control" : "scenario").stateSince(created.plus(Duration.ofMinutes(5)))
          .registeredAt(state == VmState.IDLE || state == VmState.RUNNING || manual ? created.plus(Duration.ofMinutes(5)) : null)
          .lastBusyAt(busy ? now : created.plus(Duration.ofMinutes(10)))
          .manual(manual).keepAlive(Duration.ofMinutes(10)).pricePerHour(flavor.pricePerHour()).build();
      vms.add(vm);
      instances.computeIfAbsent(cloud, x -> new ArrayList<>()).add(new Instance(instanceId, id, flavor.name(),
          state == VmState.TERMINATING ? InstanceState.TERMINATING : state == VmState.ERROR ? InstanceState.ERROR
              : state == VmState.BOOTING ? InstanceState.PENDING : InstanceState.ACTIVE,
          "", Map.of(Csv2Tags.INSTANCE_ID, INSTANCE_ID, Csv2Tags.GROUP, g.name().value(), Csv2Tags.CLOUD, cloud.value(),
              Csv2Tags.VM_NAME, id.value()), created));
      ownUse.merge(cloud, Limits.of(flavor.resources()), Limits::plus);
      if (state == VmState.IDLE || state == VmState.RUNNING || state == VmState.RETIRING || manual) {
        int running = busy ? 1 : 0;
        workers.add(new Worker("slot1@" + id.value(), id, g.name(), cloud, INSTANCE_ID, flavor.resources(),
            running > 0 ? Resources.of(1, 1000) : Resources.ZERO, running, state == VmState.RETIRING,
            busy ? now : created.plus(Duration.ofMinutes(10))));
      }
    }
    List<CloudObservation> clouds = new ArrayList<>();
    for (CloudName name : cloudNames) {
      Limits own = ownUse.getOrDefault(name, Limits.ZERO);
      Limits foreign = new Limits(random.nextInt(8), 2048L * random.nextInt(8), random.nextInt(3));
      Limits used = own.plus(foreign);
      Limits max = switch (random.nextInt(4)) {
        case 0 -> Limits.NONE;
        case 1 -> new Limits(used.cores() + random.nextInt(20), Limits.UNLIMITED, Limits.UNLIMITED);
        case 2 -> new Limits(Limits.UNLIMITED, used.ramMiB() + 2048L * random.nextInt(10), used.instances() + random.nextInt(6));
        default -> new Limits(used.cores() + random.nextInt(40), used.ramMiB() + 4096L * random.nextInt(20), used.instances() + random.nextInt(12));
      };
      boolean reachable = random.nextInt(6) != 0;
      clouds.add(new CloudObservation(new Cloud(name, "contract", true), reachable, flavors,
          List.of(new Image("img-1", "worker-image")), new CloudCapacity(max, used),
          instances.getOrDefault(name, List.of())));
    }
    return new TestPlanningView(now, INSTANCE_ID, groups, allocations, List.of(), clouds, jobs, workers, vms);
  }
}

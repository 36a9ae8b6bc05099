package org.csv2.core.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.csv2.core.config.Throttles;
import org.csv2.model.Alias;
import org.csv2.model.Allocation;
import org.csv2.model.Boot;
import org.csv2.model.Flavor;
import org.csv2.model.Group;
import org.csv2.model.Job;
import org.csv2.model.JobState;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import org.csv2.model.Resources;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.Worker;
import org.junit.jupiter.api.Test;

/**
 * Properties of the default planner over random snapshots ({@link SnapshotGen}; the seed in a
 * failure message reproduces the snapshot).
 */
class DefaultPlannerPropertiesTest {
  private static final int EXAMPLES = 300;
  private final Planner planner = new DefaultPlanner();

  @Test
  void neverBooksBeyondAnyLimitOfTheLedger() {
    qt().withExamples(EXAMPLES)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Snapshot s = SnapshotGen.world(seed, SnapshotGen.Options.ALL).snapshot();
              Plan p = planner.plan(s);
              Snapshot after = World.applyBoots(s, p.boots());
              CapacityLedger ledger = CapacityLedger.of(new PlanningIndex(after));
              for (Boot b : p.boots()) {
                CapacityLedger.Room room = ledger.room(b.group(), b.cloud());
                assertThat(room.cores()).as("seed %d: cores room of %s on %s after %s", seed, b.group(), b.cloud(), p.boots()).isGreaterThanOrEqualTo(0);
                assertThat(room.ramMiB()).as("seed %d: RAM room of %s on %s", seed, b.group(), b.cloud()).isGreaterThanOrEqualTo(0);
                assertThat(room.instances()).as("seed %d: instance room of %s on %s", seed, b.group(), b.cloud()).isGreaterThanOrEqualTo(0);
              }
            });
  }

  @Test
  void bootsOnlyWhereAJobMayRunAndTheCloudAllows() {
    qt().withExamples(EXAMPLES)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Snapshot s = SnapshotGen.world(seed, SnapshotGen.Options.ALL).snapshot();
              Plan p = planner.plan(s);
              PlanningIndex ix = new PlanningIndex(s);
              for (Boot b : p.boots()) {
                String what = "seed " + seed + ": " + b.reason();
                CloudView v = ix.clouds.get(b.cloud());
                assertThat(v).as(what).isNotNull();
                assertThat(v.cloud().enabled()).as(what + " (cloud enabled)").isTrue();
                assertThat(v.reachable()).as(what + " (reachable)").isTrue();
                Allocation a = ix.allocation(b.group(), b.cloud());
                assertThat(a).as(what + " (allocation)").isNotNull();
                assertThat(a.enabled()).as(what + " (allocation enabled)").isTrue();
                assertThat(a.excludedFlavors()).as(what + " (excluded)").doesNotContain(b.flavor());
                Flavor f = v.flavors().stream().filter(x -> x.name().equals(b.flavor())).findFirst().orElseThrow();
                assertThat(f.available()).as(what + " (available)").isTrue();
                assertThat(ix.hasImage(b.cloud(), b.image())).as(what + " (image)").isTrue();
                assertThat(b.count()).as(what).isLessThanOrEqualTo(s.settings().throttles().vmsPerBootCall());
                boolean justified = false;
                for (Job j : s.jobs()) {
                  if (j.state() == JobState.IDLE && j.group().equals(b.group()) && java.util.Objects.equals(j.targetAlias(), b.alias())
                      && mayRun(ix, j, b, f)) {
                    justified = true;
                    break;
                  }
                }
                assertThat(justified).as(what + " (some idle job of the group may run there)").isTrue();
              }
            });
  }

  private static boolean mayRun(PlanningIndex ix, Job j, Boot b, Flavor f) {
    Group g = ix.groups.get(j.group());
    if (!g.serves(j.owner())) return false;
    if (j.targetAlias() != null) {
      Set<org.csv2.model.CloudName> cs = null;
      for (Alias a : ix.snapshot.aliases()) if (a.group().equals(j.group()) && a.name().equals(j.targetAlias())) cs = a.clouds();
      if (cs == null || !cs.contains(b.cloud())) return false;
    }
    if (!j.targetClouds().isEmpty() && !j.targetClouds().contains(b.cloud())) return false;
    if (!JobShape.normalise(j.request(), g.jobDefaults()).fitsIn(f.resources())) return false;
    if (!InstanceTypeHint.parse(j.instanceType()).allows(b.cloud(), f.name())) return false;
    if (j.maxPrice() > 0 && f.pricePerHour() > j.maxPrice()) return false;
    String image = j.image() != null ? j.image() : ix.defaults(j.group(), b.cloud()).image();
    return b.image().equals(image);
  }

  @Test
  void neverTouchesManualVmsAndNeverTerminatesAVmRunningJobs() {
    qt().withExamples(EXAMPLES)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Snapshot s = SnapshotGen.world(seed, SnapshotGen.Options.ALL).snapshot();
              Plan p = planner.plan(s);
              Set<VmId> manual = new HashSet<>();
              for (Vm v : s.vms()) if (v.manual() || v.state() == VmState.MANUAL) manual.add(v.id());
              Set<VmId> busy = new HashSet<>();
              for (Worker w : s.workers()) if (w.runningJobs() > 0) busy.add(w.vm());
              Set<VmId> seen = new HashSet<>();
              for (PlanAction a : p.actions()) {
                VmId id = a instanceof Retire r ? r.vm() : a instanceof Terminate t ? t.vm() : null;
                if (id == null) continue;
                assertThat(manual).as("seed %d: %s", seed, a.reason()).doesNotContain(id);
                assertThat(seen.add(id)).as("seed %d: one action per VM: %s", seed, a.reason()).isTrue();
                if (a instanceof Terminate) assertThat(busy).as("seed %d: %s", seed, a.reason()).doesNotContain(id);
              }
            });
  }

  @Test
  void planningAgainAfterApplyingTheBootsBootsNothing() {
    qt().withExamples(EXAMPLES)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Snapshot s = SnapshotGen.world(seed, SnapshotGen.Options.NO_BOOT_CAP).snapshot();
              Plan p = planner.plan(s);
              Plan again = planner.plan(World.applyBoots(s, p.boots()));
              assertThat(again.boots()).as("seed %d: first plan %s, notes %s", seed, p.boots(), again.notes()).isEmpty();
            });
  }

  @Test
  void sameSnapshotGivesEqualPlanWhateverTheOrderOfItsLists() {
    qt().withExamples(EXAMPLES)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Snapshot s = SnapshotGen.world(seed, SnapshotGen.Options.ALL).snapshot();
              Random shuffle = new Random(seed);
              Snapshot t =
                  new Snapshot(
                      s.now(), s.settings(), shuffled(s.groups(), shuffle), shuffled(s.allocations(), shuffle),
                      shuffled(s.aliases(), shuffle), shuffled(s.clouds(), shuffle), shuffled(s.jobs(), shuffle),
                      shuffled(s.workers(), shuffle), shuffled(s.vms(), shuffle));
              Plan p = planner.plan(s);
              assertThat(planner.plan(s)).as("seed %d", seed).isEqualTo(p);
              assertThat(planner.plan(t)).as("seed %d (shuffled)", seed).isEqualTo(p);
            });
  }

  private static <T> List<T> shuffled(List<T> l, Random r) {
    List<T> c = new ArrayList<>(l);
    Collections.shuffle(c, r);
    return c;
  }

  /**
   * With capacity free, more idle demand never leaves fewer jobs covered by new VMs, and for a
   * single job shape never boots fewer VMs. (With several shapes the VM count alone is not
   * monotone, and should not be: one more job of a big shape can open a VM that also takes small
   * jobs which needed VMs of their own before.)
   */
  @Test
  void moreIdleDemandNeverBootsLessWhileCapacityIsFree() {
    qt().withExamples(EXAMPLES)
        .forAll(longs().all(), integers().between(1, 60))
        .checkAssert(
            (seed, extra) -> {
              World w = SnapshotGen.world(seed, SnapshotGen.Options.UNCONSTRAINED);
              Snapshot s = w.snapshot();
              List<Job> idle = s.jobs().stream().filter(j -> j.state() == JobState.IDLE).toList();
              if (idle.isEmpty()) return;
              Random r = new Random(seed);
              for (int i = 0; i < extra; i++) {
                w.idle(1, idle.get(r.nextInt(idle.size())).toBuilder());
              }
              Plan before = planner.plan(s);
              Plan after = planner.plan(w.snapshot());
              String what = "seed " + seed + ", +" + extra + " jobs: before " + before.boots() + " after " + after.boots();
              assertThat(jobs(after)).as(what).isGreaterThanOrEqualTo(jobs(before));
              Set<JobShape> shapes = new HashSet<>();
              for (Job j : idle) shapes.add(JobShape.of(j, new PlanningIndex(s).groups.get(j.group())));
              if (shapes.size() == 1) {
                assertThat(after.vmsToBoot()).as(what).isGreaterThanOrEqualTo(before.vmsToBoot());
              }
            });
  }

  private static int jobs(Plan p) {
    return p.boots().stream().mapToInt(Boot::jobs).sum();
  }

  @Test
  void contendingGroupsShareByWeightWithinOneVm() {
    qt().withExamples(200)
        .forAll(integers().between(1, 4), integers().between(1, 4), integers().between(2, 60), integers().between(0, 2))
        .checkAssert(
            (w1, w2, quotaVms, flavorIx) -> {
              int cores = new int[] {1, 2, 4}[flavorIx];
              World w =
                  new World()
                      .throttles(new Throttles(1000, 100000, 1000, 0, 0))
                      .group("alpha", w1)
                      .group("beta", w2)
                      .alloc("alpha", "c0", 0)
                      .alloc("beta", "c0", 0)
                      .idle("alpha", 500, 1, 1000)
                      .idle("beta", 500, 1, 1000);
              w.cloud("c0").flavor("f", cores, cores * 2048L, 0.01 * cores).quota(quotaVms * cores, -1, -1);
              Plan p = planner.plan(w.snapshot());
              int a = 0;
              int b = 0;
              for (Boot x : p.boots()) {
                if (x.group().value().equals("alpha")) a += x.count();
                else b += x.count();
              }
              assertThat(a + b).isEqualTo(quotaVms);
              double fairA = quotaVms * (double) w1 / (w1 + w2);
              assertThat(Math.abs(a - fairA)).as("alpha %d beta %d, weights %d:%d, %d VMs", a, b, w1, w2, quotaVms).isLessThanOrEqualTo(1.0);
            });
  }

  @Test
  void everyBootHasAReasonNamingItsCloudAndFlavor() {
    qt().withExamples(100)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Plan p = planner.plan(SnapshotGen.world(seed, SnapshotGen.Options.ALL).snapshot());
              for (Boot b : p.boots()) {
                assertThat(b.reason()).contains(b.cloud().value()).contains(b.flavor().value()).contains(b.group().value());
              }
              for (PlanAction a : p.actions()) assertThat(a.reason()).isNotBlank();
            });
  }

  static Resources r(int cores, long ram) {
    return Resources.of(cores, ram);
  }
}

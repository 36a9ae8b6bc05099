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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.csv2.api.CloudException;
import org.csv2.api.CycleReport;
import org.csv2.api.SchedulerListener;
import org.csv2.core.planning.DefaultPlanner;
import org.csv2.model.GroupName;
import org.csv2.model.InstanceState;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.VmState;
import org.junit.jupiter.api.Test;

/**
 * A cycle whose inputs are the last one's reuses the derivation (until the deriver's due instant),
 * the execution's working set and the passes over unchanged records (issue 19, item 3): the same
 * script run with the reuse and with everything computed every cycle gives the same plan, events,
 * figures and stored records at every cycle, and a time-driven rule fires at its exact cycle while
 * nothing else changes.
 */
class UnchangedCycleReuseTest {

  @Test
  void cyclesActTheSameWithAndWithoutReuse() {
    try (Fixture reuse = fixture();
        Fixture computed = fixture()) {
      Reconciler a = reuse.build();
      Reconciler b = computed.build();
      b.reuseUnchanged(false);
      List<VmEvent> eventsA = new ArrayList<>();
      List<VmEvent> eventsB = new ArrayList<>();
      a.addListener(listener(eventsA));
      b.addListener(listener(eventsB));
      for (int cycle = 0; cycle < 90; cycle++) {
        for (Fixture f : List.of(reuse, computed)) {
          script(f, cycle);
        }
        CycleReport ra = a.runCycle();
        CycleReport rb = b.runCycle();
        assertThat(ra.plan().actions()).as("cycle %d", cycle).isEqualTo(rb.plan().actions());
        assertThat(ra.plan().notes()).as("cycle %d", cycle).isEqualTo(rb.plan().notes());
        assertThat(ra.vmsByState()).as("cycle %d", cycle).isEqualTo(rb.vmsByState());
        assertThat(ra.idleJobs()).as("cycle %d", cycle).isEqualTo(rb.idleJobs());
        assertThat(ra.runningJobs()).as("cycle %d", cycle).isEqualTo(rb.runningJobs());
        assertThat(ra.failures()).as("cycle %d", cycle).isEqualTo(rb.failures());
        assertThat(eventsA).as("cycle %d", cycle).isEqualTo(eventsB);
        assertThat(reuse.store.vms()).as("cycle %d", cycle).isEqualTo(computed.store.vms());
        reuse.clock.advance(Duration.ofSeconds(10));
        computed.clock.advance(Duration.ofSeconds(10));
      }
      assertThat(eventsA).as("the script makes VMs change state").isNotEmpty();
      assertThat(a.derivationsReused()).as("derivations reused").isGreaterThan(30);
      assertThat(b.derivationsReused()).isZero();
    }
  }

  @Test
  void aBootNeverAnsweredEndsAtItsExactCycleWhileNothingElseChanges() {
    for (boolean on : new boolean[] {true, false}) {
      try (Fixture f = new Fixture()) {
        f.clouds.remove(Fixture.C2);
        f.c1().failBoot = new CloudException(CloudException.Reason.UNAVAILABLE, "timeout");
        f.planOnce(Fixture.boot(1));
        Reconciler r = f.build();
        r.reuseUnchanged(on);
        r.runCycle();
        Vm requested = only(f);
        assertThat(requested.state()).isEqualTo(VmState.REQUESTED);
        // two cycle periods (2 x 10 s) after its creation, and not a second before
        Instant deadline = requested.createdAt().plus(Duration.ofSeconds(20));
        Instant endedAt = null;
        for (int i = 0; i < 40 && endedAt == null; i++) {
          f.clock.advance(Duration.ofSeconds(1));
          r.runCycle();
          if (only(f).state() == VmState.TERMINATED) {
            endedAt = f.clock.instant();
          }
        }
        assertThat(endedAt).as("reuse %s", on).isEqualTo(deadline);
        assertThat(only(f).reason()).contains("boot never answered");
        if (on) {
          assertThat(r.derivationsReused()).as("cycles before the deadline reused the derivation").isGreaterThan(10);
        }
      }
    }
  }

  @Test
  void leasesAreRenewedOnlyWhenDueAndNeverLapse() {
    try (Fixture f = new Fixture()) {
      Reconciler r = f.build();
      Duration ttl = f.config().engine().leaseTtl();
      r.runCycle();
      int renewals = 0;
      Instant last = lease(f).expires();
      int cycles = (int) (4 * ttl.toSeconds() / 10);
      for (int i = 0; i < cycles; i++) {
        f.clock.advance(Duration.ofSeconds(10));
        CycleReport report = r.runCycle();
        org.csv2.model.Lease l = lease(f);
        assertThat(l.owner()).isEqualTo(f.leaseOwner);
        // held at every cycle, with at least half the lease period (or two cycles) still to run
        assertThat(l.expires()).as("cycle %d", i).isAfter(f.clock.instant().plus(Duration.ofSeconds(19)));
        assertThat(report.failures()).isEmpty();
        if (!l.expires().equals(last)) {
          renewals++;
          last = l.expires();
        }
      }
      assertThat(renewals).as("renewals in %d cycles, lease period %s", cycles, ttl).isPositive().isLessThanOrEqualTo(cycles / 2);
    }
  }

  private static org.csv2.model.Lease lease(Fixture f) {
    return f.store.leases().stream().filter(l -> l.group().equals(Fixture.ATLAS)).findFirst().orElseThrow();
  }

  private static Vm only(Fixture f) {
    assertThat(f.store.vms()).hasSize(1);
    return f.store.vms().get(0);
  }

  private static SchedulerListener listener(List<VmEvent> events) {
    return new SchedulerListener() {
      @Override
      public void vmChanged(VmEvent event) {
        events.add(event);
      }
    };
  }

  private static Fixture fixture() {
    Fixture f = new Fixture();
    f.clouds.remove(Fixture.C2);
    f.real = new DefaultPlanner();
    return f;
  }

  /**
   * Cycle 0: one idle job; 3: it runs on the VM; 8: it ends; 20: a job of 8 cores arrives, 25:
   * it runs on its VM; 45: it ends; 60: the small VM's instance fails.
   */
  private static void script(Fixture f, int cycle) {
    if (cycle < 60) {
      f.c1().setAll(InstanceState.ACTIVE);
    }
    switch (cycle) {
      case 0 -> f.jobs.jobs.add(job("j1", 1));
      case 3 -> {
        f.jobs.jobs.clear();
        f.jobs.addWorker(vm(f, "small").id(), 1);
      }
      case 8 -> {
        f.jobs.workers.clear();
        f.jobs.addWorker(vm(f, "small").id(), 0);
      }
      case 20 -> f.jobs.jobs.add(job("j2", 8));
      case 25 -> {
        f.jobs.jobs.clear();
        vmOf(f, "big").ifPresent(v -> f.jobs.addWorker(v.id(), 1));
      }
      case 45 -> f.jobs.workers.removeIf(w -> w.runningJobs() > 0);
      case 60 -> f.c1().setAll(InstanceState.ERROR);
      default -> {}
    }
  }

  private static Vm vm(Fixture f, String flavor) {
    return vmOf(f, flavor).orElseThrow();
  }

  private static java.util.Optional<Vm> vmOf(Fixture f, String flavor) {
    return f.store.vms().stream().filter(v -> v.flavor().value().equals(flavor) && v.state() != VmState.TERMINATED).findFirst();
  }

  private static Job job(String id, int cores) {
    return Job.builder(JobId.of(id), GroupName.of("atlas")).request(Resources.of(cores, 1024)).image("centos").build();
  }
}

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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.api.StateStoreException;
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.ReservationState;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.planning.CloudView;
import org.csv2.core.planning.ListDelta;
import org.csv2.core.userdata.SshKeyDocument;
import org.csv2.model.Allocation;
import org.csv2.model.Boot;
import org.csv2.model.CloudCapacity;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Limits;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import org.csv2.model.Retire;
import org.csv2.model.Terminate;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.spi.NotificationSink;
import org.csv2.spi.StateStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the reservations (docs/reservations.md): holds their capacity in the planner's
 * ledger from before their boot, drains the elastic VMs that would block one in time, boots the
 * cluster early by the cloud's boot time, keeps it whatever the job queue (the planner's
 * retirements of its VMs are dropped), replaces a VM that fails, warns the owner before the end and
 * terminates the cluster at the end.
 *
 * <p>Every engine reads every reservation that holds capacity soon (so that its elastic demand
 * leaves room on shared clouds, and it drains its own groups' VMs in the way); it boots, moves and
 * writes only those of the groups it holds. Writes carry the reservation's version; a conflict
 * (an operator's cancel at the same moment) is left for the next cycle.
 *
 * <p><b>Thread safety:</b> used by the cycle thread only.
 */
final class ReservationStep {
  private static final Logger log = LoggerFactory.getLogger(ReservationStep.class);

  /** Boot lead of a cloud on which no boot has been seen yet. */
  static final Duration DEFAULT_BOOT_LEAD = Duration.ofMinutes(10);

  /** The longest boot lead learned (a stuck boot must not start reservations hours early). */
  static final Duration MAX_BOOT_LEAD = Duration.ofHours(1);

  /** How long the longest boot seen on a cloud sets its boot lead, whatever the VMs live now. */
  static final Duration LEAD_MEMORY = Duration.ofHours(24);

  /** How long before its boot a reservation's capacity is held and the elastic VMs in its way drained. */
  static final Duration DRAIN_LEAD = Duration.ofMinutes(30);

  /**
   * How long before its boot the elastic VMs still in a reservation's way are terminated (their
   * drain did not end in time), so that their capacity is free when the boot comes.
   */
  static final Duration HARD_LEAD = Duration.ofMinutes(5);

  /** The reason prefix of the boots (and so of the VM records) of a reservation. */
  static final String REASON = "reservation ";

  /** The reason of a reservation whose cluster never ran in its window. */
  static final String FAILED = "its cluster never ran: ";

  /** What one cycle knows of the reservations. */
  record Active(List<Reservation> all, Set<GroupName> held, Set<VmId> reserved, List<Boot> boots) {
    static final Active NONE = new Active(List.of(), Set.of(), Set.of(), List.of());
  }

  private final StateStore store;
  private NotificationSink sink = new LogNotificationSink();
  private final Map<CloudName, Duration> bootLead = new HashMap<>();
  /** When each cloud's boot lead was learned (a shorter one replaces it only after {@link #LEAD_MEMORY}). */
  private final Map<CloudName, Instant> bootLeadSince = new HashMap<>();
  /** The SSH keys of this cycle's boots (a boot's reason names its reservation, so boots differ). */
  private final Map<Boot, String> sshKeys = new HashMap<>();
  /** The live VMs the boot leads were last learned from. */
  private List<Vm> leadsFrom = List.of();
  /**
   * Per cloud, the boot times (BOOTING to up) of the VMs of {@link #leadsFrom} that have one, with
   * how many VMs took each: kept up to date from the difference of the live lists, so that a cycle
   * looks only at the VMs that changed.
   */
  private final Map<CloudName, java.util.TreeMap<Duration, Integer>> boots = new HashMap<>();
  /** False once the store said it keeps no reservations. */
  private boolean supported = true;

  ReservationStep(StateStore store) {
    this.store = store;
  }

  /** Sets where notifications go. */
  void notifications(NotificationSink s) {
    this.sink = s;
  }

  /** The boot lead of a cloud: the longest boot seen there lately, or the default. */
  Duration bootLead(CloudName cloud) {
    return bootLead.getOrDefault(cloud, DEFAULT_BOOT_LEAD);
  }

  /**
   * The SSH key the VMs of a boot get: its reservation's owner's, when this cycle's {@link #act}
   * made the boot and the reservation has a valid key.
   *
   * @param boot a boot of the plan
   * @return the key, or null
   */
  @Nullable String sshKey(Boot boot) {
    return sshKeys.get(boot);
  }

  /** Reads the reservations that hold capacity now or soon. */
  Active read(Set<GroupName> groups, Instant now, List<String> failures) {
    if (!supported) {
      return Active.NONE;
    }
    List<Reservation> all;
    try {
      all = store.reservations(null, now.minus(Duration.ofDays(366)), now.plus(MAX_BOOT_LEAD).plus(DRAIN_LEAD)).stream()
          .filter(r -> r.state().holdsCapacity())
          .toList();
    } catch (UnsupportedOperationException e) {
      supported = false;
      log.info("the state store keeps no reservations: reservations are off for this engine");
      return Active.NONE;
    } catch (StateStoreException e) {
      failures.add("reservations: reading them failed: " + e.getMessage());
      return Active.NONE;
    }
    Set<VmId> reserved = new HashSet<>();
    for (Reservation r : all) {
      reserved.addAll(r.vms());
    }
    return new Active(all, Set.copyOf(groups), reserved, List.of());
  }

  /**
   * The observation the planner sees: each cloud's used capacity raised by the reservations'
   * capacity not yet held by their VMs, from {@link #DRAIN_LEAD} before their boot to their end,
   * so that elastic demand never takes what a reservation needs when it starts.
   */
  Observation hold(Observation obs, Active a, List<Vm> live, Instant now) {
    if (a.all().isEmpty()) {
      return obs;
    }
    Map<CloudName, Limits> extra = unbooted(a, live, now);
    if (extra.isEmpty()) {
      return obs;
    }
    Map<CloudName, CloudView> views = new LinkedHashMap<>(obs.views());
    extra.forEach((cloud, add) -> {
      CloudView v = views.get(cloud);
      if (v != null) {
        CloudCapacity c = v.capacity();
        Limits used = new Limits(Math.max(0, c.used().cores()), Math.max(0, c.used().ramMiB()), Math.max(0, c.used().instances()));
        views.put(cloud, new CloudView(v.cloud(), v.reachable(), v.flavors(), v.images(),
            new CloudCapacity(c.max(), used.plus(add)), v.instances(), v.opportunistic()));
      }
    });
    return obs.withViews(views);
  }

  /** Per cloud, what due reservations still lack in VMs (cores, MiB, VMs). */
  private Map<CloudName, Limits> unbooted(Active a, List<Vm> live, Instant now) {
    Map<VmId, Vm> byId = new HashMap<>();
    for (Vm vm : live) {
      byId.put(vm.id(), vm);
    }
    Map<CloudName, Limits> out = new LinkedHashMap<>();
    for (Reservation r : a.all()) {
      if (r.cloud() == null || !due(r, now, DRAIN_LEAD) || r.state() == ReservationState.STOPPING) {
        continue;
      }
      int have = (int) r.vms().stream().map(byId::get).filter(v -> v != null && v.state().holdsCapacity()).count();
      int missing = Math.max(0, r.count() - have);
      if (missing > 0) {
        out.merge(r.cloud(), new Limits(r.cores() * missing, r.ramMiB() * missing, missing), Limits::plus);
      }
    }
    return out;
  }

  /** Whether a reservation's window, advanced by its cloud's boot lead and {@code lead}, has begun and not ended. */
  private boolean due(Reservation r, Instant now, Duration lead) {
    Instant from = r.start().minus(bootLead(r.cloud())).minus(lead);
    return !now.isBefore(from) && now.isBefore(r.end());
  }

  /**
   * The plan with the reservations' actions: the planner's retirements and terminations of
   * reserved VMs dropped, the clusters booted (and failed VMs replaced), the elastic VMs in a due
   * reservation's way retired (drained; terminated once its boot is due), the clusters of ended or
   * cancelled reservations terminated.
   */
  Active act(Csv2Config cfg, Observation obs, List<Vm> live, Plan planned, Active a, Instant now, List<PlanAction> out) {
    for (PlanAction p : planned.actions()) {
      VmId target = p instanceof Retire r ? r.vm() : p instanceof Terminate t ? t.vm() : null;
      if (target == null || !a.reserved().contains(target)) {
        out.add(p);
      }
    }
    if (a.all().isEmpty()) {
      return a;
    }
    Map<VmId, Vm> byId = new HashMap<>();
    for (Vm vm : live) {
      byId.put(vm.id(), vm);
    }
    Set<VmId> acted = new HashSet<>();
    List<Boot> boots = new ArrayList<>();
    sshKeys.clear();
    for (Reservation r : a.all()) {
      if (!a.held().contains(r.group()) || r.cloud() == null) {
        continue;
      }
      List<Vm> mine = r.vms().stream().map(byId::get).filter(v -> v != null && v.state() != VmState.TERMINATED).toList();
      if (r.state() == ReservationState.STOPPING || !now.isBefore(r.end())) {
        String why = r.state() == ReservationState.STOPPING ? r.reason() : REASON + r.id() + " ended at " + r.end();
        for (Vm vm : mine) {
          if (vm.state() != VmState.TERMINATING && acted.add(vm.id())) {
            out.add(new Terminate(vm.id(), why));
          }
        }
        continue;
      }
      if (!due(r, now, Duration.ZERO)) {
        continue;
      }
      int up = (int) mine.stream().filter(v -> v.state() != VmState.ERROR && v.state() != VmState.TERMINATING
          && v.state() != VmState.RETIRING).count();
      for (Vm vm : mine) {
        if (vm.state() == VmState.ERROR && acted.add(vm.id())) {
          out.add(new Terminate(vm.id(), REASON + r.id() + ": replacing a failed VM"));
        }
      }
      int missing = r.count() - up;
      Boot b = missing > 0 ? boot(cfg, obs, r, missing, now) : null;
      if (b != null) {
        out.add(b);
        boots.add(b);
        if (r.sshKey() != null) {
          try {
            sshKeys.put(b, SshKeyDocument.check(r.sshKey()));
          } catch (IllegalArgumentException e) {
            // stored before keys were checked at booking: boot without it, and say so
            log.warn("reservation {}: its SSH key is not given to the VMs: {}", r.id(), e.getMessage());
          }
        }
      }
    }
    makeRoom(obs, live, a, now, out, acted);
    return new Active(a.all(), a.held(), a.reserved(), boots);
  }

  private @Nullable Boot boot(Csv2Config cfg, Observation obs, Reservation r, int missing, Instant now) {
    CloudView view = obs.views().get(r.cloud());
    Group group = cfg.group(r.group()).orElse(null);
    Allocation alloc = cfg.allocations().stream()
        .filter(x -> x.group().equals(r.group()) && x.cloud().equals(r.cloud())).findFirst().orElse(null);
    if (view == null || !view.reachable() || group == null || alloc == null) {
      return null; // tried again next cycle; the reason shows when the window passes
    }
    // the flavors booking checked against (StatusStep.largestFlavors): available, not excluded
    Flavor flavor = view.flavors().stream()
        .filter(f -> f.available() && !alloc.excludedFlavors().contains(f.name()))
        .filter(f -> r.flavor() != null ? f.name().equals(r.flavor())
            : f.resources().cores() >= r.cores() && f.resources().ramMiB() >= r.ramMiB())
        .min(Comparator.comparingInt((Flavor f) -> f.resources().cores()).thenComparingLong(f -> f.resources().ramMiB()))
        .orElse(null);
    String image = r.image() != null ? r.image() : alloc.overrides().orElse(group.vmDefaults()).image();
    if (flavor == null || image == null) {
      log.warn("reservation {}: no flavor of {} cores and {} MiB or no image on {}", r.id(), r.cores(), r.ramMiB(), r.cloud());
      return null;
    }
    Duration keep = Duration.between(now, r.end()).plus(Duration.ofHours(1));
    return new Boot(r.group(), r.cloud(), flavor.name(), image, null, missing, 0, keep,
        r.userData() == null ? List.of() : List.of(r.userData()), 0,
        REASON + r.id() + ": " + missing + " VM(s) of " + r.owner() + "'s cluster, [" + r.start() + ", " + r.end() + ")");
  }

  /**
   * Retires the held groups' elastic VMs on a cloud where a due reservation lacks room: drained
   * from {@link #DRAIN_LEAD} before its boot, terminated from {@link #HARD_LEAD} before it. Idle VMs go first,
   * then the newest.
   */
  private void makeRoom(Observation obs, List<Vm> live, Active a, Instant now, List<PlanAction> out, Set<VmId> acted) {
    Map<CloudName, Limits> lacking = unbooted(a, live, now);
    for (Map.Entry<CloudName, Limits> e : lacking.entrySet()) {
      CloudView view = obs.views().get(e.getKey());
      if (view == null) {
        continue;
      }
      boolean hard = a.all().stream().anyMatch(r -> e.getKey().equals(r.cloud()) && due(r, now, HARD_LEAD));
      // cores, MiB and VMs, each against its quota: an instance quota blocks a cluster as a core quota does
      long[] csv2 = new long[3];
      long[] counted = new long[3];
      for (Vm vm : live) {
        if (vm.cloud().equals(e.getKey()) && vm.state().holdsCapacity()) {
          long[] size = {vm.resources().cores(), vm.resources().ramMiB(), 1};
          boolean leaving = vm.state() == VmState.TERMINATING || (!hard && vm.state() == VmState.RETIRING);
          for (int i = 0; i < 3; i++) {
            counted[i] += vm.state() == VmState.REQUESTED ? 0 : size[i];
            csv2[i] += leaving ? 0 : size[i];
          }
        }
      }
      Limits max = view.capacity().max();
      Limits used = view.capacity().used();
      long[] quota = {max.cores(), max.ramMiB(), max.instances()};
      long[] usedAll = {used.cores(), used.ramMiB(), used.instances()};
      long[] asked = {e.getValue().cores(), e.getValue().ramMiB(), e.getValue().instances()};
      long[] deficit = new long[3];
      boolean short_ = false;
      for (int i = 0; i < 3; i++) {
        if (quota[i] == Limits.UNLIMITED) {
          continue;
        }
        long external = Math.max(0, usedAll[i] - counted[i]);
        deficit[i] = csv2[i] + external + asked[i] - quota[i];
        short_ |= deficit[i] > 0;
      }
      if (!short_) {
        continue;
      }
      List<Vm> elastic = live.stream()
          .filter(v -> v.cloud().equals(e.getKey()) && a.held().contains(v.group()) && !a.reserved().contains(v.id())
              && !v.manual() && v.state().holdsCapacity() && v.state() != VmState.TERMINATING
              && (hard || v.state() != VmState.RETIRING) && !acted.contains(v.id()))
          .sorted(Comparator.comparingInt((Vm v) -> v.state() == VmState.RUNNING || v.state() == VmState.RETIRING ? 1 : 0)
              .thenComparing(Vm::createdAt, Comparator.reverseOrder()))
          .toList();
      String why = "making room on " + e.getKey() + " for reservation(s) due at "
          + a.all().stream().filter(r -> e.getKey().equals(r.cloud())).map(r -> r.id() + " (" + r.start() + ")")
              .limit(5).toList();
      for (Vm vm : elastic) {
        long[] size = {vm.resources().cores(), vm.resources().ramMiB(), 1};
        boolean helps = false;
        boolean still = false;
        for (int i = 0; i < 3; i++) {
          helps |= deficit[i] > 0 && size[i] > 0;
          still |= deficit[i] > 0;
        }
        if (!still) {
          break;
        }
        if (!helps) {
          continue;
        }
        acted.add(vm.id());
        for (int i = 0; i < 3; i++) {
          deficit[i] -= size[i];
        }
        out.add(hard || vm.state() != VmState.RUNNING ? new Terminate(vm.id(), why) : new Retire(vm.id(), why));
      }
    }
  }

  private void learnBootLeads(List<Vm> live, Instant now) {
    if (SameLists.identical(live, leadsFrom)) {
      return; // the same VM records as last time teach nothing new (a cycle costs what changed)
    }
    ListDelta<Vm> delta = ListDelta.of(leadsFrom, live, Math.max(16, live.size() / 4));
    if (delta == null) { // counted again from scratch: as cheap as a long difference
      boots.clear();
      delta = new ListDelta<>(List.of(), live);
    }
    for (Vm vm : delta.removed()) {
      count(vm, -1);
    }
    for (Vm vm : delta.added()) {
      count(vm, 1);
    }
    leadsFrom = live;
    // per cloud, the longest boot among the live VMs
    boots.forEach((c, durations) -> {
      Duration lead = durations.lastKey().plusSeconds(60);
      lead = lead.compareTo(MAX_BOOT_LEAD) > 0 ? MAX_BOOT_LEAD : lead;
      // the live VMs may be few (a quiet cloud: one VM whose boot was quick); a longer boot seen
      // within LEAD_MEMORY is kept, else a reservation booted by that lead comes up after its start
      Duration kept = bootLead.get(c);
      Instant since = bootLeadSince.get(c);
      if (kept == null || since == null || lead.compareTo(kept) >= 0 || since.isBefore(now.minus(LEAD_MEMORY))) {
        bootLead.put(c, lead);
        bootLeadSince.put(c, now);
      }
    });
  }

  /** Counts (or, with -1, no longer counts) a VM's boot time, when it has one. */
  private void count(Vm vm, int sign) {
    Instant booting = vm.transitions().get(VmState.BOOTING);
    Instant up = vm.transitions().get(VmState.UNREGISTERED);
    if (booting == null || up == null || !up.isAfter(booting)) {
      return;
    }
    Duration d = Duration.between(booting, up);
    java.util.TreeMap<Duration, Integer> durations = boots.computeIfAbsent(vm.cloud(), c -> new java.util.TreeMap<>());
    int n = durations.getOrDefault(d, 0) + sign;
    if (n > 0) {
      durations.put(d, n);
    } else {
      durations.remove(d);
      if (durations.isEmpty()) {
        boots.remove(vm.cloud());
      }
    }
  }

  /**
   * After the cycle's commit: the booted VMs recorded on their reservations, the states moved on,
   * the owners told.
   */
  void complete(Active a, List<Vm> live, List<VmEvent> events, Instant now, Duration warning, List<String> failures) {
    learnBootLeads(live, now);
    if (a.all().isEmpty()) {
      return;
    }
    Map<Long, List<VmId>> booted = new HashMap<>();
    for (VmEvent e : events) {
      Long id = e.to() == VmState.REQUESTED ? reservationOf(e.reason()) : null;
      if (id != null) {
        booted.computeIfAbsent(id, k -> new ArrayList<>()).add(e.vm());
      }
    }
    Map<VmId, Vm> byId = new HashMap<>();
    for (Vm vm : live) {
      byId.put(vm.id(), vm);
      // a boot whose reservation was not written (a crash between the two) is found by its reason
      Long id = reservationOf(vm.reason());
      if (id != null && !a.reserved().contains(vm.id())) {
        List<VmId> l = booted.computeIfAbsent(id, k -> new ArrayList<>());
        if (!l.contains(vm.id())) {
          l.add(vm.id());
        }
      }
    }
    for (Reservation r : a.all()) {
      if (!a.held().contains(r.group())) {
        continue;
      }
      Reservation next = r;
      List<VmId> vms = new ArrayList<>(r.vms());
      for (VmId id : booted.getOrDefault(r.id(), List.of())) {
        if (!vms.contains(id)) {
          vms.add(id);
        }
      }
      while (vms.size() > 2 * Reservation.MAX_COUNT) {
        vms.remove(0);
      }
      if (!vms.equals(r.vms())) {
        next = next.withVms(vms);
      }
      List<Vm> alive = vms.stream().map(byId::get).filter(v -> v != null && v.state() != VmState.TERMINATED).toList();
      long up = alive.stream().filter(v -> v.state() == VmState.UNREGISTERED || v.state() == VmState.IDLE
          || v.state() == VmState.RUNNING || v.state() == VmState.MANUAL).count();
      boolean ended = !now.isBefore(r.end()) || r.state() == ReservationState.STOPPING;
      if (ended) {
        boolean ran = r.state() == ReservationState.RUNNING || r.state() == ReservationState.STOPPING;
        String failed = ran ? null : FAILED + lastProblem(r, byId);
        if (r.state() == ReservationState.STOPPING && r.reason().startsWith(FAILED)) {
          failed = r.reason();
        }
        if (!alive.isEmpty()) {
          if (r.state() != ReservationState.STOPPING) {
            next = next.moved(ReservationState.STOPPING,
                failed != null ? failed : "window ended at " + r.end() + ": terminating " + alive.size() + " VM(s)", now);
          }
        } else if (failed != null) {
          next = next.moved(ReservationState.FAILED, failed, now);
        } else {
          next = next.moved(ReservationState.ENDED,
              r.state() == ReservationState.STOPPING && r.reason().startsWith("cancelled") ? r.reason() : "ended at " + r.end(), now);
        }
      } else if (r.state() == ReservationState.CONFIRMED && (!booted.getOrDefault(r.id(), List.of()).isEmpty() || r.count() == 0)) {
        next = next.moved(ReservationState.STARTING, r.count() == 0 ? "no VMs to boot" : "booting " + r.count() + " VM(s)", now);
      }
      if ((next.state() == ReservationState.STARTING) && up >= r.count()) {
        next = next.moved(ReservationState.RUNNING, r.count() + " VM(s) up", now);
      }
      if ((next.state() == ReservationState.STARTING || next.state() == ReservationState.RUNNING)
          && next.warnedAt() == null && !now.isBefore(r.end().minus(warning))) {
        next = next.warned(now);
      }
      if (!next.equals(r)) {
        try {
          Reservation stored = store.updateReservation(next);
          tell(r, stored, now, failures);
        } catch (StateStoreException e) {
          failures.add("reservation " + r.id() + ": " + e.getMessage());
        }
      }
    }
  }

  /** The reservation a VM was booted for, from its REQUESTED reason, or null. */
  static @Nullable Long reservationOf(String reason) {
    String prefix = "requested: " + REASON;
    if (!reason.startsWith(prefix)) {
      return null;
    }
    int colon = reason.indexOf(':', prefix.length());
    try {
      return colon < 0 ? null : Long.parseLong(reason.substring(prefix.length(), colon));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The live VMs a cycle knows after deriving: the held groups' derived ones and everybody else's as stored. */
  static List<Vm> live(DeriveStep.Derived derived) {
    List<Vm> out = new ArrayList<>();
    for (Vm vm : derived.derivation().vms()) {
      if (vm.state() != VmState.TERMINATED) {
        out.add(vm);
      }
    }
    out.addAll(derived.split().otherGroups());
    out.addAll(derived.split().foreign());
    return out;
  }

  private static String lastProblem(Reservation r, Map<VmId, Vm> byId) {
    for (int i = r.vms().size() - 1; i >= 0; i--) {
      Vm vm = byId.get(r.vms().get(i));
      if (vm != null && !vm.reason().isEmpty()) {
        return vm.reason();
      }
    }
    return r.reason().isEmpty() ? "no VM booted (cloud unreachable, or no flavor or image)" : r.reason();
  }

  private void tell(Reservation before, Reservation after, Instant now, List<String> failures) {
    NotificationSink.Kind kind = null;
    String subject = null;
    if (after.state() == ReservationState.RUNNING && before.state() != ReservationState.RUNNING) {
      kind = NotificationSink.Kind.STARTED;
      subject = "your cluster of reservation " + after.id() + " runs on " + after.cloud();
    } else if (after.warnedAt() != null && before.warnedAt() == null) {
      kind = NotificationSink.Kind.ENDING;
      subject = "reservation " + after.id() + " ends at " + after.end() + "; extend it if you need more time";
    } else if (after.state() == ReservationState.ENDED && before.state() != ReservationState.ENDED) {
      kind = NotificationSink.Kind.ENDED;
      subject = "reservation " + after.id() + " ended; its VMs are terminated";
    } else if (after.state() == ReservationState.FAILED && before.state() != ReservationState.FAILED) {
      kind = NotificationSink.Kind.FAILED;
      subject = "reservation " + after.id() + " failed: " + after.reason();
    }
    if (kind == null) {
      return;
    }
    try {
      sink.send(new NotificationSink.Notification(kind, after.owner(), after.group(), after.id(), subject,
          after.describe() + "\n" + after.reason(), now));
    } catch (RuntimeException e) {
      failures.add("reservation " + after.id() + ": notifying " + after.owner() + " failed: " + e.getMessage());
      CycleLog.warnFailure(log, "notifying " + after.owner() + " of reservation " + after.id() + " failed", e);
    }
  }
}

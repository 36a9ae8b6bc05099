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
package org.csv2.core.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.csv2.api.StateStoreException;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.AuditEntry;
import org.csv2.api.ops.CloudAvailability;
import org.csv2.api.ops.GroupStatus;
import org.csv2.api.ops.OperationException;
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.ReservationFilter;
import org.csv2.api.ops.ReservationRequest;
import org.csv2.api.ops.ReservationSearch;
import org.csv2.api.ops.ReservationState;
import org.csv2.api.ops.ReservationUsage;
import org.csv2.api.ops.Reservations;
import org.csv2.core.config.Csv2Config;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.GroupName;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.spi.Booking;
import org.csv2.spi.OperatorWrite;
import org.csv2.spi.ReservationCapacity;
import org.csv2.spi.ReservationLedger;
import org.csv2.spi.StateStore;
import org.jspecify.annotations.Nullable;

/**
 * The reservation verbs over a state store ({@link Reservations}; docs/reservations.md). The
 * capacity a booking may take on a cloud comes from the configuration (the group's allocations
 * and controls) and the engines' last status snapshots (the cloud's quota and what is used there
 * outside csv2); the store checks it over the window and stores the booking in one transaction.
 *
 * <p><b>Thread safety:</b> safe for concurrent use; the store arbitrates.
 */
public final class ReservationBook implements Reservations {
  /** How far a search looks on each side of the window asked, at least. */
  static final Duration SEARCH_MARGIN = Duration.ofDays(1);

  /** How many times a lifecycle write is retried after another writer's change. */
  private static final int RETRIES = 3;

  private final StateStore store;
  private final Clock clock;
  private final Supplier<Optional<Csv2Config>> config;

  /**
   * Creates the verbs.
   *
   * @param store the store
   * @param clock the clock ("now" for past windows)
   * @param config the configuration the engines run (empty if none is stored)
   */
  public ReservationBook(StateStore store, Clock clock, Supplier<Optional<Csv2Config>> config) {
    this.store = store;
    this.clock = clock;
    this.config = config;
  }

  @Override
  public List<CloudAvailability> search(Actor actor, ReservationSearch search) {
    Csv2Config cfg = config();
    List<Allocation> allocations = allocations(cfg, search.group());
    Instant start = floor(search.start());
    Instant end = ceil(search.end());
    Duration length = Duration.between(start, end);
    Duration margin = length.compareTo(SEARCH_MARGIN) > 0 ? length : SEARCH_MARGIN;
    Instant now = ceil(clock.instant());
    Instant from = start.minus(margin).isBefore(now) ? now : start.minus(margin);
    Instant to = end.plus(margin);
    List<Reservation> booked = store.reservations(null, from.isBefore(start) ? from : start, to);
    Limits demand = new Limits(search.cores() * search.count(), search.ramMiB() * search.count(), search.count());
    List<CloudAvailability> out = new ArrayList<>();
    for (Allocation a : allocations) {
      Optional<ReservationCapacity> cap = capacity(a);
      if (cap.isEmpty()) {
        out.add(new CloudAvailability(a.cloud(), false, Limits.ZERO, List.of(), unknown(a.cloud())));
        continue;
      }
      Reservation probe = probe(actor, search.group(), a.cloud(), search.cores(), search.ramMiB(), search.count(), start, end);
      String conflict = start.isBefore(floor(clock.instant())) ? "the window starts in the past"
          : ReservationLedger.conflict(cap.get(), booked, probe);
      List<CloudAvailability.Window> free =
          from.isBefore(to) && cap.get().noFlavorFor(search.cores(), search.ramMiB()) == null
              ? ReservationLedger.free(cap.get(), booked, search.group(), demand, from, to, length)
              : List.of();
      String note = conflict == null ? join(limitedBy(cap.get(), search.group()), elastic(a.cloud(), search.group())) : conflict;
      out.add(new CloudAvailability(a.cloud(), conflict == null, cap.get().tightest(), free, note));
    }
    return out;
  }

  @Override
  public Reservation book(Actor actor, ReservationRequest request) {
    Csv2Config cfg = config();
    List<Allocation> allocations = allocations(cfg, request.group());
    Instant now = clock.instant();
    Instant start = floor(request.start());
    Instant end = ceil(request.end());
    if (!end.isAfter(start)) {
      throw refused("reservation: the end " + request.end() + " is not after the start " + request.start());
    }
    if (start.isBefore(now.truncatedTo(ChronoUnit.MINUTES))) {
      throw refused("reservation: the window [" + start + ", " + end + ") starts in the past (now " + now + ")");
    }
    if (request.cloud() != null) {
      allocations = allocations.stream().filter(a -> a.cloud().equals(request.cloud())).toList();
      if (allocations.isEmpty()) {
        throw new OperationException(OperationException.Reason.NOT_FOUND,
            "reservation: cloud " + request.cloud() + " is not allocated to group " + request.group());
      }
    }
    String sshKey = null;
    if (request.sshKey() != null) {
      try {
        sshKey = org.csv2.core.userdata.SshKeyDocument.check(request.sshKey()); // what the VMs get (issue 15)
      } catch (IllegalArgumentException e) {
        throw refused("reservation: " + e.getMessage());
      }
    }
    Resources size = size(request);
    List<ReservationCapacity> clouds = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (Allocation a : allocations) {
      capacity(a).ifPresentOrElse(clouds::add, () -> unknown.add(unknown(a.cloud())));
    }
    Reservation asked;
    try {
      asked = new Reservation(0, actor.name(), request.group(), null, request.cloud() == null, request.flavor(),
          size.cores(), size.ramMiB(), request.count(), request.image(), request.userData(), sshKey,
          start, end, ReservationState.REQUESTED, "", now, now, null, List.of(), 0);
    } catch (IllegalArgumentException e) {
      throw refused(e.getMessage());
    }
    Booking b = store.book(asked, clouds);
    Reservation stored = b.reservation();
    if (!b.done() && !unknown.isEmpty()) {
      stored = retry(stored, r -> r.moved(r.state(), (r.reason() + "; " + String.join("; ", unknown)), r.stateSince()));
    }
    audit(actor, b.done() ? "reservation create" : "reservation refused", stored, "", stored.describe());
    return stored;
  }

  @Override
  public List<Reservation> list(Actor actor, ReservationFilter filter) {
    Instant from = filter.from() == null ? Instant.EPOCH : filter.from();
    Instant to = filter.to() == null ? Instant.parse("9999-01-01T00:00:00Z") : filter.to();
    return store.reservations(filter.group(), from, to).stream()
        .filter(r -> filter.owner() == null || filter.owner().equals(r.owner()))
        .toList();
  }

  @Override
  public Reservation get(Actor actor, long id) {
    return store.reservation(id)
        .orElseThrow(() -> new OperationException(OperationException.Reason.NOT_FOUND, "reservation " + id + " does not exist"));
  }

  @Override
  public Reservation extend(Actor actor, long id, Instant newEnd) {
    Reservation r = get(actor, id);
    Instant end = ceil(newEnd);
    if (r.state().isFinal() || r.state() == ReservationState.STOPPING || r.state() == ReservationState.REQUESTED) {
      throw refused(r.describe() + " is " + r.state() + ": it cannot be extended");
    }
    if (!end.isAfter(r.start()) || !end.isAfter(clock.instant())) {
      throw refused("reservation " + id + ": the new end " + end + " is not after the start and now");
    }
    Csv2Config cfg = config();
    Allocation a = allocations(cfg, r.group()).stream().filter(x -> x.cloud().equals(r.cloud())).findFirst()
        .orElseThrow(() -> refused("reservation " + id + ": cloud " + r.cloud() + " is no longer allocated to " + r.group()));
    ReservationCapacity cap = capacity(a).orElseThrow(() -> refused(unknown(a.cloud())));
    Booking b = store.extendReservation(id, r.version(), end, cap);
    if (!b.done()) {
      throw refused("reservation " + id + " cannot be extended to " + end + ": " + b.refusal());
    }
    audit(actor, "reservation extend", b.reservation(), r.describe(), b.reservation().describe());
    return b.reservation();
  }

  @Override
  public Reservation cancel(Actor actor, long id) {
    Reservation before = get(actor, id);
    Reservation after =
        retry(
            before,
            r -> {
              if (r.state().isFinal()) {
                throw refused(r.describe() + " is over");
              }
              if (r.state() == ReservationState.STOPPING) {
                return r;
              }
              Instant now = clock.instant();
              return r.vms().isEmpty() && r.state() != ReservationState.RUNNING
                  ? r.moved(ReservationState.ENDED, "cancelled by " + actor.name(), now)
                  : r.moved(ReservationState.STOPPING, "cancelled by " + actor.name(), now);
            });
    audit(actor, "reservation cancel", after, before.describe(), after.describe());
    return after;
  }

  @Override
  public ReservationUsage usage(Actor actor, @Nullable GroupName group, Instant from, Instant to) {
    if (!to.isAfter(from)) {
      throw refused("usage: the end " + to + " is not after the start " + from);
    }
    Instant now = clock.instant();
    Map<ReservationUsage.By, Map<String, double[]>> sums = new java.util.EnumMap<>(ReservationUsage.By.class);
    for (ReservationUsage.By by : ReservationUsage.By.values()) {
      sums.put(by, new TreeMap<>());
    }
    for (Reservation r : store.reservations(group, from, to)) {
      Instant s = max(r.start(), from);
      Instant e = min(r.end(), to);
      if (cancelled(r)) {
        e = min(e, r.stateSince()); // reserved until the cancel (the VMs' stop): nothing if before the start
      }
      double reserved = r.state() == ReservationState.REFUSED ? 0 : hours(s, e) * r.cores() * r.count();
      double used = 0;
      for (VmId vm : r.vms()) {
        used += usedHours(vm, s, min(e, now)) * r.cores();
      }
      double[] add = {
        reserved, used,
        r.state() == ReservationState.REFUSED || r.state() == ReservationState.FAILED ? 0 : 1,
        r.state() == ReservationState.REFUSED ? 1 : 0,
        r.state() == ReservationState.FAILED ? 1 : 0
      };
      addTo(sums.get(ReservationUsage.By.USER), r.owner(), add);
      addTo(sums.get(ReservationUsage.By.GROUP), r.group().value(), add);
      addTo(sums.get(ReservationUsage.By.CLOUD), r.cloud() == null ? "-" : r.cloud().value(), add);
    }
    List<ReservationUsage.Row> rows = new ArrayList<>();
    sums.forEach((by, m) -> m.forEach((name, v) ->
        rows.add(new ReservationUsage.Row(by, name, v[0], v[1], (int) v[2], (int) v[3], (int) v[4]))));
    return new ReservationUsage(from, to, rows);
  }

  /** Whether a reservation was cancelled: STOPPING or ENDED with the cancel's reason. */
  private static boolean cancelled(Reservation r) {
    return (r.state() == ReservationState.STOPPING || r.state() == ReservationState.ENDED)
        && r.reason().startsWith("cancelled by ");
  }

  // ---------------------------------------------------------------- capacity

  /**
   * What reservations may hold on an allocation's cloud: the cloud's quota (from the newest status
   * snapshot that has it) less what is used there outside csv2, and the group's controls.
   *
   * @param a the allocation
   * @return the capacity, or empty while no engine has read the cloud
   */
  Optional<ReservationCapacity> capacity(Allocation a) {
    GroupStatus.CloudFigures figures = null;
    Instant at = Instant.MIN;
    for (GroupStatus s : store.statuses()) {
      for (GroupStatus.CloudFigures c : s.clouds()) {
        if (c.cloud().equals(a.cloud()) && s.at().isAfter(at) && c.reachable()) {
          figures = c;
          at = s.at();
        }
      }
    }
    if (figures == null) {
      return Optional.empty();
    }
    // foreign = everything on the cloud not the snapshot group's: less the other groups' csv2 VMs
    long[] csv2 = new long[3];
    GroupName snapshotGroup = null;
    for (GroupStatus s : store.statuses()) {
      if (s.at().equals(at) && s.clouds().contains(figures)) {
        snapshotGroup = s.group();
      }
    }
    for (Vm vm : store.vms()) {
      if (vm.cloud().equals(a.cloud()) && vm.state().holdsCapacity() && !vm.group().equals(snapshotGroup)) {
        csv2[0] += vm.resources().cores();
        csv2[1] += vm.resources().ramMiB();
        csv2[2]++;
      }
    }
    long quotaCores = figures.cores().quota();
    long quotaRam = figures.ramMiB().quota();
    long outsideCores = Math.max(0, figures.cores().foreign() - csv2[0]);
    long outsideRam = Math.max(0, figures.ramMiB().foreign() - csv2[1]);
    // the instance quota counts VMs as the core quota counts cores (an older snapshot: not known)
    long quotaVms = figures.instances().quota();
    long outsideVms = Math.max(0, figures.instances().foreign() - csv2[2]);
    Limits total = new Limits(
        quotaCores < 0 ? Limits.UNLIMITED : (int) Math.max(0, quotaCores - outsideCores),
        quotaRam < 0 ? Limits.UNLIMITED : Math.max(0, quotaRam - outsideRam),
        quotaVms < 0 ? Limits.UNLIMITED : (int) Math.max(0, quotaVms - outsideVms));
    Limits group = new Limits(a.coresCtl(), a.ramCtlMiB(), Limits.UNLIMITED);
    return Optional.of(new ReservationCapacity(a.cloud(), total, group, flavors(a, figures)));
  }

  /**
   * The flavors the allocation's group may boot on its cloud: from the group's own newest snapshot
   * of the cloud (its allocation's exclusions applied there), else from another group's, less the
   * flavors this group's allocation excludes. Empty (not checked) while no snapshot lists them.
   */
  private List<Flavor> flavors(Allocation a, GroupStatus.CloudFigures newest) {
    GroupStatus.CloudFigures own = null;
    Instant at = Instant.MIN;
    for (GroupStatus s : store.statuses()) {
      if (!s.group().equals(a.group()) || !s.at().isAfter(at)) {
        continue;
      }
      for (GroupStatus.CloudFigures c : s.clouds()) {
        if (c.cloud().equals(a.cloud()) && !c.flavors().isEmpty()) {
          own = c;
          at = s.at();
        }
      }
    }
    GroupStatus.CloudFigures from = own != null ? own : newest;
    List<Flavor> out = new ArrayList<>();
    for (GroupStatus.FlavorSize f : from.flavors()) {
      if (!a.excludedFlavors().contains(f.flavor())) {
        out.add(new Flavor(f.flavor(), Resources.of(f.cores(), f.ramMiB()), 0, true, Map.of()));
      }
    }
    if (out.isEmpty() && !from.flavors().isEmpty()) {
      // every flavor listed is excluded for the group: nothing of any size can boot
      out.add(new Flavor(org.csv2.model.FlavorName.of("(none: all excluded)"), Resources.of(0, 0), 0, true, Map.of()));
    }
    return out;
  }

  /**
   * What the elastic VMs hold on a cloud now, the group's apart from the other groups' (a
   * reservation's own VMs are not elastic). The sum may exceed the capacity a search answers: that
   * is the group's reservations' share (its {@code cores-ctl}, or the quota less outside use), the
   * VMs are every group's.
   */
  private String elastic(CloudName cloud, GroupName group) {
    long mine = 0;
    long others = 0;
    for (Vm vm : store.vms()) {
      if (vm.cloud().equals(cloud) && vm.state().holdsCapacity() && !vm.manual() && !vm.reason().startsWith("reservation ")) {
        if (vm.group().equals(group)) {
          mine += vm.resources().cores();
        } else {
          others += vm.resources().cores();
        }
      }
    }
    long cores = mine + others;
    return cores == 0 ? "" : "elastic VMs hold " + cores + " cores there now (" + group + " " + mine + ", other groups " + others
        + "); they are drained in time for reservations";
  }

  /** Which limit the capacity answered is: the cloud's quota less outside use, or the group's controls. */
  private static String limitedBy(ReservationCapacity cap, GroupName group) {
    long total = cap.total().cores();
    long ctl = cap.group().cores();
    if (ctl != Limits.UNLIMITED && (total == Limits.UNLIMITED || ctl < total)) {
      return "capacity " + ctl + " cores: group " + group + "'s cores-ctl on " + cap.cloud()
          + (total == Limits.UNLIMITED ? "" : " (the cloud's quota less outside use is " + total + ")");
    }
    return total == Limits.UNLIMITED ? "" : "capacity " + total + " cores: the cloud's quota less what is used outside csv2";
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
  }

  private static String unknown(CloudName cloud) {
    return "the capacity of cloud " + cloud + " is not known yet: no engine has read it (its quota comes from the engines' status)";
  }

  private Reservation probe(Actor actor, GroupName group, CloudName cloud, int cores, long ramMiB, int count, Instant s, Instant e) {
    return new Reservation(0, actor.name(), group, cloud, false, null, cores, ramMiB, count, null, null, null, s, e,
        ReservationState.REQUESTED, "", s, s, null, List.of(), 0);
  }

  private Resources size(ReservationRequest request) {
    if (request.cores() > 0 && request.ramMiB() > 0) {
      return Resources.of(request.cores(), request.ramMiB());
    }
    // a flavor alone: its size as the engines recorded it on a VM of that flavor
    for (Vm vm : store.vms()) {
      if (vm.flavor().equals(request.flavor()) && (request.cloud() == null || vm.cloud().equals(request.cloud()))) {
        return vm.resources();
      }
    }
    throw new OperationException(OperationException.Reason.NOT_FOUND,
        "reservation: the size of flavor " + request.flavor() + " is not known (no VM of it is stored); give cores and RAM");
  }

  private Csv2Config config() {
    return config.get().orElseThrow(() -> new OperationException(OperationException.Reason.NOT_FOUND,
        "reservations: no configuration is stored yet (an engine saves it at its first cycle)"));
  }

  private static List<Allocation> allocations(Csv2Config cfg, GroupName group) {
    if (cfg.group(group).isEmpty()) {
      throw new OperationException(OperationException.Reason.NOT_FOUND, "group " + group + " does not exist");
    }
    return cfg.allocations().stream()
        .filter(a -> a.group().equals(group) && a.enabled())
        .sorted(Comparator.comparingInt(Allocation::priority).thenComparing(Allocation::cloud))
        .toList();
  }

  // ---------------------------------------------------------------- plumbing

  private Reservation retry(Reservation first, java.util.function.UnaryOperator<Reservation> change) {
    Reservation r = first;
    for (int attempt = 1; ; attempt++) {
      Reservation next = change.apply(r);
      if (next.equals(r)) {
        return r;
      }
      try {
        return store.updateReservation(next);
      } catch (StateStoreException e) {
        if (e.reason() != StateStoreException.Reason.CONFLICT || attempt >= RETRIES) {
          throw e;
        }
        r = store.reservation(r.id()).orElseThrow(() -> e);
      }
    }
  }

  private double usedHours(VmId vm, Instant from, Instant to) {
    if (!to.isAfter(from)) {
      return 0;
    }
    Instant up = null;
    Instant down = null;
    for (VmEvent e : store.history(vm)) {
      if (up == null && e.to() != VmState.REQUESTED && e.to() != VmState.TERMINATED) {
        up = e.at();
      }
      if (e.to() == VmState.TERMINATED) {
        down = e.at();
      }
    }
    if (up == null) {
      return 0;
    }
    return hours(max(up, from), min(down == null ? to : down, to));
  }

  private void audit(Actor actor, String action, Reservation r, String before, String after) {
    AuditEntry entry = AuditEntry.of(clock.instant(), actor, action, "reservation " + r.id(), before, after);
    store.submit(new OperatorWrite(null, 0, actor.name(), List.of(), List.of(entry)));
  }

  private static void addTo(Map<String, double[]> m, String key, double[] add) {
    double[] v = m.computeIfAbsent(key, k -> new double[add.length]);
    for (int i = 0; i < add.length; i++) {
      v[i] += add[i];
    }
  }

  private static double hours(Instant a, Instant b) {
    return b.isAfter(a) ? Duration.between(a, b).toSeconds() / 3600.0 : 0;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  static Instant floor(Instant t) {
    return t.truncatedTo(ChronoUnit.MINUTES);
  }

  static Instant ceil(Instant t) {
    Instant f = t.truncatedTo(ChronoUnit.MINUTES);
    return f.equals(t) ? t : f.plus(1, ChronoUnit.MINUTES);
  }

  private static OperationException refused(String message) {
    return new OperationException(OperationException.Reason.REFUSED, message);
  }
}

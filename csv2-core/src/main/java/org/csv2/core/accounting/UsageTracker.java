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
package org.csv2.core.accounting;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.csv2.core.planning.ListDelta;
import org.csv2.model.InstanceState;
import org.csv2.model.SlotUsage;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.model.VmUsage;
import org.csv2.model.Worker;
import org.jspecify.annotations.Nullable;

/**
 * Brings each VM's {@link VmUsage} up to date from what one cycle saw: the VM records (start, end,
 * flavor, image), the job source's workers (users and CPU of the jobs in their slots) and the
 * clouds' instances (suspended, paused or stopped time, counted apart from wall time).
 *
 * <p>CPU: a job's CPU is reported while it runs, keyed by its run in a slot ({@link
 * SlotUsage#key()}); the last figure of a key that disappears is banked into the VM's total. When
 * no job source report ever came for a VM, its CPU is wall time x cores, marked as such ({@link
 * VmUsage#cpuMeasured()} false).
 *
 * <p>Writes: a record is returned for saving when something other than the CPU figures changed
 * (new VM, end, suspension, a job started or ended, a new user), or when its CPU changed and it
 * was last saved {@link #SAVE_EVERY} ago or more: a crash loses at most that much of a running
 * job's CPU figures, which the next report brings back anyway.
 *
 * <p><b>Thread safety:</b> not thread-safe; the engine's cycle thread owns it.
 */
public final class UsageTracker {
  /** How long changed CPU figures may wait before they are saved. */
  public static final Duration SAVE_EVERY = Duration.ofMinutes(5);

  /** The most users kept per VM (more are dropped: a VM of a group runs few users' pilots). */
  public static final int MAX_USERS = 64;

  /** The most running jobs kept per VM. */
  public static final int MAX_OPEN_JOBS = 4096;

  /** What the tracker knows of each VM, in one entry so that a VM costs one look-up a cycle. */
  private final Map<VmId, Track> tracks = new HashMap<>();
  /** The number of the current {@link #trackAll} call, to stamp the entries it listed. */
  private long call;

  /** One VM's record, when it was saved, and the inputs it was last brought up to date from. */
  private static final class Track {
    VmUsage usage;
    Instant savedAt;
    /** The inputs of the last update (the same again changes nothing), or null before one. */
    @Nullable Vm vm;
    @Nullable List<Worker> workers;
    @Nullable InstanceState instance;
    /** The number of the last {@link #trackAll} that listed the VM. */
    long listedIn = -1;

    Track(VmUsage usage, Instant savedAt) {
      this.usage = usage;
      this.savedAt = savedAt;
    }

    boolean same(Vm v, @Nullable List<Worker> w, @Nullable InstanceState i) {
      return vm != null && (vm == v || vm.equals(v)) && instance == i && sameWorkers(workers, w);
    }
  }

  /**
   * Worker lists that give the same update: element by element, equal slot usage lists (the only
   * part of a worker an update reads; its used cores or last activity change far more often),
   * trying identity first (a source may reuse its objects).
   */
  private static boolean sameWorkers(@Nullable List<Worker> a, @Nullable List<Worker> b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null || a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      List<SlotUsage> x = a.get(i).usage();
      List<SlotUsage> y = b.get(i).usage();
      if (x != y && (x == null || !x.equals(y))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Makes the tracker know stored records (those of running VMs, read at start-up or when the
   * engine comes to hold a group).
   *
   * @param stored the stored records
   */
  public void load(Collection<VmUsage> stored) {
    for (VmUsage u : stored) {
      tracks.putIfAbsent(u.vm(), new Track(u, u.updatedAt()));
    }
    lastVms = null; // the next call looks at every VM (the records read were never brought up to date)
  }

  /**
   * Whether the tracker knows a VM's record.
   *
   * @param vm the VM
   * @return true when it does
   */
  public boolean knows(VmId vm) {
    return tracks.containsKey(vm);
  }

  /**
   * Whether a VM has started, so that it has usage: it was ever BOOTING or has a cloud instance.
   *
   * @param vm the VM
   * @return true when it has
   */
  public static boolean started(Vm vm) {
    return vm.enteredAt(VmState.BOOTING).isPresent() || vm.instanceId() != null;
  }

  /**
   * The VMUUID of a VM: a name-based UUID of its cloud, name and creation time, the same in every
   * run and different for a later VM of the same name.
   *
   * @param vm the VM
   * @return the UUID
   */
  public static String uuidOf(Vm vm) {
    String name = "csv2:" + vm.cloud().value() + "/" + vm.id().value() + "@" + vm.createdAt();
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * Brings the records of the given VMs up to date. A cycle costs what changed (docs/planner.md):
   * when the VM and worker lists differ from the last call's by a few records ({@link ListDelta},
   * a pointer comparison per element), only the VMs those records concern are looked at; else
   * every VM is, and one whose record, workers and instance state are those of its last update
   * costs one look-up.
   *
   * @param vms the VMs of the held groups, as derived this cycle
   * @param workers the job source's workers, or null when it could not be read this cycle (CPU and
   *     users then stay as they were)
   * @param instances the clouds' instance states by VM, for those matched to an instance (only
   *     {@code STOPPED} counts, as suspended time: a caller may give those alone)
   * @param now the cycle's time
   * @return the records to save
   */
  public List<VmUsage> track(
      List<Vm> vms, @Nullable List<Worker> workers, Map<VmId, InstanceState> instances, Instant now) {
    List<VmUsage> save = new ArrayList<>();
    if (!trackChanges(vms, workers, instances, now, save)) {
      trackAll(vms, workers, instances, now, save);
    }
    lastVms = vms;
    lastWorkers = workers;
    lastInstances = !instances.isEmpty();
    return save;
  }

  /** The inputs of the last call (null before one, and after {@link #load}: every VM is looked at). */
  private @Nullable List<Vm> lastVms;
  private @Nullable List<Worker> lastWorkers;
  private boolean lastInstances;
  /** The last workers by VM, in the order first seen (kept up to date with the worker list). */
  private final Map<VmId, List<Worker>> workersOf = new HashMap<>();

  /** Looks at the VMs the differences from the last call concern; false when it cannot tell. */
  private boolean trackChanges(
      List<Vm> vms, @Nullable List<Worker> workers, Map<VmId, InstanceState> instances, Instant now, List<VmUsage> save) {
    List<Vm> before = lastVms;
    if (before == null || !instances.isEmpty() || lastInstances || (workers == null) != (lastWorkers == null)) {
      return false;
    }
    ListDelta<Vm> dv = ListDelta.of(before, vms, Math.max(16, vms.size() / 8));
    ListDelta<Worker> dw =
        workers == null
            ? new ListDelta<>(List.of(), List.of())
            : ListDelta.of(lastWorkers, workers, Math.max(16, workers.size() / 8));
    if (dv == null || dw == null) {
      return false;
    }
    Set<VmId> concerned = new HashSet<>();
    for (Worker w : dw.removed()) {
      List<Worker> its = workersOf.get(w.vm());
      if (its != null) {
        its.removeIf(x -> x == w);
        if (its.isEmpty()) {
          workersOf.remove(w.vm());
        }
      }
      concerned.add(w.vm());
    }
    for (Worker w : dw.added()) {
      workersOf.computeIfAbsent(w.vm(), k -> new ArrayList<>(1)).add(w);
      concerned.add(w.vm());
    }
    Map<VmId, Vm> added = new HashMap<>();
    for (Vm vm : dv.added()) {
      added.put(vm.id(), vm);
      concerned.add(vm.id());
    }
    for (Vm vm : dv.removed()) {
      if (!added.containsKey(vm.id())) {
        tracks.remove(vm.id()); // no longer listed: deleted after retention, or another engine's now
      }
    }
    for (VmId id : concerned) {
      Vm vm = added.get(id);
      Track t = tracks.get(id);
      if (vm == null) {
        // listed as before (or gone): its record is the one of its last update, if it had one
        vm = t == null ? null : t.vm;
        if (vm == null) {
          continue;
        }
      }
      update(vm, t, workers == null ? null : workersOf.getOrDefault(id, List.of()), null, now, save);
    }
    return true;
  }

  /** Looks at every VM. */
  private void trackAll(
      List<Vm> vms, @Nullable List<Worker> workers, Map<VmId, InstanceState> instances, Instant now, List<VmUsage> save) {
    workersOf.clear();
    if (workers != null) {
      for (Worker w : workers) {
        workersOf.computeIfAbsent(w.vm(), k -> new ArrayList<>(1)).add(w);
      }
    }
    long c = ++call;
    int listedKnown = 0;
    int knownBefore = tracks.size();
    for (Vm vm : vms) {
      Track t = tracks.get(vm.id());
      if (t != null) {
        listedKnown++;
        t.listedIn = c;
      }
      if (!started(vm)) {
        continue;
      }
      List<Worker> its = workers == null ? null : workersOf.getOrDefault(vm.id(), List.of());
      InstanceState instance = instances.isEmpty() ? null : instances.get(vm.id());
      t = update(vm, t, its, instance, now, save);
      if (t != null) {
        t.listedIn = c;
      }
    }
    // forget the VMs no longer listed (deleted after retention, or another engine's now)
    if (listedKnown < knownBefore) {
      tracks.values().removeIf(t -> t.listedIn != c);
    }
  }

  /** Brings one started VM's record up to date; returns its entry (null for none). */
  private @Nullable Track update(
      Vm vm, @Nullable Track t, @Nullable List<Worker> its, @Nullable InstanceState instance, Instant now, List<VmUsage> save) {
    if (!started(vm)) {
      return t;
    }
    if (t != null && t.same(vm, its, instance)) {
      // the same record, workers and instance state as last time: the update would change only
      // its time (CPU without reports is wall time x cores, computed when read), so it is skipped
      return t;
    }
    VmUsage before = t == null ? null : t.usage;
    if (before != null && (t.vm == null || !t.vm.createdAt().equals(vm.createdAt()) || !t.vm.cloud().equals(vm.cloud())) && !before.uuid().equals(uuidOf(vm))) {
      before = null; // a new VM with the name of an old one
    }
    if (before != null && !before.running()) {
      return t; // finished: its record is final
    }
    VmUsage after = next(vm, before, its, instance, now);
    Instant last = t == null ? null : t.savedAt;
    if (t == null) {
      t = new Track(after, now);
      tracks.put(vm.id(), t);
    }
    t.usage = after;
    t.vm = vm;
    // the gathered list changes with later workers: the last update keeps a copy
    t.workers = its == null ? null : List.copyOf(its);
    t.instance = instance;
    boolean structural = before == null || structurallyChanged(before, after);
    boolean cpuOnly = !structural && after.cpuSeconds() != before.cpuSeconds();
    if (structural || (cpuOnly && (last == null || !now.isBefore(last.plus(SAVE_EVERY))))) {
      save.add(after);
      t.savedAt = now;
    }
    return t;
  }

  private static boolean structurallyChanged(VmUsage a, VmUsage b) {
    return !Objects.equals(a.end(), b.end())
        || !Objects.equals(a.suspendedSince(), b.suspendedSince())
        || a.suspendSeconds() != b.suspendSeconds()
        || !a.users().equals(b.users())
        || !a.openJobs().keySet().equals(b.openJobs().keySet())
        || a.cpuMeasured() != b.cpuMeasured()
        || !a.image().equals(b.image());
  }

  private static VmUsage next(
      Vm vm, @Nullable VmUsage before, @Nullable List<Worker> workers, @Nullable InstanceState instance, Instant now) {
    Instant start = vm.enteredAt(VmState.BOOTING).orElse(vm.createdAt());
    Instant end = null;
    if (vm.state() == VmState.TERMINATED) {
      end = vm.enteredAt(VmState.TERMINATED).orElse(vm.stateSince());
      if (end.isBefore(start)) {
        end = start;
      }
    }
    Instant at = end != null && end.isBefore(now) ? end : now;
    long suspend = before == null ? 0 : before.suspendSeconds();
    Instant suspendedSince = before == null ? null : before.suspendedSince();
    boolean suspended = end == null && instance == InstanceState.STOPPED;
    if (suspended && suspendedSince == null) {
      suspendedSince = at;
    } else if (!suspended && suspendedSince != null) {
      if (at.isAfter(suspendedSince)) {
        suspend += Duration.between(suspendedSince, at).toSeconds();
      }
      suspendedSince = null;
    }
    Map<String, Double> open = new TreeMap<>(before == null ? Map.of() : before.openJobs());
    double banked = before == null ? 0 : before.cpuSeconds() - sum(open.values());
    boolean measured = before != null && before.cpuMeasured();
    TreeSet<String> users = new TreeSet<>(before == null ? java.util.Set.of() : before.users());
    if (workers != null) {
      Map<String, Double> now2 = new TreeMap<>();
      boolean reported = false;
      for (Worker w : workers) {
        if (w.usage() == null) {
          continue;
        }
        reported = true;
        for (SlotUsage s : w.usage()) {
          if (now2.size() < MAX_OPEN_JOBS) {
            now2.merge(s.key(), s.cpuSeconds(), Math::max);
          }
          if (!s.owner().isBlank() && (users.size() < MAX_USERS || users.contains(s.owner()))) {
            users.add(s.owner());
          }
        }
      }
      if (reported) {
        measured = true;
        for (Map.Entry<String, Double> e : open.entrySet()) {
          if (!now2.containsKey(e.getKey())) {
            banked += e.getValue(); // the job ended: its last figure is final
          }
        }
        Map<String, Double> merged = new TreeMap<>();
        for (Map.Entry<String, Double> e : now2.entrySet()) {
          merged.put(e.getKey(), Math.max(e.getValue(), open.getOrDefault(e.getKey(), 0.0)));
        }
        open = merged;
      }
    }
    if (end != null) {
      banked += sum(open.values());
      open = Map.of();
    }
    double cpu = Math.max(0, banked + sum(open.values()));
    String uuid = before == null ? uuidOf(vm) : before.uuid();
    return new VmUsage(
        vm.id(),
        uuid,
        vm.group(),
        vm.cloud(),
        vm.flavor(),
        vm.image(),
        vm.resources().cores(),
        vm.resources().ramMiB(),
        vm.resources().diskGiB(),
        start,
        end,
        suspend,
        suspendedSince,
        cpu,
        measured,
        users,
        open,
        vm.pricePerHour(),
        now);
  }

  private static double sum(Collection<Double> values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }
}

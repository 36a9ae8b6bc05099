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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
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

  private final Map<VmId, VmUsage> known = new HashMap<>();
  private final Map<VmId, Instant> savedAt = new HashMap<>();
  /** What each VM's record was last brought up to date from: the same again changes nothing. */
  private final Map<VmId, Seen> seen = new HashMap<>();

  /** The inputs of one VM's last update. */
  private record Seen(Vm vm, @Nullable List<Worker> workers, @Nullable InstanceState instance) {
    boolean same(Vm v, @Nullable List<Worker> w, @Nullable InstanceState i) {
      return (vm == v || vm.equals(v)) && instance == i && (workers == w || (workers != null && workers.equals(w)));
    }
  }

  /**
   * Makes the tracker know stored records (those of running VMs, read at start-up or when a VM it
   * does not know appears).
   *
   * @param stored the stored records
   */
  public void load(Collection<VmUsage> stored) {
    for (VmUsage u : stored) {
      known.putIfAbsent(u.vm(), u);
      savedAt.putIfAbsent(u.vm(), u.updatedAt());
    }
  }

  /**
   * Whether the tracker knows a VM's record.
   *
   * @param vm the VM
   * @return true when it does
   */
  public boolean knows(VmId vm) {
    return known.containsKey(vm);
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
   * Brings the records of the given VMs up to date.
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
    Map<VmId, List<Worker>> byVm = new HashMap<>();
    if (workers != null) {
      for (Worker w : workers) {
        byVm.computeIfAbsent(w.vm(), k -> new ArrayList<>()).add(w);
      }
    }
    List<VmUsage> save = new ArrayList<>();
    int knownBefore = known.size();
    int listedKnown = 0;
    for (Vm vm : vms) {
      if (known.containsKey(vm.id())) {
        listedKnown++;
      }
      if (!started(vm)) {
        continue;
      }
      List<Worker> its = workers == null ? null : byVm.getOrDefault(vm.id(), List.of());
      InstanceState instance = instances.get(vm.id());
      Seen prior = seen.get(vm.id());
      VmUsage before = known.get(vm.id());
      if (before != null && prior != null && prior.same(vm, its, instance)) {
        // the same record, workers and instance state as last time: the update would change only
        // its time (CPU without reports is wall time x cores, computed when read), so it is skipped
        continue;
      }
      if (before != null && (prior == null || !prior.vm().createdAt().equals(vm.createdAt()) || !prior.vm().cloud().equals(vm.cloud())) && !before.uuid().equals(uuidOf(vm))) {
        before = null; // a new VM with the name of an old one
      }
      if (before != null && !before.running()) {
        continue; // finished: its record is final
      }
      VmUsage after = next(vm, before, its, instance, now);
      known.put(vm.id(), after);
      seen.put(vm.id(), new Seen(vm, its, instance));
      Instant last = savedAt.get(vm.id());
      boolean structural = before == null || structurallyChanged(before, after);
      boolean cpuOnly = !structural && after.cpuSeconds() != before.cpuSeconds();
      if (structural || (cpuOnly && (last == null || !now.isBefore(last.plus(SAVE_EVERY))))) {
        save.add(after);
        savedAt.put(vm.id(), now);
      }
    }
    // forget finished VMs that are no longer listed (deleted after retention, or another engine's now)
    if (listedKnown == knownBefore) {
      return save; // every record known before this cycle is listed: none to forget
    }
    java.util.Set<VmId> listed = new java.util.HashSet<>();
    for (Vm vm : vms) {
      listed.add(vm.id());
    }
    known.keySet().removeIf(id -> !listed.contains(id));
    savedAt.keySet().removeIf(id -> !listed.contains(id));
    seen.keySet().removeIf(id -> !listed.contains(id));
    return save;
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

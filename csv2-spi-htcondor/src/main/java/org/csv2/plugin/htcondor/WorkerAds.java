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
package org.csv2.plugin.htcondor;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.SlotUsage;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.jspecify.annotations.Nullable;

/**
 * Turns slot ads ({@code condor_status -json}) into {@link Worker}s: one worker per startd, its
 * partitionable, dynamic and static slots aggregated.
 *
 * <p>A worker is this engine's when its ads carry {@code Csv2InstanceId} (or the production
 * system's {@code cs_host_id}) equal to the engine's instance id; ads of other engines are foreign
 * and counted. Its VM is {@code Csv2VmName}, else the first label of {@code Machine} (production
 * VMs are named after their host); its group and cloud are {@code Csv2Group}/{@code Csv2Cloud},
 * else {@code group_name}/{@code cloud_name}.
 *
 * <p><b>Thread safety:</b> immutable.
 */
final class WorkerAds {
  /** The csv2 worker attribute names (documented in docs/htcondor.md). */
  static final String VM_NAME = "Csv2VmName";

  static final String GROUP = "Csv2Group";
  static final String CLOUD = "Csv2Cloud";
  static final String INSTANCE_ID = "Csv2InstanceId";

  /** The projection every {@code condor_status} asks for. */
  static final List<String> ATTRIBUTES =
      List.of(
          "Name", "Machine", "SlotType", "PartitionableSlot", "DynamicSlot", "State", "Activity", "Cpus",
          "Memory", "Disk", "TotalSlotCpus", "TotalSlotMemory", "TotalSlotDisk", "ChildCpus", "ChildMemory",
          "ChildState", "ChildActivity", "ChildEnteredCurrentState", "Draining", "Requirements",
          "EnteredCurrentActivity", "LastHeardFrom", "MyCurrentTime", "DaemonStartTime", VM_NAME, GROUP,
          CLOUD, INSTANCE_ID, "group_name", "cloud_name", "cs_host_id",
          // accounting (docs/accounting.md): who runs in a slot and the CPU its job used so far
          "RemoteOwner", "RemoteUser", "JobId", "JobStart", "TotalJobRunTime", "CPUsUsage");

  /** The constraint that selects the ads of any csv2 (or production cloudscheduler) worker. */
  static final String ANY_CSV2_WORKER = "(" + INSTANCE_ID + " isnt undefined) || (cs_host_id isnt undefined)";

  private static final Set<String> RUNNING_ACTIVITIES = Set.of("busy", "retiring", "suspended");
  private static final Set<String> DRAINING_ACTIVITIES = Set.of("retiring", "draining");
  private static final long KIB_PER_GIB = 1024L * 1024L;

  private final String instanceId;

  WorkerAds(String instanceId) {
    this.instanceId = instanceId;
  }

  /** The latest time an ad may give, in epoch seconds (the year 9999); later is malformed. */
  static final long MAX_EPOCH_SECOND = JobAds.MAX_EPOCH_SECOND;

  /** A record left out because it is malformed: what it is and why. */
  record Rejected(String record, String reason) {
    @Override
    public String toString() {
      return record + ": " + reason;
    }
  }

  /**
   * The workers of this engine and how many startds were left out (foreign or malformed).
   *
   * @param workers this engine's workers
   * @param slotOf the main slot of each worker
   * @param skipped how many startds (or nameless ads) were left out, foreign ones included
   * @param problems the malformed ones among them, named
   */
  record Result(List<Worker> workers, Map<String, String> slotOf, int skipped, List<Rejected> problems) {
    Result {
      workers = List.copyOf(workers);
      slotOf = Map.copyOf(slotOf);
      problems = List.copyOf(problems);
    }
  }

  /**
   * Groups slot ads by startd and maps each startd.
   *
   * @param slots the slot ads
   * @param now the time to use when an ad says nothing about activity
   * @return the workers, the partitionable (or first) slot name of each startd, and the skipped
   */
  Result map(List<ClassAds.Ad> slots, Instant now) {
    Map<String, List<ClassAds.Ad>> byStartd = new LinkedHashMap<>();
    int skipped = 0;
    List<Rejected> problems = new ArrayList<>();
    for (ClassAds.Ad ad : slots) {
      String name = ad.string("Name");
      if (name == null || name.isBlank()) {
        skipped++;
        problems.add(new Rejected("slot ad " + Commands.head(ad.toString(), 120), "no Name"));
        continue;
      }
      byStartd.computeIfAbsent(startdName(name, ad.string("Machine")), k -> new ArrayList<>()).add(ad);
    }
    List<Worker> workers = new ArrayList<>();
    Map<String, String> slotOf = new LinkedHashMap<>();
    for (Map.Entry<String, List<ClassAds.Ad>> e : byStartd.entrySet()) {
      try {
        Worker w = worker(e.getKey(), e.getValue(), now);
        if (w == null) {
          skipped++;
        } else {
          workers.add(w);
          slotOf.put(w.name(), mainSlot(e.getValue()));
        }
      } catch (RuntimeException ex) {
        // any failure on one startd's ads (a value out of range, a time no Instant holds) leaves
        // out that startd only: it never fails the snapshot
        skipped++;
        String why = ex instanceof IllegalArgumentException ? ex.getMessage() : ex.toString();
        problems.add(new Rejected("ads of startd " + Commands.head(e.getKey(), 120), String.valueOf(why)));
      }
    }
    return new Result(workers, slotOf, skipped, problems);
  }

  /**
   * The startd's name from a slot's name: {@code slot1_2@vm1@host} gives {@code vm1@host}, {@code
   * slot1@host.example.org} gives {@code host.example.org}.
   */
  static String startdName(String slotName, @Nullable String machine) {
    int at = slotName.indexOf('@');
    if (at < 0) {
      return machine != null ? machine : slotName;
    }
    return slotName.substring(at + 1);
  }

  private @Nullable Worker worker(String startd, List<ClassAds.Ad> ads, Instant now) {
    ClassAds.Ad first = identity(ads);
    String owner = firstOf(first, INSTANCE_ID, "cs_host_id");
    if (owner == null || !owner.equals(instanceId)) {
      return null;
    }
    String vmText = first.string(VM_NAME);
    if (vmText == null) {
      String machine = first.string("Machine");
      if (machine == null) {
        throw new IllegalArgumentException("no " + VM_NAME + " and no Machine");
      }
      vmText = machine.split("\\.", 2)[0];
    }
    String groupText = firstOf(first, GROUP, "group_name");
    String cloudText = firstOf(first, CLOUD, "cloud_name");
    if (groupText == null || cloudText == null) {
      throw new IllegalArgumentException("no " + GROUP + "/group_name or " + CLOUD + "/cloud_name");
    }
    VmId vm = VmId.of(vmText.toLowerCase(Locale.ROOT));
    GroupName group = GroupName.of(groupText.toLowerCase(Locale.ROOT));
    CloudName cloud = CloudName.of(cloudText.toLowerCase(Locale.ROOT));

    int totalCores = 0;
    long totalRam = 0;
    long totalDiskKib = 0;
    int usedCores = 0;
    long usedRam = 0;
    long usedDiskKib = 0;
    int dynamicRunning = 0;
    int childRunning = 0;
    boolean draining = false;
    boolean sawContainer = false;
    int dynamicCores = 0;
    long dynamicRam = 0;
    long dynamicDiskKib = 0;
    long lastActivity = Long.MIN_VALUE;
    List<SlotUsage> usage = new ArrayList<>();
    boolean usageKnown = true;
    for (ClassAds.Ad ad : ads) {
      boolean partitionable = Boolean.TRUE.equals(ad.bool("PartitionableSlot"));
      boolean dynamic = Boolean.TRUE.equals(ad.bool("DynamicSlot"));
      String state = lower(ad.string("State"));
      String activity = lower(ad.string("Activity"));
      int cpus = intOf(ad, "Cpus");
      long memory = longOf(ad, "Memory");
      long disk = longOf(ad, "Disk");
      if (partitionable) {
        sawContainer = true;
        int slotCores = ad.has("TotalSlotCpus") ? intOf(ad, "TotalSlotCpus") : cpus + sumInt(ad, "ChildCpus");
        long slotRam = ad.has("TotalSlotMemory") ? longOf(ad, "TotalSlotMemory") : memory + sumLong(ad, "ChildMemory");
        long slotDisk = ad.has("TotalSlotDisk") ? longOf(ad, "TotalSlotDisk") : disk;
        totalCores += slotCores;
        totalRam += slotRam;
        totalDiskKib += slotDisk;
        usedCores += Math.max(0, slotCores - cpus);
        usedRam += Math.max(0, slotRam - memory);
        usedDiskKib += Math.max(0, slotDisk - disk);
        for (JsonNode s : ad.list("ChildState")) {
          if ("claimed".equalsIgnoreCase(s.asText())) {
            childRunning++;
          }
        }
        for (JsonNode t : ad.list("ChildEnteredCurrentState")) {
          if (t.isNumber()) {
            lastActivity = Math.max(lastActivity, epochSecond("ChildEnteredCurrentState", t.asDouble()));
          }
        }
        JsonNode requirements = ad.get("Requirements");
        if (requirements != null && requirements.isBoolean() && !requirements.asBoolean()) {
          // a peaceful shutdown or a drain sets the slot's START (its Requirements) to false
          draining = true;
        }
      } else if (dynamic) {
        dynamicCores += cpus;
        dynamicRam += memory;
        dynamicDiskKib += disk;
      } else {
        sawContainer = true;
        totalCores += cpus;
        totalRam += memory;
        totalDiskKib += disk;
        if ("claimed".equals(state)) {
          usedCores += cpus;
          usedRam += memory;
          usedDiskKib += disk;
        }
      }
      if (!partitionable && "claimed".equals(state) && RUNNING_ACTIVITIES.contains(activity)) {
        dynamicRunning++;
        SlotUsage u = slotUsage(ad);
        if (u == null) {
          usageKnown = false;
        } else {
          usage.add(u);
        }
      }
      if (DRAINING_ACTIVITIES.contains(activity)
          || "drained".equals(state)
          || Boolean.TRUE.equals(ad.bool("Draining"))) {
        draining = true;
      }
      Double entered = ad.number("EnteredCurrentActivity");
      if (entered != null) {
        lastActivity = Math.max(lastActivity, epochSecond("EnteredCurrentActivity", entered));
      }
    }
    if (!sawContainer) {
      // only dynamic slots were seen (the partitionable slot's ad is late): they are all we know
      totalCores = dynamicCores;
      totalRam = dynamicRam;
      totalDiskKib = dynamicDiskKib;
      usedCores = dynamicCores;
      usedRam = dynamicRam;
      usedDiskKib = dynamicDiskKib;
    }
    if (lastActivity == Long.MIN_VALUE) {
      lastActivity = firstTime(ads, now);
    }
    long totalDisk = totalDiskKib / KIB_PER_GIB;
    long usedDisk = Math.min(totalDisk, (usedDiskKib + KIB_PER_GIB - 1) / KIB_PER_GIB);
    return new Worker(
        startd,
        vm,
        group,
        cloud,
        instanceId,
        Resources.of(totalCores, totalRam, totalDisk),
        Resources.of(Math.min(usedCores, totalCores), Math.min(usedRam, totalRam), usedDisk),
        Math.max(dynamicRunning, childRunning),
        draining,
        Instant.ofEpochSecond(lastActivity),
        usageKnown ? usage : null);
  }

  /**
   * What the job in a running slot used so far: its owner ({@code RemoteOwner}, else {@code
   * RemoteUser}, without the domain) and CPU ({@code CPUsUsage}, the cores its job used on
   * average, times {@code TotalJobRunTime}); keyed by the slot's name and the job's id (or start).
   * Null when the slot does not publish CPUsUsage and TotalJobRunTime (accounting then counts wall
   * time x cores for the VM).
   */
  static @Nullable SlotUsage slotUsage(ClassAds.Ad ad) {
    Double cpus = ad.number("CPUsUsage");
    Double run = ad.number("TotalJobRunTime");
    String name = ad.string("Name");
    if (cpus == null || run == null || name == null || !(cpus >= 0) || !(run >= 0) || cpus > MAX_AMOUNT || run > MAX_EPOCH_SECOND) {
      return null;
    }
    String job = ad.string("JobId");
    if (job == null) {
      Double start = ad.number("JobStart");
      job = start == null ? "" : Long.toString(start.longValue());
    }
    String owner = ad.string("RemoteOwner");
    if (owner == null || owner.isBlank()) {
      owner = ad.string("RemoteUser");
    }
    owner = owner == null ? "" : owner.strip();
    int at = owner.indexOf('@');
    if (at >= 0) {
      owner = owner.substring(0, at);
    }
    if (owner.length() > SlotUsage.MAX_OWNER) {
      owner = owner.substring(0, SlotUsage.MAX_OWNER);
    }
    String key = Commands.head(name, 256) + "#" + Commands.head(job, 128);
    if (key.length() > SlotUsage.MAX_KEY) {
      key = key.substring(0, SlotUsage.MAX_KEY);
    }
    return new SlotUsage(key, owner, cpus * run);
  }

  /** The ad to read the identity attributes from: the partitionable slot if any. */
  private static ClassAds.Ad identity(List<ClassAds.Ad> ads) {
    for (ClassAds.Ad ad : ads) {
      if (Boolean.TRUE.equals(ad.bool("PartitionableSlot"))) {
        return ad;
      }
    }
    return ads.get(0);
  }

  private static String mainSlot(List<ClassAds.Ad> ads) {
    String name = identity(ads).string("Name");
    return name == null ? "" : name;
  }

  private static long firstTime(List<ClassAds.Ad> ads, Instant now) {
    for (String attribute : List.of("DaemonStartTime", "LastHeardFrom", "MyCurrentTime")) {
      for (ClassAds.Ad ad : ads) {
        Double t = ad.number(attribute);
        if (t != null) {
          return epochSecond(attribute, t);
        }
      }
    }
    return now.getEpochSecond();
  }

  private static long epochSecond(String name, double value) {
    if (!(value >= 0 && value <= MAX_EPOCH_SECOND)) {
      throw new IllegalArgumentException(name + " must be a time in epoch seconds up to the year 9999, was " + value);
    }
    return (long) value;
  }

  private static @Nullable String firstOf(ClassAds.Ad ad, String first, String second) {
    String v = ad.string(first);
    if (v == null || v.isBlank()) {
      v = ad.string(second);
    }
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static String lower(@Nullable String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }

  /** The most cores, or MiB, or KiB, one slot may claim; more is malformed (and would overflow the sums). */
  static final long MAX_AMOUNT = 1L << 40;

  private static int intOf(ClassAds.Ad ad, String name) {
    long v = longOf(ad, name);
    if (v > Integer.MAX_VALUE / 64) {
      throw new IllegalArgumentException(name + " must be at most " + Integer.MAX_VALUE / 64 + ", was " + v);
    }
    return (int) v;
  }

  private static long longOf(ClassAds.Ad ad, String name) {
    Double v = ad.number(name);
    if (v == null) {
      return 0;
    }
    if (!(v >= 0 && v <= MAX_AMOUNT)) {
      throw new IllegalArgumentException(name + " must be a number from 0 to " + MAX_AMOUNT + ", was " + v);
    }
    return v.longValue();
  }

  private static int sumInt(ClassAds.Ad ad, String name) {
    return Math.toIntExact(Math.min(sumLong(ad, name), Integer.MAX_VALUE / 64));
  }

  private static long sumLong(ClassAds.Ad ad, String name) {
    long sum = 0;
    for (JsonNode v : ad.list(name)) {
      sum = Math.min(MAX_AMOUNT, sum + Math.min(MAX_AMOUNT, Math.max(0, v.asLong())));
    }
    return sum;
  }
}

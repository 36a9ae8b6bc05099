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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csv2.model.AliasName;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.JobState;
import org.csv2.model.Resources;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns job ads ({@code condor_q -json}) into {@link Job}s.
 *
 * <p>The csv2 attributes ({@code +Csv2Group = "atlas"} in a submit file) come first; the
 * production system's conventions follow, so that its users' submit files work unchanged: {@code
 * group_name =?= "atlas"} and {@code target_alias =?= "x"} inside {@code Requirements}, and the
 * {@code VMInstanceType}, {@code VMImage}, {@code VMKeepAlive}, {@code VMMaximumPrice} and {@code
 * TargetAlias} attributes. The job's wall-time request is read from {@code MaxWallTimeMins}
 * (minutes), else {@code MaxRuntime}, else {@code JobDurationEstimate} (seconds); a value that is
 * not a number in (0, a year] is ignored with a log line, never fatal. A job with no group at all falls into the configured default group, or
 * is foreign.
 *
 * <p><b>Thread safety:</b> immutable.
 */
final class JobAds {
  private static final Logger log = LoggerFactory.getLogger(JobAds.class);

  /** The projection every {@code condor_q} asks for. */
  static final List<String> ATTRIBUTES =
      List.of(
          "ClusterId", "ProcId", "GlobalJobId", "JobStatus", "Owner", "RequestCpus", "RequestMemory",
          "RequestDisk", "DiskUsage", "MemoryUsage", "ImageSize", "QDate", "JobPrio", "CpusProvisioned",
          "Requirements", Attr.GROUP, Attr.TARGET_ALIAS, Attr.TARGET_CLOUDS, Attr.IMAGE, Attr.INSTANCE_TYPE,
          Attr.KEEP_ALIVE, Attr.MAX_PRICE, Attr.USER_DATA, "VMInstanceType", "VMImage", "VMKeepAlive",
          "VMMaximumPrice", "TargetAlias", "MaxWallTimeMins", "MaxRuntime", "JobDurationEstimate");

  /**
   * The production convention: {@code group_name (is|==|=?=) ["toLower("]"x"} in the
   * Requirements text ({@code =?=} comes back from HTCondor as {@code is}).
   */
  static final Pattern LEGACY_GROUP = legacy("group_name");

  /** The same convention for the target alias. */
  static final Pattern LEGACY_ALIAS = legacy("target_alias");

  private static final long KIB_PER_GIB = 1024L * 1024L;

  private final @Nullable GroupName defaultGroup;

  /**
   * Creates the mapper.
   *
   * @param defaultGroup where jobs that name no group go; null makes them foreign
   */
  JobAds(@Nullable GroupName defaultGroup) {
    this.defaultGroup = defaultGroup;
  }

  /** The csv2 job attribute names (documented in docs/htcondor.md). */
  static final class Attr {
    static final String GROUP = "Csv2Group";
    static final String TARGET_ALIAS = "Csv2TargetAlias";
    static final String TARGET_CLOUDS = "Csv2TargetClouds";
    static final String IMAGE = "Csv2Image";
    static final String INSTANCE_TYPE = "Csv2InstanceType";
    static final String KEEP_ALIVE = "Csv2KeepAlive";
    static final String MAX_PRICE = "Csv2MaxPrice";
    static final String USER_DATA = "Csv2UserData";

    private Attr() {}
  }

  /**
   * The longest keep-alive a job may ask for ({@code Csv2KeepAlive}, {@code VMKeepAlive}): a week.
   * More is refused, not cut: {@code 1e300} is a mistake, not a wish.
   */
  static final long MAX_KEEP_ALIVE_SECONDS = 7L * 24 * 3600;

  /** The longest wall-time request taken (a year, in seconds); more is ignored as a placeholder. */
  static final long MAX_WALL_TIME_SECONDS = 366L * 24 * 3600;

  /** The latest QDate taken as a time, in epoch seconds (the year 9999); more is refused. */
  static final long MAX_EPOCH_SECOND = 253_402_300_799L;

  /**
   * A job, or why its ad was left out.
   *
   * @param job the job, or null
   * @param skipped why it was left out, or null
   * @param malformed whether it was left out because it is malformed or out of range (a bad record,
   *     reported to the engine), not merely foreign
   * @param record names the ad, for messages
   */
  record Outcome(@Nullable Job job, @Nullable String skipped, boolean malformed, String record) {
    static Outcome of(Job job) {
      return new Outcome(job, null, false, "job " + job.id().value());
    }

    static Outcome skip(String record, String why) {
      return new Outcome(null, why, false, record);
    }

    static Outcome reject(String record, String why) {
      return new Outcome(null, why, true, record);
    }
  }

  /**
   * Maps one ad.
   *
   * @param ad the job ad
   * @param scheddName the schedd queried, for the job id when the ad has no GlobalJobId
   * @return the job, or why it was skipped (malformed or foreign)
   */
  Outcome map(ClassAds.Ad ad, String scheddName) {
    String record = "job ad " + describe(ad);
    try {
      return mapOrThrow(ad, scheddName, record);
    } catch (RuntimeException e) {
      // any failure on one ad (a value of the wrong type or range, a time out of range, an
      // overflow) leaves out that ad only, named and counted: it never fails the snapshot
      String why = e instanceof IllegalArgumentException ? e.getMessage() : e.toString();
      return Outcome.reject(record, String.valueOf(why));
    }
  }

  private Outcome mapOrThrow(ClassAds.Ad ad, String scheddName, String record) {
    Double cluster = ad.number("ClusterId");
    Double proc = ad.number("ProcId");
    Double status = ad.number("JobStatus");
    String owner = ad.string("Owner");
    if (cluster == null || proc == null || status == null || owner == null || owner.isBlank()) {
      return Outcome.reject(record, "ClusterId, ProcId, JobStatus or Owner missing");
    }
    JobState state = state(status.intValue());
    if (state == null) {
      return Outcome.reject(record, "unknown JobStatus " + status);
    }
    String requirements = ad.text("Requirements");
    GroupName group = group(ad, requirements);
    if (group == null) {
      return Outcome.skip(record, "foreign job: no " + Attr.GROUP + " and no group_name in Requirements");
    }
    String schedd = schedd(ad, scheddName);
    JobId id = JobId.of(schedd + "#" + wholeNumber("ClusterId", cluster) + "." + wholeNumber("ProcId", proc));
    Job.Builder job =
        Job.builder(id, group)
            .owner(owner)
            .request(request(ad))
            .targetAlias(alias(ad, requirements))
            .targetClouds(clouds(ad.string(Attr.TARGET_CLOUDS)))
            .image(firstString(ad, Attr.IMAGE, "VMImage"))
            .instanceType(firstString(ad, Attr.INSTANCE_TYPE, "VMInstanceType"))
            .keepAlive(keepAlive(ad))
            .maxPrice(maxPrice(ad))
            .priority(priority(ad))
            .queuedSince(Instant.ofEpochSecond(epochSecond(ad, "QDate")))
            .state(state)
            .userData(names(ad.string(Attr.USER_DATA)))
            .requestedWallTime(wallTime(ad, record));
    return Outcome.of(job.build());
  }

  /** HTCondor's JobStatus: 1 idle, 2 running, 3 removed, 4 completed, 5 held, 6 transferring output, 7 suspended. */
  static @Nullable JobState state(int status) {
    return switch (status) {
      case 1 -> JobState.IDLE;
      case 2, 6, 7 -> JobState.RUNNING;
      case 3 -> JobState.REMOVED;
      case 4 -> JobState.COMPLETED;
      case 5 -> JobState.HELD;
      default -> null;
    };
  }

  private @Nullable GroupName group(ClassAds.Ad ad, @Nullable String requirements) {
    String name = ad.string(Attr.GROUP);
    if (name == null) {
      name = legacyValue(LEGACY_GROUP, requirements);
    }
    if (name == null) {
      return defaultGroup;
    }
    return GroupName.of(name.strip().toLowerCase(Locale.ROOT));
  }

  private static @Nullable AliasName alias(ClassAds.Ad ad, @Nullable String requirements) {
    String name = firstString(ad, Attr.TARGET_ALIAS, "TargetAlias");
    if (name == null) {
      name = legacyValue(LEGACY_ALIAS, requirements);
    }
    if (name == null || name.isBlank()) {
      return null;
    }
    return AliasName.of(name.strip().toLowerCase(Locale.ROOT));
  }

  /**
   * The value the production convention gives an attribute in a Requirements text.
   *
   * @param pattern {@link #LEGACY_GROUP} or {@link #LEGACY_ALIAS}
   * @param requirements the Requirements expression's text, or null
   * @return the quoted value, or null when the text does not follow the convention
   */
  static @Nullable String legacyValue(Pattern pattern, @Nullable String requirements) {
    if (requirements == null) {
      return null;
    }
    Matcher m = pattern.matcher(requirements);
    return m.find() ? m.group(1) : null;
  }

  private static Pattern legacy(String attribute) {
    // group_name is "x", group_name == "x", group_name =?= "x", group_name == toLower("x"),
    // with or without TARGET./MY. and spaces; attribute names are case-insensitive in ClassAds
    return Pattern.compile(
        "(?<![A-Za-z0-9_])" + attribute + "\\s*(?:is|==|=\\?=)\\s*(?:toLower\\(\\s*)?\"([^\"]*)\"",
        Pattern.CASE_INSENSITIVE);
  }

  /**
   * What the job requests: RequestCpus (CpusProvisioned overrides it, production's fix for
   * pilots that take more cores than they request), RequestMemory in MiB and RequestDisk in KiB
   * rounded up to GiB. When HTCondor's default expressions stand for memory or disk, the values
   * they evaluate to are used ({@code MemoryUsage} or {@code ImageSize}, {@code DiskUsage}); a
   * component that cannot be known is 0.
   */
  static Resources request(ClassAds.Ad ad) {
    if (ad.isExpression("RequestCpus") && !ad.has("CpusProvisioned")) {
      // counting an expression as one core would boot a VM too small for the job
      throw new IllegalArgumentException(
          "RequestCpus is an expression (" + Commands.head(String.valueOf(ad.text("RequestCpus")), 80)
              + ") csv2 does not evaluate; give a number");
    }
    Double provisioned = ad.number("CpusProvisioned");
    Double cpus = ad.number("RequestCpus");
    int cores;
    if (provisioned != null && provisioned >= 1) {
      cores = cores("CpusProvisioned", provisioned);
    } else if (cpus != null) {
      cores = cores("RequestCpus", cpus);
    } else {
      cores = 1;
    }
    Double memory = ad.number("RequestMemory");
    long ramMiB;
    if (memory != null) {
      ramMiB = (long) Math.ceil(nonNegative("RequestMemory", memory));
    } else {
      Double usage = ad.number("MemoryUsage");
      Double image = ad.number("ImageSize");
      ramMiB =
          usage != null
              ? (long) Math.ceil(nonNegative("MemoryUsage", usage))
              : image != null ? ceilDiv((long) Math.ceil(nonNegative("ImageSize", image)), 1024) : 0;
    }
    Double disk = ad.number("RequestDisk");
    if (disk == null) {
      disk = ad.number("DiskUsage");
    }
    long diskGiB = disk == null ? 0 : kibToGib((long) Math.ceil(nonNegative("RequestDisk", disk)));
    return Resources.of(cores, ramMiB, diskGiB);
  }

  /** KiB to GiB, rounded up. */
  static long kibToGib(long kib) {
    return ceilDiv(kib, KIB_PER_GIB);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /** The most cores a job may request: more is no job any cloud can run. */
  static final int MAX_CORES = 4096;

  private static int cores(String name, double value) {
    double v = Math.ceil(nonNegative(name, value));
    if (v > MAX_CORES) {
      throw new IllegalArgumentException(name + " must be at most " + MAX_CORES + ", was " + value);
    }
    return (int) v;
  }

  private static long wholeNumber(String name, double value) {
    if (!(value >= 0) || value > Long.MAX_VALUE / 2 || value != Math.rint(value)) {
      throw new IllegalArgumentException(name + " must be a non-negative whole number, was " + value);
    }
    return (long) value;
  }

  private static int priority(ClassAds.Ad ad) {
    Double v = ad.number("JobPrio");
    if (v == null) {
      return 0;
    }
    if (!(Math.abs(v) <= Integer.MAX_VALUE)) {
      throw new IllegalArgumentException("JobPrio must be an integer, was " + v);
    }
    return v.intValue();
  }

  private static long epochSecond(ClassAds.Ad ad, String name) {
    Double v = ad.number(name);
    if (v == null) {
      return 0;
    }
    if (!(v >= 0 && v <= MAX_EPOCH_SECOND)) {
      throw new IllegalArgumentException(name + " must be a time in epoch seconds up to the year 9999, was " + v);
    }
    return v.longValue();
  }

  private static double nonNegative(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a non-negative number, was " + value);
    }
    return value;
  }

  private static @Nullable Duration keepAlive(ClassAds.Ad ad) {
    Double seconds = ad.number(Attr.KEEP_ALIVE);
    String name = Attr.KEEP_ALIVE;
    if (seconds == null) {
      seconds = ad.number("VMKeepAlive");
      name = "VMKeepAlive";
    }
    if (seconds == null) {
      return null;
    }
    if (nonNegative(name, seconds) > MAX_KEEP_ALIVE_SECONDS) {
      throw new IllegalArgumentException(
          name + " must be at most " + MAX_KEEP_ALIVE_SECONDS + " seconds (a week), was " + seconds);
    }
    return Duration.ofSeconds(seconds.longValue());
  }

  /**
   * The job's wall-time request: {@code MaxWallTimeMins} (minutes), else {@code MaxRuntime}, else
   * {@code JobDurationEstimate} (seconds). The first attribute present decides; a value that is not
   * a number in (0, {@link #MAX_WALL_TIME_SECONDS}] (an expression, text, zero, negative, too big)
   * is ignored with a log line: the job is kept, with no wall time.
   */
  static @Nullable Duration wallTime(ClassAds.Ad ad, String record) {
    String[] names = {"MaxWallTimeMins", "MaxRuntime", "JobDurationEstimate"};
    for (String name : names) {
      if (!ad.has(name)) {
        continue;
      }
      Double v;
      try {
        v = ad.number(name);
      } catch (IllegalArgumentException e) {
        v = null; // text that is not a number: ignored like any other bad value
      }
      double seconds = v == null ? Double.NaN : name.equals("MaxWallTimeMins") ? v * 60 : v;
      if (!(seconds > 0) || seconds > MAX_WALL_TIME_SECONDS) {
        log.info("{}: {} = {} is not a wall time in (0 s, {} s]; ignored", record, name,
            Commands.head(String.valueOf(ad.text(name)), 80), MAX_WALL_TIME_SECONDS);
        return null;
      }
      return Duration.ofSeconds((long) Math.ceil(seconds));
    }
    return null;
  }

  private static double maxPrice(ClassAds.Ad ad) {
    Double price = ad.number(Attr.MAX_PRICE);
    String name = Attr.MAX_PRICE;
    if (price == null) {
      price = ad.number("VMMaximumPrice");
      name = "VMMaximumPrice";
    }
    return price == null ? 0 : nonNegative(name, price);
  }

  private static @Nullable String firstString(ClassAds.Ad ad, String first, String second) {
    String v = ad.string(first);
    if (v == null || v.isBlank()) {
      v = ad.string(second);
    }
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static Set<CloudName> clouds(@Nullable String list) {
    Set<CloudName> out = new LinkedHashSet<>();
    for (String name : names(list)) {
      out.add(CloudName.of(name.toLowerCase(Locale.ROOT)));
    }
    return out;
  }

  /** A comma (or space) separated list, without blanks. */
  static List<String> names(@Nullable String list) {
    List<String> out = new ArrayList<>();
    if (list != null) {
      for (String s : list.split("[,\\s]+")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
    }
    return out;
  }

  private static String schedd(ClassAds.Ad ad, String scheddName) {
    String global = ad.string("GlobalJobId");
    if (global != null) {
      int hash = global.indexOf('#');
      if (hash > 0) {
        return global.substring(0, hash);
      }
    }
    return scheddName;
  }

  private static String describe(ClassAds.Ad ad) {
    String global = ad.string("GlobalJobId");
    if (global != null) {
      return Commands.head(global, 120);
    }
    return Commands.head(ad.text("ClusterId") + "." + ad.text("ProcId"), 120);
  }
}

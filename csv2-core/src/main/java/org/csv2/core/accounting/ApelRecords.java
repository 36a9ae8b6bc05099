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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.csv2.core.config.AccountingSettings;
import org.csv2.model.CloudName;
import org.csv2.model.VmUsage;

/**
 * APEL cloud usage records ({@code APEL-cloud-message: v0.4}) and monthly summaries ({@code
 * APEL-cloud-summary-message: v0.4}) made from VM usage records.
 *
 * <p>APEL keeps one record per VM and month (its key is VMUUID, month and year of the measurement)
 * with the VM's figures since its start, and takes a month's usage as the difference between the
 * month's last record and the previous month's. So a VM gets one record per month it ran in:
 * measured at the month's last second for the months it outlived ({@code started}), and at its end
 * ({@code completed}) or now ({@code started}) for its last month. Wall and suspended time at a
 * month's end are exact; measured CPU at a month's end is the VM's CPU so far in proportion to its
 * wall time then (the job source reports CPU only as it goes).
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class ApelRecords {
  /** The header of individual cloud records. */
  public static final String CLOUD_HEADER = "APEL-cloud-message: v0.4";

  /** The header of cloud summaries. */
  public static final String SUMMARY_HEADER = "APEL-cloud-summary-message: v0.4";

  /** The most records in one message (APEL's and the SSM sender's limit). */
  public static final int MAX_PER_MESSAGE = 1000;

  private static final int MAX_VALUE = 255;

  private ApelRecords() {}

  /**
   * One record: its key in the store's sent list, the fingerprint of what it says, and its fields
   * in message order.
   *
   * @param key the record's key (a VM and a month, or a summary's grouping)
   * @param fingerprint a digest of its content (apart from its creation time)
   * @param fields the fields, in order
   */
  public record Entry(String key, String fingerprint, Map<String, String> fields) {
    /** Copies. */
    public Entry {
      fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
  }

  /**
   * A VM's figures up to a time.
   *
   * @param wall wall seconds
   * @param suspend suspended seconds
   * @param cpu CPU seconds
   */
  public record Figures(long wall, long suspend, long cpu) {
    Figures minus(Figures o) {
      return new Figures(Math.max(0, wall - o.wall), Math.max(0, suspend - o.suspend), Math.max(0, cpu - o.cpu));
    }
  }

  /**
   * A VM's figures up to a time, with {@code at} the latest time known of it.
   *
   * @param u the usage
   * @param t the time
   * @param at now
   * @return the figures
   */
  public static Figures figures(VmUsage u, Instant t, Instant at) {
    Instant last = last(u, at);
    if (!t.isBefore(last)) {
      return new Figures(u.wallSecondsAt(last), u.suspendSecondsAt(last), u.cpuSecondsAt(last));
    }
    long wall = u.wallSecondsAt(t);
    long suspend = Math.min(u.suspendSecondsAt(t), u.suspendSecondsAt(last));
    long cpu;
    if (u.cpuMeasured()) {
      long total = u.wallSecondsAt(last);
      cpu = total <= 0 ? 0 : Math.round(u.cpuSeconds() * ((double) wall / total));
    } else {
      cpu = wall * u.cores();
    }
    return new Figures(wall, suspend, cpu);
  }

  /** The last time a VM's figures are known: its end, else now. */
  static Instant last(VmUsage u, Instant at) {
    return u.end() != null && u.end().isBefore(at) ? u.end() : at;
  }

  /** The last second of a month (APEL assigns a measurement to its month). */
  static Instant monthEnd(YearMonth m) {
    return m.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusSeconds(1);
  }

  /** The months a VM ran in, up to now. */
  static List<YearMonth> months(VmUsage u, Instant at) {
    YearMonth first = YearMonth.from(u.start().atOffset(ZoneOffset.UTC));
    YearMonth lastMonth = YearMonth.from(last(u, at).atOffset(ZoneOffset.UTC));
    List<YearMonth> months = new ArrayList<>();
    for (YearMonth m = first; !m.isAfter(lastMonth); m = m.plusMonths(1)) {
      months.add(m);
    }
    return months;
  }

  /**
   * The individual records of VMs: one per VM and month it ran in.
   *
   * @param usage the VMs' usage
   * @param settings the accounting settings
   * @param cloudTypes each cloud's driver name (APEL's CloudType)
   * @param at now
   * @return the records, by VM and month
   */
  public static List<Entry> records(
      List<VmUsage> usage, AccountingSettings settings, Map<CloudName, String> cloudTypes, Instant at) {
    List<Entry> out = new ArrayList<>();
    for (VmUsage u : usage) {
      if (!u.start().isBefore(at)) {
        continue;
      }
      List<YearMonth> months = months(u, at);
      for (int i = 0; i < months.size(); i++) {
        YearMonth m = months.get(i);
        boolean lastMonth = i == months.size() - 1;
        Instant t = lastMonth ? last(u, at) : monthEnd(m);
        boolean completed = lastMonth && u.end() != null && !u.end().isAfter(at);
        Figures f = figures(u, t, at);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("RecordCreateTime", epoch(t));
        fields.put("VMUUID", u.uuid());
        fields.put("SiteName", clean(settings.siteName()));
        fields.put("CloudComputeService", clean(service(settings, u)));
        fields.put("MachineName", clean(u.vm().value()));
        if (!u.users().isEmpty()) {
          fields.put("LocalUserId", clean(String.join(",", u.users())));
        }
        fields.put("LocalGroupId", clean(u.group().value()));
        AccountingSettings.GroupIdentity id = settings.identity(u.group());
        if (!id.globalUserName().isBlank()) {
          fields.put("GlobalUserName", clean(id.globalUserName()));
        }
        fields.put("FQAN", clean(id.fqan()));
        fields.put("Status", completed ? "completed" : "started");
        fields.put("StartTime", epoch(u.start()));
        if (completed) {
          fields.put("EndTime", epoch(u.end()));
        }
        fields.put("SuspendDuration", Long.toString(f.suspend()));
        fields.put("WallDuration", Long.toString(f.wall()));
        fields.put("CpuDuration", Long.toString(f.cpu()));
        fields.put("CpuCount", Integer.toString(u.cores()));
        fields.put("Memory", Long.toString(u.ramMiB()));
        fields.put("Disk", Long.toString(u.diskGiB()));
        settings.benchmark(u.flavor()).ifPresent(b -> {
          fields.put("BenchmarkType", clean(b.type()));
          fields.put("Benchmark", decimal(b.value()));
        });
        if (!u.image().isBlank()) {
          fields.put("ImageId", clean(u.image()));
        }
        fields.put("CloudType", clean(cloudTypes.getOrDefault(u.cloud(), "csv2")));
        String key = "vm/" + u.uuid() + "/" + m;
        out.add(new Entry(key, fingerprint(fields, "RecordCreateTime"), fields));
      }
    }
    return out;
  }

  /**
   * Monthly summaries of the given months, grouped as APEL keys its summaries (site, service, user,
   * VO, status, image, cores, benchmark).
   *
   * @param usage the VMs' usage (those that ran in the months)
   * @param settings the accounting settings
   * @param cloudTypes each cloud's driver name
   * @param months the months
   * @param at now
   * @return the summaries
   */
  public static List<Entry> summaries(
      List<VmUsage> usage,
      AccountingSettings settings,
      Map<CloudName, String> cloudTypes,
      Set<YearMonth> months,
      Instant at) {
    Map<String, Sum> sums = new TreeMap<>();
    for (VmUsage u : usage) {
      if (!u.start().isBefore(at)) {
        continue;
      }
      List<YearMonth> ran = months(u, at);
      for (int i = 0; i < ran.size(); i++) {
        YearMonth m = ran.get(i);
        if (!months.contains(m)) {
          continue;
        }
        boolean lastMonth = i == ran.size() - 1;
        Instant t = lastMonth ? last(u, at) : monthEnd(m);
        Figures f = figures(u, t, at);
        if (i > 0) {
          f = f.minus(figures(u, monthEnd(ran.get(i - 1)), at));
        }
        boolean completed = lastMonth && u.end() != null && !u.end().isAfter(at);
        AccountingSettings.GroupIdentity id = settings.identity(u.group());
        String[] fqan = parseFqan(id.fqan());
        var bench = settings.benchmark(u.flavor());
        Map<String, String> k = new LinkedHashMap<>();
        k.put("SiteName", clean(settings.siteName()));
        k.put("CloudComputeService", clean(service(settings, u)));
        k.put("Month", Integer.toString(m.getMonthValue()));
        k.put("Year", Integer.toString(m.getYear()));
        if (!id.globalUserName().isBlank()) {
          k.put("GlobalUserName", clean(id.globalUserName()));
        }
        k.put("VO", clean(fqan[0]));
        k.put("VOGroup", clean(fqan[1]));
        k.put("VORole", clean(fqan[2]));
        k.put("Status", completed ? "completed" : "started");
        if (!u.image().isBlank()) {
          k.put("ImageId", clean(u.image()));
        }
        k.put("CpuCount", Integer.toString(u.cores()));
        bench.ifPresent(b -> {
          k.put("BenchmarkType", clean(b.type()));
          k.put("Benchmark", decimal(b.value()));
        });
        String group = String.join("\u0000", k.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        Sum s = sums.computeIfAbsent(group, g -> new Sum(k));
        s.add(u, f, cloudTypes.getOrDefault(u.cloud(), "csv2"));
      }
    }
    List<Entry> out = new ArrayList<>();
    for (Sum s : sums.values()) {
      Map<String, String> fields = new LinkedHashMap<>();
      Map<String, String> k = s.key;
      for (String name : List.of("SiteName", "CloudComputeService", "Month", "Year", "GlobalUserName", "VO", "VOGroup", "VORole", "Status")) {
        if (k.containsKey(name)) {
          fields.put(name, k.get(name));
        }
      }
      fields.put("CloudType", clean(String.join(",", s.types)));
      if (k.containsKey("ImageId")) {
        fields.put("ImageId", k.get("ImageId"));
      }
      fields.put("EarliestStartTime", epoch(s.earliest));
      fields.put("LatestStartTime", epoch(s.latest));
      fields.put("WallDuration", Long.toString(s.wall));
      fields.put("CpuDuration", Long.toString(s.cpu));
      fields.put("CpuCount", k.get("CpuCount"));
      fields.put("Memory", Long.toString(s.memory));
      fields.put("Disk", Long.toString(s.disk));
      if (k.containsKey("BenchmarkType")) {
        fields.put("BenchmarkType", k.get("BenchmarkType"));
        fields.put("Benchmark", k.get("Benchmark"));
      }
      fields.put("NumberOfVMs", Long.toString(s.vms));
      String key = "summary/" + k.get("Year") + "-" + k.get("Month") + "/" + fingerprint(k);
      out.add(new Entry(key, fingerprint(fields), fields));
    }
    return out;
  }

  private static final class Sum {
    final Map<String, String> key;
    final Set<String> types = new TreeSet<>();
    Instant earliest;
    Instant latest;
    long wall;
    long cpu;
    long memory;
    long disk;
    long vms;

    Sum(Map<String, String> key) {
      this.key = key;
    }

    void add(VmUsage u, Figures f, String type) {
      types.add(type);
      earliest = earliest == null || u.start().isBefore(earliest) ? u.start() : earliest;
      latest = latest == null || u.start().isAfter(latest) ? u.start() : latest;
      wall += f.wall();
      cpu += f.cpu();
      memory += u.ramMiB();
      disk += u.diskGiB();
      vms++;
    }
  }

  /**
   * A message of records.
   *
   * @param header {@link #CLOUD_HEADER} or {@link #SUMMARY_HEADER}
   * @param entries at most {@link #MAX_PER_MESSAGE} records
   * @return the message text
   */
  public static String message(String header, List<Entry> entries) {
    if (entries.size() > MAX_PER_MESSAGE) {
      throw new IllegalArgumentException("at most " + MAX_PER_MESSAGE + " records per message, got " + entries.size());
    }
    StringBuilder sb = new StringBuilder(header).append('\n');
    for (Entry e : entries) {
      for (Map.Entry<String, String> f : e.fields().entrySet()) {
        sb.append(f.getKey()).append(": ").append(f.getValue()).append('\n');
      }
      sb.append("%%\n");
    }
    return sb.toString();
  }

  /** The VO, VO group and VO role of an FQAN, as APEL parses it. */
  static String[] parseFqan(String fqan) {
    String first = fqan.split(";", -1)[0];
    if (!first.startsWith("/")) {
      return new String[] {first, "None", "None"};
    }
    String[] pieces = first.split("/", -1);
    String vo = pieces.length > 1 ? pieces[1] : "";
    StringBuilder group = new StringBuilder();
    String role = "None";
    for (String p : pieces) {
      if (p.isEmpty()) {
        continue;
      }
      if (p.toLowerCase(java.util.Locale.ROOT).startsWith("role=")) {
        role = p;
        break;
      }
      group.append('/').append(p);
    }
    return new String[] {vo.isEmpty() ? "None" : vo, group.length() == 0 ? "None" : group.toString(), role};
  }

  private static String service(AccountingSettings settings, VmUsage u) {
    return settings.cloudComputeService().isBlank() ? u.cloud().value() : settings.cloudComputeService();
  }

  /** A value fit for a message line: no control characters, no leading or trailing blanks, bounded. */
  static String clean(String value) {
    StringBuilder sb = new StringBuilder();
    value.codePoints().filter(c -> !Character.isISOControl(c)).forEach(sb::appendCodePoint);
    String s = sb.toString().strip();
    if (s.length() > MAX_VALUE) {
      s = s.substring(0, MAX_VALUE);
    }
    return s.isEmpty() ? "None" : s;
  }

  private static String epoch(Instant t) {
    return Long.toString(t.getEpochSecond());
  }

  private static String decimal(double v) {
    return java.math.BigDecimal.valueOf(v).setScale(3, java.math.RoundingMode.HALF_UP).toPlainString();
  }

  private static String fingerprint(Map<String, String> fields, String... skip) {
    Set<String> skipped = Set.of(skip);
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, String> e : fields.entrySet()) {
        if (!skipped.contains(e.getKey())) {
          md.update((e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      return HexFormat.of().formatHex(md.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing", e);
    }
  }
}

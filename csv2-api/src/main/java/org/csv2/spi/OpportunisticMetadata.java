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
package org.csv2.spi;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.csv2.model.GroupName;
import org.csv2.model.Limits;
import org.csv2.model.OpportunisticPolicy;
import org.jspecify.annotations.Nullable;

/**
 * The metadata convention by which a cloud's administrators govern opportunistic use
 * (docs/opportunistic.md): key/value pairs they set on something they control (an OpenStack
 * project's properties or a host aggregate's metadata, an EC2 resource's tags, ...). A driver
 * reads the pairs and turns them into an {@link OpportunisticPolicy} with {@link #parse}; a driver
 * with several sources combines them with {@link #combine}.
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><th>key</th><th>value</th><th>when missing</th></tr>
 *   <tr><td>{@value #CORES}</td><td>whole number &gt;= 0, or {@code unlimited}</td><td>no cap</td></tr>
 *   <tr><td>{@value #INSTANCES}</td><td>whole number &gt;= 0, or {@code unlimited}</td><td>no cap</td></tr>
 *   <tr><td>{@value #GROUPS}</td><td>comma-separated csv2 group names, or {@code *}</td><td>any group</td></tr>
 *   <tr><td>{@value #RECLAIM}</td><td>{@code true}/{@code false} ({@code yes}/{@code no})</td><td>false</td></tr>
 *   <tr><td>{@value #RECLAIM_DEADLINE}</td><td>ISO-8601 time with offset, e.g. {@code 2026-12-04T18:00:00Z}</td><td>drain without deadline</td></tr>
 * </table>
 *
 * <p><b>Safe defaults.</b> No key at all governs nothing (csv2's configuration applies). A
 * malformed cap counts as 0 (no opportunistic use), a malformed group name is left out of the list,
 * a malformed reclaim flag counts as a reclaim without deadline (drain peacefully), a malformed
 * deadline as no deadline, a deadline without reclaim is ignored; each with a note that names the
 * key, the source and the value (abbreviated, control characters escaped). Values longer than
 * {@value #MAX_VALUE} characters are malformed.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class OpportunisticMetadata {
  /** Cores all opportunistic groups together may hold. */
  public static final String CORES = "csv2-opportunistic-cores";

  /** VMs all opportunistic groups together may hold. */
  public static final String INSTANCES = "csv2-opportunistic-instances";

  /** The opportunistic groups allowed. */
  public static final String GROUPS = "csv2-opportunistic-groups";

  /** The administrators want the capacity back. */
  public static final String RECLAIM = "csv2-reclaim";

  /** When the last opportunistic VM must be gone. */
  public static final String RECLAIM_DEADLINE = "csv2-reclaim-deadline";

  /** Every key of the convention. */
  public static final List<String> KEYS = List.of(CORES, INSTANCES, GROUPS, RECLAIM, RECLAIM_DEADLINE);

  /** The longest value read. */
  public static final int MAX_VALUE = 1024;

  private OpportunisticMetadata() {}

  /**
   * Whether a metadata map holds any key of the convention.
   *
   * @param metadata the pairs
   * @return true if one of {@link #KEYS} is present
   */
  public static boolean present(Map<String, String> metadata) {
    for (String k : KEYS) {
      if (metadata.containsKey(k)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads the convention from one source's key/value pairs; other keys are ignored.
   *
   * @param metadata the pairs (null values count as missing)
   * @param source where they come from, for notes ("project properties of atlas-prod")
   * @return the policy; {@link OpportunisticPolicy#governed()} false when no key is present
   */
  public static OpportunisticPolicy parse(Map<String, String> metadata, String source) {
    if (!present(metadata)) {
      return new OpportunisticPolicy(false, Limits.UNLIMITED, Limits.UNLIMITED, null, false, null, source, List.of());
    }
    List<String> notes = new ArrayList<>();
    int cores = limit(metadata.get(CORES), CORES, source, notes);
    int instances = limit(metadata.get(INSTANCES), INSTANCES, source, notes);
    Set<GroupName> groups = groups(metadata.get(GROUPS), source, notes);
    boolean reclaim = false;
    String r = metadata.get(RECLAIM);
    if (r != null) {
      String v = r.trim().toLowerCase(Locale.ROOT);
      if (v.equals("true") || v.equals("yes")) {
        reclaim = true;
      } else if (v.equals("false") || v.equals("no") || v.isEmpty()) {
        reclaim = false;
      } else {
        reclaim = true;
        notes.add(
            source + ": " + RECLAIM + " '" + show(r)
                + "' is not true or false: treated as a reclaim without deadline (opportunistic VMs drain peacefully)");
      }
    }
    Instant deadline = null;
    String d = metadata.get(RECLAIM_DEADLINE);
    if (d != null && !d.isBlank()) {
      try {
        if (d.length() > MAX_VALUE) {
          throw new DateTimeParseException("too long", d.substring(0, 40), 0);
        }
        deadline = OffsetDateTime.parse(d.trim()).toInstant();
      } catch (DateTimeParseException e) {
        notes.add(
            source + ": " + RECLAIM_DEADLINE + " '" + show(d)
                + "' is not an ISO-8601 time with offset (such as 2026-12-04T18:00:00Z): "
                + (reclaim ? "the reclaim drains peacefully, without deadline" : "ignored"));
      }
      if (deadline != null && !reclaim) {
        notes.add(
            source + ": " + RECLAIM_DEADLINE + " is set but " + RECLAIM
                + " is not true: the deadline is ignored until a reclaim is asked");
        deadline = null;
      }
    } else if (reclaim) {
      notes.add(source + ": " + RECLAIM + " without " + RECLAIM_DEADLINE + ": opportunistic VMs drain peacefully, without deadline");
    }
    return new OpportunisticPolicy(true, cores, instances, groups, reclaim, deadline, source, notes);
  }

  /**
   * Combines the policies of several sources (a project and host aggregates, several tagged
   * resources): the most restrictive value of each component wins, with a note when the governed
   * sources disagree. Ungoverned sources add only their notes.
   *
   * @param policies the sources' policies
   * @param source the combined source's name
   * @return the combination ({@link OpportunisticPolicy#NONE}-like when none is governed)
   */
  public static OpportunisticPolicy combine(List<OpportunisticPolicy> policies, String source) {
    List<String> notes = new ArrayList<>();
    List<OpportunisticPolicy> governed = new ArrayList<>();
    for (OpportunisticPolicy p : policies) {
      notes.addAll(p.notes());
      if (p.governed()) {
        governed.add(p);
      }
    }
    if (governed.isEmpty()) {
      return OpportunisticPolicy.unread(source, notes);
    }
    if (governed.size() == 1) {
      OpportunisticPolicy p = governed.get(0);
      return new OpportunisticPolicy(true, p.cores(), p.instances(), p.groups(), p.reclaim(), p.deadline(), p.source(), notes);
    }
    int cores = Limits.UNLIMITED;
    int instances = Limits.UNLIMITED;
    Set<GroupName> groups = null;
    boolean reclaim = false;
    Instant deadline = null;
    for (OpportunisticPolicy p : governed) {
      cores = min(cores, p.cores());
      instances = min(instances, p.instances());
      if (p.groups() != null) {
        if (groups == null) {
          groups = new TreeSet<>(p.groups());
        } else {
          groups.retainAll(p.groups());
        }
      }
      if (p.reclaim()) {
        reclaim = true;
        if (p.deadline() != null && (deadline == null || p.deadline().isBefore(deadline))) {
          deadline = p.deadline();
        }
      }
    }
    List<String> differ = new ArrayList<>();
    if (governed.stream().map(OpportunisticPolicy::cores).distinct().count() > 1) differ.add("cores");
    if (governed.stream().map(OpportunisticPolicy::instances).distinct().count() > 1) differ.add("instances");
    if (governed.stream().map(p -> p.groups() == null ? Set.of("*") : p.groups()).distinct().count() > 1) differ.add("groups");
    if (governed.stream().map(OpportunisticPolicy::reclaim).distinct().count() > 1) differ.add("reclaim");
    if (reclaim && governed.stream().filter(OpportunisticPolicy::reclaim).map(p -> String.valueOf(p.deadline())).distinct().count() > 1) {
      differ.add("reclaim deadline");
    }
    if (!differ.isEmpty()) {
      List<String> each = new ArrayList<>();
      for (OpportunisticPolicy p : governed) {
        each.add(p.source() + ": " + p.describe());
      }
      notes.add(
          source + ": the sources disagree on " + String.join(", ", differ) + " (" + String.join("; ", each)
              + "): the most restrictive value of each applies");
    }
    return new OpportunisticPolicy(true, cores, instances, groups, reclaim, deadline, source, notes);
  }

  private static int min(int a, int b) {
    if (a == Limits.UNLIMITED) return b;
    if (b == Limits.UNLIMITED) return a;
    return Math.min(a, b);
  }

  private static int limit(@Nullable String value, String key, String source, List<String> notes) {
    if (value == null) {
      return Limits.UNLIMITED;
    }
    String v = value.trim();
    if (v.equalsIgnoreCase("unlimited") || v.equals("-1")) {
      return Limits.UNLIMITED;
    }
    try {
      if (v.length() <= 10) {
        int n = Integer.parseInt(v);
        if (n >= 0) {
          return n;
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    notes.add(
        source + ": " + key + " '" + show(value)
            + "' is not a whole number >= 0 or 'unlimited': treated as 0 (no opportunistic use) until corrected");
    return 0;
  }

  private static @Nullable Set<GroupName> groups(@Nullable String value, String source, List<String> notes) {
    if (value == null) {
      return null;
    }
    if (value.length() > MAX_VALUE) {
      notes.add(source + ": " + GROUPS + " is longer than " + MAX_VALUE + " characters: treated as no group allowed");
      return Set.of();
    }
    if (value.trim().equals("*")) {
      return null;
    }
    Set<GroupName> out = new TreeSet<>();
    List<String> bad = new ArrayList<>();
    for (String part : value.split("[,\\s]+")) {
      if (part.isEmpty()) {
        continue;
      }
      try {
        out.add(GroupName.of(part));
      } catch (IllegalArgumentException e) {
        bad.add("'" + show(part) + "'");
      }
    }
    if (!bad.isEmpty()) {
      notes.add(source + ": " + GROUPS + " names invalid groups " + String.join(", ", bad) + ": left out");
    }
    return out;
  }

  /** A value as it may appear in a note: at most 40 characters, control characters escaped. */
  static String show(String value) {
    StringBuilder b = new StringBuilder();
    int n = 0;
    for (int i = 0; i < value.length() && n < 40; i++, n++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\'' || c == '\\') {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (value.length() > 40) {
      b.append("...");
    }
    return b.toString();
  }
}

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
package org.csv2.examples.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.OperationException;
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.ReservationRequest;
import org.csv2.api.ops.ReservationState;
import org.csv2.api.ops.Reservations;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.jspecify.annotations.Nullable;

/**
 * Reservations mixed into a trace replay (B2, issue 15): what is booked, when, and how each one
 * went. {@link #seeded} makes N reservations from a seed; {@link #read} reads them from a file.
 * A {@link Tracker} books each one through the engine's {@link Reservations} verbs at its booking
 * time and watches it through its window.
 *
 * <p>The file: one reservation a line, blank lines and lines starting with {@code #} ignored,
 * fields separated by commas (spaces around them ignored):
 *
 * <pre>
 * # booked, start, duration, count, cores, ram-mib, cloud, group, owner
 * 3600, 86400, 4h, 4, 8, 16000, *, reserved, alice
 * 0, 7200, 90m, 2, 4, 8000, ec2-us-east-1
 * </pre>
 *
 * <ul>
 *   <li>{@code booked}, {@code start}: virtual time from the replay's start; {@code duration}: the
 *       window's length. Each is whole seconds ({@code 3600}) or a number with a unit {@code s},
 *       {@code m}, {@code h}, {@code d} ({@code 90m}, {@code 4h}); {@code booked <= start}, and the
 *       start and the duration are whole minutes (the reservations' resolution).
 *   <li>{@code count}: VMs (0 or more); {@code cores}, {@code ram-mib}: per VM.
 *   <li>{@code cloud}: a cloud of the catalog, or {@code *} for any cloud of the group (the most
 *       preferred with room).
 *   <li>{@code group} (optional, default {@link #GROUP}): a group of the trace or a new one (a
 *       group of its own has no jobs: its reserved VMs run none of the trace's); {@code owner}
 *       (optional, default {@code user<line>}).
 * </ul>
 *
 * @param planned the reservations, by booking time
 */
record ReplayReservations(List<Planned> planned) {
  /** The group the seeded reservations (and file lines without a group) are booked for. */
  static final GroupName GROUP = GroupName.of("reserved");

  /** The earliest booking: the engine has read every cloud's quota by then. */
  static final Duration FIRST_BOOKING = Duration.ofMinutes(5);

  /** From how long before its start a reservation is watched every cycle (boot lead at most 1 h, drain 30 min). */
  static final Duration WATCH_LEAD = Duration.ofMinutes(100);

  /** Copies. */
  ReplayReservations {
    planned = planned.stream().sorted(Comparator.comparing(Planned::booked)).toList();
  }

  /**
   * One reservation to book.
   *
   * @param line where it was read (the file's line, or its index for seeded ones)
   * @param booked when it is booked, from the replay's start
   * @param start its window's start, from the replay's start
   * @param length its window's length
   * @param count VMs
   * @param cores cores per VM
   * @param ramMiB RAM per VM
   * @param cloud the cloud, or null for any cloud of the group
   * @param group the group
   * @param owner who books it
   */
  record Planned(
      int line, Duration booked, Duration start, Duration length, int count, int cores, long ramMiB,
      @Nullable CloudName cloud, GroupName group, String owner) {
    Planned {
      if (booked.isNegative() || booked.compareTo(start) > 0) {
        throw new IllegalArgumentException("reservation " + line + ": booked at " + booked + ", after its start " + start);
      }
      if (start.toSeconds() % 60 != 0 || length.toSeconds() % 60 != 0 || length.toSeconds() <= 0) {
        throw new IllegalArgumentException(
            "reservation " + line + ": the start and the duration are whole minutes, and the duration positive");
      }
      if (count < 0 || cores < 1 || ramMiB < 1) {
        throw new IllegalArgumentException("reservation " + line + ": count >= 0, cores and RAM >= 1");
      }
    }

    ReservationRequest request(Instant origin) {
      Instant s = origin.plus(start);
      return new ReservationRequest(group, cloud, null, cores, ramMiB, count, null, null, null, s, s.plus(length));
    }
  }

  /**
   * N reservations from a seed, the same for the same arguments: booked 5 minutes to 3 days ahead,
   * starting in the trace's span (not in its first 6 hours nor its last 12), 1 to 8 hours long,
   * 1 to 8 VMs of 1, 2, 4, 8 or 16 cores with 2,000 MiB per core; a third on a named cloud of the
   * catalog, the others on any cloud of {@link #GROUP}.
   *
   * @param n how many
   * @param seed the seed
   * @param span the trace's span (its last submit)
   * @param clouds the catalog's clouds
   * @return the reservations
   */
  static ReplayReservations seeded(int n, long seed, Duration span, List<CloudName> clouds) {
    if (n < 0) {
      throw new IllegalArgumentException("--reservations seeded:N needs N >= 0, was " + n);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    long from = Duration.ofHours(6).toMinutes();
    long to = Math.max(from + 1, span.minusHours(12).toMinutes());
    int[] sizes = {1, 2, 4, 8, 16};
    List<Planned> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Duration start = Duration.ofMinutes(rng.nextLong(from, to));
      Duration lead = Duration.ofMinutes(rng.nextLong(5, Duration.ofDays(3).toMinutes() + 1));
      Duration booked = start.minus(lead).compareTo(FIRST_BOOKING) < 0 ? FIRST_BOOKING : start.minus(lead);
      Duration length = Duration.ofHours(rng.nextInt(1, 9));
      int count = rng.nextInt(1, 9);
      int cores = sizes[rng.nextInt(sizes.length)];
      CloudName cloud = clouds.isEmpty() || rng.nextInt(3) != 0 ? null : clouds.get(rng.nextInt(clouds.size()));
      out.add(new Planned(i + 1, booked, start, length, count, cores, 2000L * cores, cloud, GROUP, "user" + (i % 7 + 1)));
    }
    return new ReplayReservations(out);
  }

  /**
   * Reads reservations from a file (the format is in the class comment).
   *
   * @param file the file
   * @return the reservations
   * @throws IllegalArgumentException naming the line of a malformed one
   */
  static ReplayReservations read(Path file) {
    try {
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("reading reservations from " + file, e);
    }
  }

  /**
   * Reads reservations from lines (the format is in the class comment).
   *
   * @param lines the lines
   * @param source where they come from, for messages
   * @return the reservations
   */
  static ReplayReservations parse(List<String> lines, String source) {
    List<Planned> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] f = l.split("\\s*,\\s*", -1);
      int n = i + 1;
      try {
        if (f.length < 7 || f.length > 9) {
          throw new IllegalArgumentException("7 to 9 fields (booked, start, duration, count, cores, ram-mib, cloud[, group[, owner]]), found "
              + f.length);
        }
        out.add(new Planned(
            n, duration(f[0]), duration(f[1]), duration(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
            Long.parseLong(f[5]), f[6].equals("*") ? null : CloudName.of(f[6]),
            f.length > 7 && !f[7].isEmpty() ? GroupName.of(f[7]) : GROUP,
            f.length > 8 && !f[8].isEmpty() ? f[8] : "user" + n));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(source + " line " + n + ": " + e.getMessage(), e);
      }
    }
    return new ReplayReservations(out);
  }

  /** {@code 3600}, {@code 90s}, {@code 30m}, {@code 4h}, {@code 2d}. */
  static Duration duration(String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("an empty time");
    }
    char unit = s.charAt(s.length() - 1);
    if (Character.isDigit(unit)) {
      return Duration.ofSeconds(Long.parseLong(s));
    }
    long v = Long.parseLong(s.substring(0, s.length() - 1));
    return switch (unit) {
      case 's' -> Duration.ofSeconds(v);
      case 'm' -> Duration.ofMinutes(v);
      case 'h' -> Duration.ofHours(v);
      case 'd' -> Duration.ofDays(v);
      default -> throw new IllegalArgumentException("time '" + s + "': whole seconds, or a number and s, m, h or d");
    };
  }

  /**
   * The groups the reservations are booked for.
   *
   * @return the groups, in order of first use
   */
  Set<GroupName> groups() {
    Set<GroupName> g = new LinkedHashSet<>();
    planned.forEach(p -> g.add(p.group()));
    return g;
  }

  /**
   * Books the reservations during a replay and watches them: call {@link #beforeCycle} and {@link
   * #afterCycle} around each cycle, and give it the engine's VM events.
   */
  static final class Tracker {
    private final ReplayReservations plan;
    private final Instant origin;
    private int next;
    /** Per booked reservation (CONFIRMED), what was seen. */
    private final Map<Long, Seen> seen = new LinkedHashMap<>();
    private final Map<String, Integer> refused = new TreeMap<>();
    private final Map<VmId, List<VmEvent>> vmEvents = new HashMap<>();
    private final Set<GroupName> groups;

    /** What was seen of one confirmed reservation. */
    static final class Seen {
      final Planned planned;
      final Reservation booked;
      @Nullable Instant running;
      @Nullable Reservation last;

      Seen(Planned planned, Reservation booked) {
        this.planned = planned;
        this.booked = booked;
        this.last = booked;
      }

      boolean over() {
        return last != null && last.state().isFinal();
      }
    }

    Tracker(ReplayReservations plan, Instant origin) {
      this.plan = plan;
      this.origin = origin;
      this.groups = plan.groups();
    }

    /** Books those whose booking time has come. */
    void beforeCycle(Instant now, Reservations verbs) {
      while (next < plan.planned().size() && !origin.plus(plan.planned().get(next).booked()).isAfter(now)) {
        Planned p = plan.planned().get(next++);
        try {
          Reservation r = verbs.book(Actor.of(p.owner(), "replay"), p.request(origin));
          if (r.state() == ReservationState.CONFIRMED) {
            seen.put(r.id(), new Seen(p, r));
          } else {
            refused.merge(kind(r.reason()), 1, Integer::sum);
          }
        } catch (OperationException e) {
          refused.merge(kind(e.getMessage()), 1, Integer::sum);
        }
      }
    }

    /** Reads the state of those whose window is near, started or not over. */
    void afterCycle(Instant now, Reservations verbs) {
      for (Map.Entry<Long, Seen> e : seen.entrySet()) {
        Seen s = e.getValue();
        if (s.over() || now.isBefore(s.booked.start().minus(WATCH_LEAD))) {
          continue;
        }
        Reservation r = verbs.get(Actor.of(s.planned.owner(), "replay"), e.getKey());
        s.last = r;
        if (s.running == null && r.state() == ReservationState.RUNNING) {
          s.running = now;
        }
      }
    }

    /** Keeps the events of the reservations' groups' VMs (to explain a late start). */
    void vmChanged(VmEvent e) {
      if (groups.contains(e.group())) {
        vmEvents.computeIfAbsent(e.vm(), k -> new ArrayList<>(6)).add(e);
      }
    }

    /** Whether every reservation is booked (or refused) and over. */
    boolean done() {
      return next == plan.planned().size() && seen.values().stream().allMatch(Seen::over);
    }

    /**
     * The most cycles the replay may skip from now: up to the next booking, or the next window
     * to watch; 1 while one is near or running.
     */
    long maxSteps(Instant now, Duration cycle) {
      Instant wake = null;
      if (next < plan.planned().size()) {
        wake = origin.plus(plan.planned().get(next).booked());
      }
      for (Seen s : seen.values()) {
        if (!s.over()) {
          Instant w = s.booked.start().minus(WATCH_LEAD);
          wake = wake == null || w.isBefore(wake) ? w : wake;
        }
      }
      if (wake == null) {
        return Long.MAX_VALUE;
      }
      if (!wake.isAfter(now)) {
        return 1;
      }
      long c = Math.max(1, cycle.toMillis());
      return Math.max(1, Duration.between(now, wake).toMillis() / c);
    }

    /**
     * The figures: asked, confirmed, refused (by reason), honoured (RUNNING in its window and
     * ENDED, not FAILED), running by its start, the start delay (first cycle seen RUNNING less the
     * start, 0 if before) max and p95, and each late one with what its VMs went through.
     */
    Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      int asked = plan.planned().size();
      f.put("reservationsAsked", asked);
      f.put("reservationsConfirmed", seen.size());
      f.put("reservationsRefused", refused.values().stream().mapToInt(Integer::intValue).sum());
      f.put("reservationsRefusedBy", new TreeMap<>(refused));
      long honoured = seen.values().stream()
          .filter(s -> s.running != null && s.last != null && s.last.state() == ReservationState.ENDED).count();
      f.put("reservationsHonoured", honoured);
      f.put("reservationsFailed", seen.values().stream()
          .filter(s -> s.last != null && s.last.state() == ReservationState.FAILED).count());
      f.put("reservationsRunningByStart", seen.values().stream()
          .filter(s -> s.running != null && !s.running.isAfter(s.booked.start())).count());
      long[] delays = seen.values().stream().filter(s -> s.running != null)
          .mapToLong(s -> Math.max(0, Duration.between(s.booked.start(), s.running).toSeconds())).sorted().toArray();
      f.put("reservationStartDelayMaxS", delays.length == 0 ? 0L : delays[delays.length - 1]);
      f.put("reservationStartDelayP95S", ReplayRun.percentile(delays, 95));
      f.put("reservationCoreHoursBooked", seen.values().stream().mapToDouble(s -> s.booked.coreHours()).sum());
      f.put("reservationCoresMax", seen.values().stream().mapToInt(s -> s.booked.cores() * s.booked.count()).max().orElse(0));
      List<String> late = new ArrayList<>();
      for (Seen s : seen.values()) {
        if (s.running == null || s.running.isAfter(s.booked.start())) {
          late.add(explain(s));
        }
      }
      f.put("reservationsLate", late);
      return f;
    }

    /** A late reservation: its delay, and when its VMs were asked for, failed and came up. */
    private String explain(Seen s) {
      Reservation r = s.last == null ? s.booked : s.last;
      Instant start = s.booked.start();
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "reservation %d (%d x %d cores on %s, start +%s): ",
          r.id(), r.count(), r.cores(), r.cloud(), Duration.between(origin, start)));
      b.append(s.running == null ? "never RUNNING, " + r.state() + " (" + r.reason() + ")"
          : "RUNNING " + Duration.between(start, s.running).toSeconds() + " s after its start");
      int errors = 0;
      Instant firstAsked = null;
      Instant lastUp = null;
      for (VmId vm : r.vms()) {
        for (VmEvent e : vmEvents.getOrDefault(vm, List.of())) {
          if (e.to() == VmState.REQUESTED && (firstAsked == null || e.at().isBefore(firstAsked))) {
            firstAsked = e.at();
          }
          if (e.to() == VmState.ERROR) {
            errors++;
          }
          if (e.to() == VmState.UNREGISTERED && (lastUp == null || e.at().isAfter(lastUp))) {
            lastUp = e.at();
          }
        }
      }
      b.append(String.format(Locale.ROOT, "; %d VM(s) booted in all, %d went to ERROR (replaced)", r.vms().size(), errors));
      if (firstAsked != null) {
        b.append("; first boot asked ").append(Duration.between(firstAsked, start).toSeconds()).append(" s before the start");
      }
      if (lastUp != null) {
        b.append("; last VM up ").append(Duration.between(start, lastUp).toSeconds()).append(" s after the start");
      }
      return b.toString();
    }

    /** A refusal's kind: its text without numbers, reservation ids and times, cut short. */
    private static String kind(@Nullable String reason) {
      String r = reason == null ? "" : reason;
      r = r.replaceAll("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z", "T").replaceAll("\\d+", "N");
      return r.length() > 120 ? r.substring(0, 120) : r;
    }
  }
}

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.csv2.core.sim.TraceJob;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reservations mixed with a replay: seeded, read from a file, and booked and watched through the real engine. */
class ReplayReservationsTest {
  static final List<CloudName> CLOUDS = List.of(CloudName.of("a"), CloudName.of("b"));

  @TempDir Path dir;

  @Test
  void seededReservationsAreTheSameForTheSameSeedAndLieInTheTrace() {
    Duration span = Duration.ofDays(10);
    ReplayReservations one = ReplayReservations.seeded(40, 42, span, CLOUDS);
    assertThat(one).isEqualTo(ReplayReservations.seeded(40, 42, span, CLOUDS));
    assertThat(one).isNotEqualTo(ReplayReservations.seeded(40, 43, span, CLOUDS));
    assertThat(one.planned()).hasSize(40).allSatisfy(p -> {
      assertThat(p.start()).isBetween(Duration.ofHours(6), span.minusHours(12));
      assertThat(p.booked()).isBetween(ReplayReservations.FIRST_BOOKING, p.start());
      assertThat(p.length()).isBetween(Duration.ofHours(1), Duration.ofHours(8));
      assertThat(p.count()).isBetween(1, 8);
      assertThat(p.cores()).isIn(1, 2, 4, 8, 16);
      assertThat(p.ramMiB()).isEqualTo(2000L * p.cores());
      assertThat(p.group()).isEqualTo(ReplayReservations.GROUP);
    });
    assertThat(one.planned()).extracting(ReplayReservations.Planned::booked).isSorted();
    assertThat(one.planned()).anyMatch(p -> p.cloud() == null).anyMatch(p -> p.cloud() != null);
    assertThat(ReplayReservations.seeded(0, 42, span, CLOUDS).planned()).isEmpty();
    assertThatThrownBy(() -> ReplayReservations.seeded(-1, 42, span, CLOUDS)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFileGivesEachReservationOnALineWithUnitsAndDefaults() throws Exception {
    Path f = dir.resolve("r.csv");
    Files.writeString(f, """
        # booked, start, duration, count, cores, ram-mib, cloud, group, owner

        3600, 1d, 4h, 4, 8, 16000, *, atlas, alice
        0 , 7200 , 90m , 0 , 4 , 8000 , b
        """);
    List<ReplayReservations.Planned> p = ReplayReservations.read(f).planned();
    assertThat(p).hasSize(2);
    // by booking time
    assertThat(p.get(0)).isEqualTo(new ReplayReservations.Planned(4, Duration.ZERO, Duration.ofHours(2),
        Duration.ofMinutes(90), 0, 4, 8000, CloudName.of("b"), ReplayReservations.GROUP, "user4"));
    assertThat(p.get(1)).isEqualTo(new ReplayReservations.Planned(3, Duration.ofHours(1), Duration.ofDays(1),
        Duration.ofHours(4), 4, 8, 16000, null, GroupName.of("atlas"), "alice"));

    assertThatThrownBy(() -> ReplayReservations.parse(List.of("# x", "0, 60, 1h, 1, 1"), "f"))
        .hasMessageContaining("f line 2").hasMessageContaining("7 to 9 fields");
    assertThatThrownBy(() -> ReplayReservations.parse(List.of("2h, 1h, 1h, 1, 1, 1000, *"), "f"))
        .hasMessageContaining("f line 1").hasMessageContaining("after its start");
    assertThatThrownBy(() -> ReplayReservations.parse(List.of("0, 90s, 1h, 1, 1, 1000, *"), "f"))
        .hasMessageContaining("whole minutes");
    assertThatThrownBy(() -> ReplayReservations.parse(List.of("0, 1w, 1h, 1, 1, 1000, *"), "f"))
        .hasMessageContaining("'1w'");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theEngineBooksAndRunsThemAmongTheTracesJobs() throws Exception {
    List<TraceJob> trace = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      trace.add(new TraceJob(i + 1, Duration.ofSeconds(i * 30L), Duration.ofMinutes(20 + i % 7), 1, -1, i % 3, i % 2, 1, 1));
    }
    ReplayWorkload w = ReplayWorkload.of(trace);
    Path f = dir.resolve("r.csv");
    // the last one starts hours after the last job ended: the replay waits for it (empty time skipped up to it)
    Files.writeString(f, """
        5m, 30m, 1h, 2, 4, 8000, *
        10m, 20m, 30m, 3, 2, 4000, ec2-ca-central-1, reserved, bob
        10m, 40m, 1h, 400, 4, 8000, rackspace
        1h, 8h, 1h, 1, 16, 32000, *
        """);
    Path out = dir.resolve("out");
    Map<String, Object> report = new ReplayBenchmark(SharedData.locate(), out, List.of("default"))
        .reservations(f.toString())
        .run("tiny", w, ReplayCatalog.clouds(SharedData.locate()), false);
    List<Map<String, Object>> runs = (List<Map<String, Object>>) report.get("runs");
    assertThat(runs).extracting(r -> r.get("policy")).containsExactly("default", "default+reservations");
    Map<String, Object> without = runs.get(0);
    Map<String, Object> with = runs.get(1);
    assertThat(without).doesNotContainKey("reservationsAsked");
    assertThat(with.get("jobsCompleted")).isEqualTo(40L);
    assertThat(with.get("reservationsAsked")).isEqualTo(4);
    assertThat(with.get("reservationsConfirmed")).isEqualTo(3);
    assertThat(with.get("reservationsRefused")).as("1,600 cores on an 800-core cloud").isEqualTo(1);
    assertThat((Map<String, Integer>) with.get("reservationsRefusedBy")).hasSize(1);
    assertThat(with.get("reservationsHonoured")).isEqualTo(3L);
    assertThat(with.get("reservationsFailed")).isEqualTo(0L);
    // before the boot lead kept the longest boot seen in 24 h, the last one came up 20 s after its start
    assertThat(with.get("reservationsRunningByStart")).isEqualTo(3L);
    assertThat((List<?>) with.get("reservationsLate")).isEmpty();
    assertThat((double) with.get("reservationCoreHoursBooked")).isEqualTo(8 + 3 + 16.0);
    assertThat((double) with.get("virtualDays")).as("the replay lasts to the last reservation's end").isGreaterThan(9.0 / 24);
    assertThat((int) with.get("cycles")).as("empty time is skipped").isLessThan(9 * 360);
    assertThat((long) with.get("vmsBooted")).isGreaterThan((long) without.get("vmsBooted"));
    String md = ReplayBenchmark.markdown(report);
    assertThat(md).contains("| reservations asked / confirmed / refused | - / - / - | 4 / 3 / 1 |",
        "| reservation start delay max / p95 (s) |", "default+reservations: reservations refused by reason:");
    assertThat(Files.exists(out.resolve("replay-tiny-default+reservations.json"))).isTrue();
  }
}

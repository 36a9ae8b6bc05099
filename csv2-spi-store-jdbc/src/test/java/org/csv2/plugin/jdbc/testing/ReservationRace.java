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
package org.csv2.plugin.jdbc.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.ReservationState;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Limits;
import org.csv2.spi.Booking;
import org.csv2.spi.ReservationCapacity;
import org.csv2.spi.StateStore;
import org.csv2.testkit.MutableClock;
import org.csv2.testkit.TestPluginContext;

/**
 * Two processes (this JVM and a second one started here) and many threads in each book the last
 * slot of a cloud at the same instant on one database: exactly one booking is confirmed, every
 * other is refused naming the reservations that hold the capacity, and every booking is stored
 * whole (CONFIRMED or REFUSED, nothing else).
 *
 * <p>The second JVM runs {@link #main} with the test class path; the database password goes by
 * the environment, not the command line.
 */
public final class ReservationRace {
  /** Threads per process. */
  public static final int THREADS = 8;

  private static final GroupName GROUP = GroupName.of("race");
  private static final CloudName CLOUD = CloudName.of("race-cloud");
  private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");
  private static final ReservationCapacity CAPACITY =
      new ReservationCapacity(CLOUD, new Limits(16, Limits.UNLIMITED, Limits.UNLIMITED), Limits.NONE);
  private static final String PASSWORD_ENV = "CSV2_RACE_DB_PASSWORD";

  private ReservationRace() {}

  /**
   * Runs the race on a database.
   *
   * @param db the database (an H2 URL needs {@code ;AUTO_SERVER=TRUE} to be opened by two processes)
   * @throws Exception on a failure to start or wait for the second process
   */
  public static void run(TestDatabase db) throws Exception {
    try (StateStore store = db.open(TestPluginContext.of("race-parent").withClock(MutableClock.at(T0)), Map.of())) {
      // 8 of 16 cores taken: one more booking of 8 fits, the rest do not
      Reservation taken = store.book(request("setup"), List.of(CAPACITY)).reservation();
      assertThat(taken.state()).isEqualTo(ReservationState.CONFIRMED);
      long goAt = System.currentTimeMillis() + 6_000; // the child's JVM and pool start within that
      ProcessBuilder pb =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp", System.getProperty("java.class.path"),
              ReservationRace.class.getName(),
              db.url(), db.user() == null ? "" : db.user(), Long.toString(goAt));
      pb.environment().put(PASSWORD_ENV, db.password() == null ? "" : db.password());
      pb.redirectErrorStream(true);
      Process child = pb.start();
      List<String> childLines = new ArrayList<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            synchronized (childLines) {
              childLines.add(line);
            }
          }
        } catch (IOException e) {
          // the child died; its exit code says so
        }
      });
      reader.start();
      List<Booking> mine = race(store, goAt, "parent");
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the second process ends").isTrue();
      reader.join(10_000);
      List<String> results;
      synchronized (childLines) {
        assertThat(child.exitValue()).as("second process exit; its output: %s", childLines).isZero();
        results = childLines.stream().filter(l -> l.startsWith("RESULT ")).toList();
      }
      assertThat(results).as("the second process's bookings").hasSize(THREADS);
      long childWins = results.stream().filter(l -> l.startsWith("RESULT WON ")).count();
      long parentWins = mine.stream().filter(Booking::done).count();
      assertThat(parentWins + childWins).as("bookings confirmed across both processes").isEqualTo(1);

      List<Reservation> stored = store.reservations(GROUP, T0, T0.plusSeconds(86_400));
      assertThat(stored).as("every booking stored once").hasSize(2 * THREADS + 1)
          .allSatisfy(r -> assertThat(r.state()).isIn(ReservationState.CONFIRMED, ReservationState.REFUSED));
      Reservation winner = stored.stream()
          .filter(r -> r.state() == ReservationState.CONFIRMED && r.id() != taken.id()).findFirst().orElseThrow();
      String named = "reservation(s) " + taken.id() + ", " + winner.id() + " hold 16 of 16 cores";
      assertThat(stored.stream().filter(r -> r.state() == ReservationState.REFUSED))
          .as("refusals name the conflict").hasSize(2 * THREADS - 1)
          .allSatisfy(r -> assertThat(r.reason()).contains(CLOUD.value()).contains(named));
      assertThat(mine.stream().filter(b -> !b.done())).allSatisfy(b -> assertThat(b.refusal()).contains(named));
    }
  }

  /**
   * The second process: books from {@link #THREADS} threads at the instant given and prints one
   * {@code RESULT WON <id>} or {@code RESULT LOST <id> <refusal>} line per booking.
   *
   * @param args the URL, the user (empty for none) and the instant in epoch milliseconds
   * @throws Exception on any failure (a non-zero exit)
   */
  public static void main(String[] args) throws Exception {
    String password = System.getenv(PASSWORD_ENV);
    TestDatabase db = new TestDatabase("child", args[0], args[1].isEmpty() ? null : args[1],
        password == null || password.isEmpty() ? null : password, () -> {});
    try (StateStore store = db.open(TestPluginContext.of("race-child").withClock(MutableClock.at(T0)), Map.of())) {
      for (Booking b : race(store, Long.parseLong(args[2]), "child")) {
        System.out.println("RESULT " + (b.done() ? "WON " : "LOST ") + b.reservation().id()
            + (b.done() ? "" : " " + b.refusal()));
      }
    }
    System.exit(0);
  }

  private static List<Booking> race(StateStore store, long goAt, String who) throws Exception {
    // warm the pool so that the threads start together
    store.reservation(0);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Booking>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        String owner = who + t;
        futures.add(pool.submit(() -> {
          long wait = goAt - System.currentTimeMillis();
          if (wait > 0) {
            Thread.sleep(wait);
          }
          return store.book(request(owner), List.of(CAPACITY));
        }));
      }
      List<Booking> out = new ArrayList<>();
      for (Future<Booking> f : futures) {
        out.add(f.get(120, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Reservation request(String owner) {
    Instant s = T0.plusSeconds(3600);
    return new Reservation(0, owner, GROUP, null, false, null, 4, 8192, 2, null, null, null, s, s.plusSeconds(3600),
        ReservationState.REQUESTED, "", T0, T0, null, List.of(), 0);
  }
}

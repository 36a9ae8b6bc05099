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
package org.csv2.plugin.jdbc.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.plugin.jdbc.testing.RandomStoreData;
import org.csv2.plugin.jdbc.testing.TestDatabase;
import org.csv2.spi.StateStore;
import org.csv2.spi.StoreChanges;
import org.csv2.testkit.TestPluginContext;

/**
 * Benchmark B3 (PERFORMANCE.md), not a test: persists cycles in which 10,000 VMs change state (10,000
 * optimistic updates plus 10,000 history events in one commit) and cycles in which nothing changes,
 * on H2 (file), MariaDB and PostgreSQL, and prints the times. Bar: a 10k-change cycle in at most 1
 * s, and a no-change cycle writes nothing.
 *
 * <pre>
 * scripts/testenv up      # for MariaDB and PostgreSQL
 * cd /work/main &amp;&amp; mvn -o -q -pl csv2-spi-store-jdbc test-compile exec:java \
 *     -Dexec.mainClass=org.csv2.plugin.jdbc.it.StoreBenchmark -Dexec.classpathScope=test \
 *     [-Dexec.args="h2 mariadb postgresql"]
 * </pre>
 *
 * <p>Each database gets a fresh {@code csv2test_*} database (H2: {@code target/h2-test/}); 10,000
 * VMs are inserted, then 2 warm-up and 7 measured 10k-change cycles run; the median and the worst
 * are printed.
 */
public final class StoreBenchmark {
  private static final int VMS = 10_000;
  private static final int WARMUP = 2;
  private static final int MEASURED = 7;
  private static final List<String> TABLES =
      List.of("csv2_vm", "csv2_vm_event", "csv2_sample", "csv2_accounting", "csv2_config", "csv2_lease");

  private StoreBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args the databases: any of {@code h2 mariadb postgresql} (default all three)
   * @throws SQLException if the row counts cannot be read
   */
  public static void main(String[] args) throws SQLException {
    List<String> which = args.length == 0 ? List.of("h2", "mariadb", "postgresql") : Arrays.asList(args);
    System.out.printf("B3 state store: %d VMs changing state per cycle (%d updates + %d events, one commit)%n", VMS, VMS, VMS);
    for (String name : which) {
      TestDatabase db =
          switch (name) {
            case "h2" -> TestDatabase.h2("bench");
            case "mariadb" -> ServerDatabases.mariadb();
            case "postgresql" -> ServerDatabases.postgresql();
            default -> throw new IllegalArgumentException("unknown database " + name + ": use h2, mariadb or postgresql");
          };
      try {
        run(db);
      } finally {
        db.drop();
      }
    }
  }

  private static void run(TestDatabase db) throws SQLException {
    try (StateStore store = db.open(TestPluginContext.of("bench"), Map.of())) {
      Random rnd = new Random(42);
      List<Vm> vms = new ArrayList<>(VMS);
      for (int n = 0; n < VMS; n++) {
        vms.add(RandomStoreData.vm(rnd, VmId.of(String.format("atlas--arbutus--bench--%05d", n))));
      }
      long t = System.nanoTime();
      vms = store.commit(new StoreChanges(vms, List.of(), List.of(), List.of(), List.of(), List.of()));
      Duration insert = Duration.ofNanos(System.nanoTime() - t);

      List<Duration> cycles = new ArrayList<>();
      Instant at = RandomStoreData.T0.plus(Duration.ofDays(60));
      for (int round = 0; round < WARMUP + MEASURED; round++) {
        at = at.plusSeconds(10);
        List<Vm> changed = new ArrayList<>(VMS);
        List<VmEvent> events = new ArrayList<>(VMS);
        VmState next = VmState.values()[round % 2 == 0 ? VmState.IDLE.ordinal() : VmState.RUNNING.ordinal()];
        for (Vm vm : vms) {
          Vm c = vm.withState(next, at, next == VmState.IDLE ? "job finished" : "job started");
          changed.add(c);
          events.add(new VmEvent(vm.id(), vm.group(), vm.cloud(), vm.state(), next, at, c.reason()));
        }
        t = System.nanoTime();
        vms = store.commit(new StoreChanges(List.of(), changed, List.of(), events, List.of(), List.of()));
        Duration d = Duration.ofNanos(System.nanoTime() - t);
        if (round >= WARMUP) {
          cycles.add(d);
        }
      }
      long[] before = rows(db);
      List<Duration> empty = new ArrayList<>();
      for (int round = 0; round < 1000; round++) {
        t = System.nanoTime();
        store.commit(StoreChanges.NONE);
        empty.add(Duration.ofNanos(System.nanoTime() - t));
      }
      long[] after = rows(db);
      cycles.sort(null);
      empty.sort(null);
      System.out.printf(
          "%-10s 10k inserts %6d ms | 10k-change cycle: median %5d ms, worst %5d ms (%d runs) | no-change cycle: median %d ns, rows written %d%n",
          db.name(),
          insert.toMillis(),
          cycles.get(cycles.size() / 2).toMillis(),
          cycles.get(cycles.size() - 1).toMillis(),
          cycles.size(),
          empty.get(empty.size() / 2).toNanos(),
          Arrays.stream(after).sum() - Arrays.stream(before).sum());
    }
  }

  private static long[] rows(TestDatabase db) throws SQLException {
    long[] counts = new long[TABLES.size()];
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      for (int i = 0; i < TABLES.size(); i++) {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + TABLES.get(i))) {
          rs.next();
          counts[i] = rs.getLong(1);
        }
      }
    }
    return counts;
  }
}

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
package org.csv2.plugin.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.csv2.api.StateStoreException;
import org.csv2.model.AccountingRecord;
import org.csv2.model.Sample;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.plugin.jdbc.testing.RandomStoreData;
import org.csv2.plugin.jdbc.testing.TestDatabase;
import org.csv2.spi.StoreChanges;
import org.csv2.testkit.TestPluginContext;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How a commit talks to the database, counted through a recording data source: an empty change
 * takes no connection at all; a cycle's writes are JDBC batches in one transaction.
 */
class CommitBatchingTest {
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private TestDatabase database;
  private JdbcStateStore store;

  @BeforeEach
  void open() {
    database = TestDatabase.h2("batching");
    database.open(TestPluginContext.of("migrate"), Map.of()).close();
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(database.url());
    store =
        new JdbcStateStore(
            recording(h2), null, Sql.load(Dialect.H2), java.time.Clock.systemUTC(), null, "h2-test", List.of());
  }

  @AfterEach
  void close() {
    store.close();
    database.drop();
  }

  @Test
  @DisplayName("a cycle in which nothing changed takes no connection and writes nothing")
  void emptyCommitTakesNoConnection() {
    assertThat(store.commit(StoreChanges.NONE)).isEmpty();
    assertThat(store.commit(new StoreChanges(List.of(), List.of(), List.of(), List.of(), List.of(), List.of()))).isEmpty();
    assertThat(count("getConnection")).as("connections taken").isZero();
    store.close();
    assertThat(store.commit(StoreChanges.NONE)).as("even a closed store accepts an empty commit").isEmpty();
  }

  @Test
  @DisplayName("a commit's writes are batches (one per kind) in one transaction on one connection")
  void writesAreBatchedInOneTransaction() {
    Random rnd = new Random(3);
    List<Vm> inserts = new ArrayList<>();
    List<VmEvent> events = new ArrayList<>();
    List<Sample> samples = new ArrayList<>();
    List<AccountingRecord> records = new ArrayList<>();
    for (int n = 0; n < 500; n++) {
      Vm vm = RandomStoreData.vm(rnd, VmId.of("batch-" + n));
      inserts.add(vm);
      events.add(RandomStoreData.event(rnd, vm));
      records.add(RandomStoreData.accounting(rnd, vm));
      samples.add(RandomStoreData.sample(rnd));
    }
    List<Vm> stored = store.commit(new StoreChanges(inserts, List.of(), List.of(), events, samples, records));
    assertThat(count("getConnection")).as("connections").isEqualTo(1);
    assertThat(count("setAutoCommit(false)")).as("transactions begun").isEqualTo(1);
    assertThat(count("commit")).as("commits").isEqualTo(1);
    assertThat(count("addBatch")).as("rows added to batches").isEqualTo(2000);
    assertThat(count("executeBatch")).as("batches sent").isEqualTo(4);
    assertThat(count("executeUpdate")).as("single statements").isZero();
    calls.clear();

    List<Vm> updates = new ArrayList<>();
    List<Vm> deletes = new ArrayList<>();
    for (int n = 0; n < stored.size(); n++) {
      Vm vm = stored.get(n);
      if (n % 5 == 0) {
        deletes.add(vm);
      } else {
        updates.add(vm.withState(VmState.RETIRING, Instant.parse("2024-06-01T00:00:00Z"), "drain"));
      }
    }
    store.commit(new StoreChanges(List.of(), updates, deletes, List.of(), List.of(), List.of()));
    assertThat(count("getConnection")).isEqualTo(1);
    assertThat(count("commit")).isEqualTo(1);
    assertThat(count("executeBatch")).as("an update batch and a delete batch").isEqualTo(2);
    assertThat(count("executeUpdate")).isZero();
  }

  @Test
  @DisplayName("a stale update rolls the whole transaction back")
  void conflictRollsBack() {
    Vm vm = store.commit(new StoreChanges(List.of(RandomStoreData.vm(new Random(1), VmId.of("only"))), List.of(), List.of(), List.of(), List.of(), List.of())).get(0);
    calls.clear();
    Vm fresh = RandomStoreData.vm(new Random(2), VmId.of("fresh"));
    assertThatThrownBy(() -> store.commit(new StoreChanges(List.of(fresh), List.of(vm.withVersion(9)), List.of(), List.of(), List.of(), List.of())))
        .isInstanceOfSatisfying(StateStoreException.class, e -> {
          assertThat(e.reason()).isEqualTo(StateStoreException.Reason.CONFLICT);
          assertThat(e.getMessage()).contains("VM only").contains("version is not 9");
        });
    assertThat(count("rollback")).isEqualTo(1);
    assertThat(count("commit")).isZero();
    assertThat(store.vm(fresh.id())).isEmpty();
  }

  private int count(String what) {
    AtomicInteger n = calls.get(what);
    return n == null ? 0 : n.get();
  }

  private void record(String what) {
    calls.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
  }

  private DataSource recording(DataSource target) {
    return new DataSource() {
      @Override
      public Connection getConnection() throws SQLException {
        record("getConnection");
        return proxy(Connection.class, target.getConnection());
      }

      @Override
      public Connection getConnection(String user, String password) throws SQLException {
        record("getConnection");
        return proxy(Connection.class, target.getConnection(user, password));
      }

      @Override
      public PrintWriter getLogWriter() {
        return null;
      }

      @Override
      public void setLogWriter(PrintWriter out) {}

      @Override
      public void setLoginTimeout(int seconds) {}

      @Override
      public int getLoginTimeout() {
        return 0;
      }

      @Override
      public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
      }

      @Override
      public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
      }

      @Override
      public boolean isWrapperFor(Class<?> iface) {
        return false;
      }
    };
  }

  private <T> T proxy(Class<T> type, T target) {
    InvocationHandler h =
        (p, m, args) -> {
          String name = m.getName();
          if (name.equals("setAutoCommit")) {
            record("setAutoCommit(" + args[0] + ")");
          } else if (List.of("commit", "rollback", "addBatch", "executeBatch", "executeUpdate").contains(name)) {
            record(name);
          }
          try {
            Object result = m.invoke(target, args);
            if (result instanceof PreparedStatement ps && type == Connection.class) {
              return proxy(PreparedStatement.class, ps);
            }
            return result;
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h));
  }
}

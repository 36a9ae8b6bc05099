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

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.csv2.api.ConfigurationException;
import org.csv2.api.StateStoreException;
import org.csv2.api.StateStoreException.Reason;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.AuditEntry;
import org.csv2.api.ops.GroupStatus;
import org.csv2.api.ops.Intent;
import org.csv2.api.ops.IntentKind;
import org.csv2.api.ops.IntentStatus;
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.ReservationState;
import org.csv2.model.AccountingRecord;
import org.csv2.model.ApiToken;
import org.csv2.model.AliasName;
import org.csv2.model.AccountingBatch;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.InstanceId;
import org.csv2.model.Lease;
import org.csv2.model.Resources;
import org.csv2.model.Sample;
import org.csv2.model.StoredConfig;
import org.csv2.model.User;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.csv2.model.VmUsage;
import org.csv2.model.VmState;
import org.csv2.plugin.jdbc.Sql.Query;
import org.csv2.spi.Booking;
import org.csv2.spi.OperatorWrite;
import org.csv2.spi.ReservationCapacity;
import org.csv2.spi.ReservationLedger;
import org.csv2.spi.PluginContext;
import org.csv2.spi.Secret;
import org.csv2.spi.StateStore;
import org.csv2.spi.StoreChanges;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC state store. Every statement is a prepared statement loaded by name from the dialect's
 * SQL files ({@link Sql}); a commit is one transaction whose writes are JDBC batches.
 *
 * <p><b>Thread safety:</b> safe for concurrent use; each call borrows its own pooled connection.
 */
final class JdbcStateStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStateStore.class);

  /** The Flyway history table, named so that it cannot clash with another application's. */
  static final String HISTORY_TABLE = "csv2_schema_history";

  private final DataSource dataSource;
  private final @Nullable AutoCloseable pool;
  private final Sql sql;
  private final Clock clock;
  private final @Nullable ConfigCipher cipher;
  private final String where;
  private final List<String> secrets;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * The VMs as this store last read them, by id: {@link #vms()} re-reads only the rows whose
   * version or creation time differ. Only what was read from the database is kept (never what a
   * commit wrote), so the rows are exactly as another read would decode them. An immutable map,
   * replaced whole; concurrent readers may replace it in any order, as every entry is checked
   * against the database before it is used.
   */
  private final java.util.concurrent.atomic.AtomicReference<Map<String, Vm>> lastRead =
      new java.util.concurrent.atomic.AtomicReference<>(Map.of());

  /** Most ids in one {@code IN} list of {@code vm-select-some}. */
  static final int IN_LIST = 500;

  /**
   * A store on a data source whose schema is migrated.
   *
   * @param dataSource where connections come from
   * @param pool what {@link #close()} closes, or null
   * @param sql the dialect's statements
   * @param clock the engine's clock (times of configuration saves)
   * @param cipher the configuration cipher, or null to store documents as they are
   * @param where the redacted URL, for messages
   * @param secrets values never to print
   */
  JdbcStateStore(
      DataSource dataSource,
      @Nullable AutoCloseable pool,
      Sql sql,
      Clock clock,
      @Nullable ConfigCipher cipher,
      String where,
      List<String> secrets) {
    this.dataSource = dataSource;
    this.pool = pool;
    this.sql = sql;
    this.clock = clock;
    this.cipher = cipher;
    this.where = where;
    this.secrets = List.copyOf(secrets);
  }

  /**
   * Validates the configuration, opens the pool and migrates the schema; for a dry-run engine
   * ({@link PluginContext#readOnly()}) changes nothing instead: a missing H2 file is not created
   * (the dry run reads an empty database in memory), connections are read-only, the schema is not
   * migrated and a schema behind this version's is refused with a message saying so.
   *
   * @param config the bound configuration
   * @param path its YAML path, for messages
   * @param context the engine's services
   * @return the store
   */
  static JdbcStateStore open(JdbcConfig config, String path, PluginContext context) {
    List<String> problems = config.problems(path);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    String url = config.jdbcUrl();
    String where = Redaction.url(url);
    List<String> secrets = Redaction.secrets(config);
    Dialect dialect =
        Dialect.of(url).orElseThrow(() -> new ConfigurationException(List.of(path + ".url: unsupported")));
    Sql sql = Sql.load(dialect);
    Optional<java.nio.file.Path> h2File = H2Files.file(url);
    boolean readOnly = context.readOnly();
    if (readOnly && h2File.isPresent() && !java.nio.file.Files.exists(h2File.get())) {
      LOG.info(
          "state store {}: the database file {} does not exist yet; a dry run reads an empty database in memory"
              + " and creates nothing",
          where,
          h2File.get().toAbsolutePath());
      url = "jdbc:h2:mem:csv2-dry-run-" + java.util.UUID.randomUUID();
      h2File = Optional.empty();
      readOnly = false; // nothing on disk to protect: the empty database is migrated in memory
    } else if (readOnly && h2File.isPresent()) {
      url = url + ";ACCESS_MODE_DATA=r";
    }
    h2File.ifPresent(f -> H2Files.beforeOpen(f, where));

    HikariConfig hc = new HikariConfig();
    hc.setPoolName("csv2-store-" + context.name());
    hc.setDriverClassName(dialect.driverClass());
    hc.setJdbcUrl(url);
    String user = config.user();
    if (user != null) {
      hc.setUsername(user);
    }
    Secret password = config.password();
    if (password != null) {
      hc.setPassword(password.reveal());
    }
    // Flyway's schema lock on PostgreSQL holds a second connection while it migrates, so a
    // pool of one would wait for itself: the pool never has fewer than two.
    hc.setMaximumPoolSize(Math.max(2, config.pool()));
    hc.setMinimumIdle(1);
    hc.setConnectionTimeout(config.timeout().toMillis());
    hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    hc.setReadOnly(readOnly);
    hc.setDataSourceProperties(withTimeouts(sql.dataSourceProperties(), dialect, config.timeout()));
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw unavailable(
          where,
          secrets,
          "cannot connect ("
              + rootMessage(e, secrets)
              + "); check "
              + path
              + ".url, user and password, and that the database server runs",
          e);
    }
    try {
      if (!readOnly) {
        h2File.ifPresent(f -> H2Files.afterOpen(f, where));
      }
    } catch (StateStoreException e) {
      ds.close();
      throw e;
    }
    try {
      Flyway flyway =
          Flyway.configure(JdbcStateStore.class.getClassLoader())
              .dataSource(ds)
              .locations(dialect.migrations())
              .table(HISTORY_TABLE)
              .baselineOnMigrate(true)
              .baselineVersion("0")
              .load();
      if (readOnly) {
        checkSchemaCurrent(flyway, where);
        LOG.info("state store {} ({}): opened read-only for a dry run", where, dialect.folder());
        Secret key = config.encryptionKey();
        return new JdbcStateStore(ds, ds, sql, context.clock(), key == null ? null : new ConfigCipher(key), where, secrets);
      }
      MigrateResult result = flyway.migrate();
      LOG.info(
          "state store {} ({}): schema at version {} ({} migration(s) applied now)",
          where,
          dialect.folder(),
          result.targetSchemaVersion == null ? flyway.info().current().getVersion() : result.targetSchemaVersion,
          result.migrationsExecuted);
    } catch (StateStoreException e) {
      ds.close();
      throw e;
    } catch (FlywayException | IllegalStateException e) {
      ds.close();
      throw unavailable(
          where,
          secrets,
          "cannot migrate the schema ("
              + rootMessage(e, secrets)
              + "); the user needs CREATE, ALTER, INDEX, CREATE VIEW, SELECT, INSERT, UPDATE and DELETE on the"
              + " database (see docs/state-store.md)",
          e);
    }
    Secret key = config.encryptionKey();
    ConfigCipher cipher = key == null ? null : new ConfigCipher(key);
    return new JdbcStateStore(ds, ds, sql, context.clock(), cipher, where, secrets);
  }

  /**
   * Refuses a schema behind this version's without changing it (a dry run).
   *
   * @throws StateStoreException UNAVAILABLE naming the versions when migrations are pending
   */
  private static void checkSchemaCurrent(Flyway flyway, String where) {
    org.flywaydb.core.api.MigrationInfoService info = flyway.info();
    org.flywaydb.core.api.MigrationInfo[] pending = info.pending();
    if (pending.length == 0) {
      return;
    }
    org.flywaydb.core.api.MigrationInfo current = info.current();
    String needed = pending[pending.length - 1].getVersion().getVersion();
    throw new StateStoreException(
        StateStoreException.Reason.UNAVAILABLE,
        "state store "
            + where
            + ": "
            + (current == null
                ? "the database holds no csv2 schema yet"
                : "the schema is at version " + current.getVersion().getVersion())
            + " and this csv2 needs version "
            + needed
            + " ("
            + pending.length
            + " migration(s) pending); a dry run changes nothing, so it does not migrate: start the engine"
            + " once (csv2 run, which migrates) and plan again");
  }

  // ---------------------------------------------------------------- VMs

  /**
   * Every VM, read in two steps within one REPEATABLE READ transaction (one snapshot on MariaDB
   * and PostgreSQL, and on H2's MVStore): every row's id, version and creation time from the
   * covering index {@code csv2_vm_versions}, then whole rows only for the ids whose version or
   * creation time differ from the last read of this store (new, changed by anyone, or created
   * again under the same id). A VM no longer listed is gone. At 12,500 VMs a cycle changes a few
   * hundred rows, so this reads a few hundred rows instead of 12,500 (BENCHMARKS.md, B7).
   *
   * <p>Should the second step see a row at another version than the first (a database that does
   * not keep the snapshot), the whole table is read again in one statement instead: the answer is
   * always one consistent state of the table.
   */
  @Override
  public List<Vm> vms() {
    return read(
        "reading the VMs",
        c -> {
          boolean autoCommit = c.getAutoCommit();
          int isolation = c.getTransactionIsolation();
          c.setAutoCommit(false);
          c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
          try {
            List<Vm> vms = readVms(c);
            c.commit();
            return vms;
          } catch (SQLException | RuntimeException e) {
            rollback(c, e);
            throw e;
          } finally {
            c.setTransactionIsolation(isolation);
            c.setAutoCommit(autoCommit);
          }
        });
  }

  private List<Vm> readVms(Connection c) throws SQLException {
    Map<String, Vm> before = lastRead.get();
    Map<String, Vm> now = new HashMap<>(Math.max(16, before.size() * 2));
    Map<String, Long> stale = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql.get(Query.VM_SELECT_VERSIONS));
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String id = rs.getString(1);
        long version = rs.getLong(2);
        Vm known = before.get(id);
        if (known != null && known.version() == version && sameInstant(known.createdAt(), rs.getBigDecimal(3))) {
          now.put(id, known);
        } else {
          stale.put(id, version);
        }
      }
    }
    if (!stale.isEmpty() && !fetch(c, stale, now)) {
      now.clear();
      try (PreparedStatement ps = c.prepareStatement(sql.get(Query.VM_SELECT_ALL));
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Vm vm = vm(rs);
          now.put(vm.id().value(), vm);
        }
      }
    }
    lastRead.set(Map.copyOf(now));
    List<Vm> vms = new ArrayList<>(now.values());
    vms.sort(Comparator.comparing(Vm::id));
    return vms;
  }

  /**
   * Reads the stale rows into {@code into}; false when one is not at the version just listed.
   * With more than half of the table stale one full read is cheaper than the id lists.
   */
  private boolean fetch(Connection c, Map<String, Long> stale, Map<String, Vm> into) throws SQLException {
    if (stale.size() > IN_LIST && stale.size() * 2 > stale.size() + into.size()) {
      return false;
    }
    List<String> ids = new ArrayList<>(stale.keySet());
    for (int from = 0; from < ids.size(); from += IN_LIST) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_LIST));
      String text = sql.get(Query.VM_SELECT_SOME).replace("{ids}", String.join(",", Collections.nCopies(chunk.size(), "?")));
      try (PreparedStatement ps = c.prepareStatement(text)) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
        }
        int found = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Vm vm = vm(rs);
            Long listed = stale.get(vm.id().value());
            if (listed == null || listed != vm.version()) {
              return false;
            }
            into.put(vm.id().value(), vm);
            found++;
          }
        }
        if (found != chunk.size()) {
          return false; // deleted between the two reads: no snapshot
        }
      }
    }
    return true;
  }

  private static boolean sameInstant(Instant known, @Nullable BigDecimal stored) {
    return stored != null && Codec.instant(stored).equals(known);
  }

  @Override
  public Optional<Vm> vm(VmId id) {
    return read(
        "reading VM " + id,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.VM_SELECT))) {
            ps.setString(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(vm(rs)) : Optional.<Vm>empty();
            }
          }
        });
  }

  @Override
  public List<Vm> commit(StoreChanges changes) {
    if (changes.isEmpty()) {
      return List.of();
    }
    checkOpen();
    String what = describe(changes);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        List<Vm> stored = write(c, changes);
        c.commit();
        return stored;
      } catch (SQLException e) {
        rollback(c, e);
        if (isIntegrityViolation(e) && !changes.inserts().isEmpty()) {
          throw duplicateInsert(c, changes.inserts(), e);
        }
        throw e;
      } catch (RuntimeException e) {
        rollback(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private List<Vm> write(Connection c, StoreChanges changes) throws SQLException {
    List<Vm> stored = new ArrayList<>(changes.inserts().size() + changes.updates().size());
    if (!changes.inserts().isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(sql.get(Query.VM_INSERT))) {
        for (Vm vm : changes.inserts()) {
          ps.setString(1, vm.id().value());
          int next = bindColumns(ps, 2, vm);
          ps.setLong(next, 1L);
          ps.addBatch();
          stored.add(vm.withVersion(1L));
        }
        ps.executeBatch();
      }
    }
    if (!changes.updates().isEmpty()) {
      // a stable order keeps two engines that update the same rows from deadlocking
      List<Vm> updates = new ArrayList<>(changes.updates());
      updates.sort(Comparator.comparing(Vm::id));
      try (PreparedStatement ps = c.prepareStatement(sql.get(Query.VM_UPDATE))) {
        for (Vm vm : updates) {
          int next = bindColumns(ps, 1, vm);
          ps.setLong(next, vm.version() + 1);
          ps.setString(next + 1, vm.id().value());
          ps.setLong(next + 2, vm.version());
          ps.addBatch();
        }
        requireOneRowEach(ps.executeBatch(), updates, "update");
      }
      for (Vm vm : changes.updates()) {
        stored.add(vm.withVersion(vm.version() + 1));
      }
    }
    if (!changes.deletes().isEmpty()) {
      List<Vm> deletes = new ArrayList<>(changes.deletes());
      deletes.sort(Comparator.comparing(Vm::id));
      try (PreparedStatement ps = c.prepareStatement(sql.get(Query.VM_DELETE))) {
        for (Vm vm : deletes) {
          ps.setString(1, vm.id().value());
          ps.setLong(2, vm.version());
          ps.addBatch();
        }
        requireOneRowEach(ps.executeBatch(), deletes, "delete");
      }
    }
    if (!changes.events().isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(sql.get(Query.EVENT_INSERT))) {
        for (VmEvent e : changes.events()) {
          ps.setString(1, e.vm().value());
          ps.setString(2, e.group().value());
          ps.setString(3, e.cloud().value());
          setString(ps, 4, e.from() == null ? null : e.from().name());
          ps.setString(5, e.to().name());
          ps.setBigDecimal(6, Codec.seconds(e.at()));
          ps.setString(7, e.reason());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    if (!changes.samples().isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(sql.get(Query.SAMPLE_INSERT))) {
        for (Sample s : changes.samples()) {
          ps.setBigDecimal(1, Codec.seconds(s.at()));
          ps.setString(2, s.metric());
          ps.setString(3, Codec.labels(s.labels()));
          ps.setDouble(4, s.value());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    if (!changes.accounting().isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(sql.get(Query.ACCOUNTING_INSERT))) {
        for (AccountingRecord a : changes.accounting()) {
          ps.setString(1, a.vm().value());
          ps.setString(2, a.group().value());
          ps.setString(3, a.cloud().value());
          ps.setString(4, a.flavor().value());
          ps.setInt(5, a.cores());
          ps.setLong(6, a.ramMiB());
          ps.setBigDecimal(7, Codec.seconds(a.start()));
          ps.setBigDecimal(8, Codec.seconds(a.end()));
          ps.setLong(9, a.wallSeconds());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    return stored;
  }

  private static void requireOneRowEach(int[] counts, List<Vm> vms, String verb) {
    for (int i = 0; i < vms.size(); i++) {
      if (i >= counts.length || counts[i] != 1) {
        Vm vm = vms.get(i);
        throw new StateStoreException(
            Reason.CONFLICT,
            String.format(
                "VM %s: %s refused: the stored version is not %d (another engine or thread changed"
                    + " or deleted it first); nothing of this commit was written: re-read the VM and"
                    + " retry",
                vm.id(), verb, vm.version()));
      }
    }
  }

  private StateStoreException duplicateInsert(Connection c, List<Vm> inserts, SQLException cause) {
    Set<VmId> seen = new HashSet<>();
    for (Vm vm : inserts) {
      if (!seen.add(vm.id())) {
        return new StateStoreException(
            Reason.CONFLICT,
            "VM " + vm.id() + ": inserted twice in one commit; nothing of this commit was written",
            cause);
      }
    }
    try (PreparedStatement ps = c.prepareStatement(sql.get(Query.VM_SELECT))) {
      for (Vm vm : inserts) {
        ps.setString(1, vm.id().value());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return new StateStoreException(
                Reason.CONFLICT,
                "VM "
                    + vm.id()
                    + ": insert refused: a VM with this id is already stored (another engine or"
                    + " thread created it); nothing of this commit was written: re-read and retry",
                cause);
          }
        }
      }
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
    return new StateStoreException(
        Reason.CONFLICT,
        "inserting "
            + inserts.size()
            + " VM(s): a VM with one of these ids was stored meanwhile; nothing of this commit was"
            + " written: re-read and retry",
        cause);
  }

  private static String describe(StoreChanges c) {
    return String.format(
        "committing %d insert(s), %d update(s), %d delete(s), %d event(s), %d sample(s), %d"
            + " accounting record(s)",
        c.inserts().size(),
        c.updates().size(),
        c.deletes().size(),
        c.events().size(),
        c.samples().size(),
        c.accounting().size());
  }

  private static int bindColumns(PreparedStatement ps, int first, Vm vm) throws SQLException {
    int i = first;
    Resources r = vm.resources();
    ps.setString(i++, vm.group().value());
    ps.setString(i++, vm.cloud().value());
    ps.setString(i++, vm.flavor().value());
    ps.setInt(i++, r.cores());
    ps.setLong(i++, r.ramMiB());
    ps.setLong(i++, r.diskGiB());
    ps.setLong(i++, r.swapMiB());
    ps.setInt(i++, r.gpus());
    ps.setString(i++, vm.image());
    setString(ps, i++, vm.alias() == null ? null : vm.alias().value());
    setString(ps, i++, vm.instanceId() == null ? null : vm.instanceId().value());
    ps.setString(i++, vm.state().name());
    ps.setString(i++, vm.reason());
    ps.setBigDecimal(i++, Codec.seconds(vm.createdAt()));
    ps.setBigDecimal(i++, Codec.seconds(vm.stateSince()));
    ps.setString(i++, Codec.transitions(vm.transitions()));
    setDecimal(ps, i++, Codec.secondsOrNull(vm.registeredAt()));
    setDecimal(ps, i++, Codec.secondsOrNull(vm.lastBusyAt()));
    ps.setInt(i++, vm.retireAttempts());
    ps.setInt(i++, vm.terminateAttempts());
    setDecimal(ps, i++, Codec.secondsOrNull(vm.lastAttemptAt()));
    ps.setBoolean(i++, vm.manual());
    setDecimal(ps, i++, Codec.durationOrNull(vm.keepAlive()));
    ps.setDouble(i++, vm.pricePerHour());
    return i;
  }

  private static void setString(PreparedStatement ps, int i, @Nullable String v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, v);
    }
  }

  private static void setDecimal(PreparedStatement ps, int i, @Nullable BigDecimal v)
      throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.DECIMAL);
    } else {
      ps.setBigDecimal(i, v);
    }
  }

  private static Vm vm(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    try {
      String alias = rs.getString("alias");
      String instance = rs.getString("instance_id");
      return new Vm(
          VmId.of(id),
          GroupName.of(rs.getString("group_name")),
          CloudName.of(rs.getString("cloud")),
          FlavorName.of(rs.getString("flavor")),
          new Resources(
              rs.getInt("cores"),
              rs.getLong("ram_mib"),
              rs.getLong("disk_gib"),
              rs.getLong("swap_mib"),
              rs.getInt("gpus")),
          rs.getString("image"),
          alias == null ? null : AliasName.of(alias),
          instance == null ? null : InstanceId.of(instance),
          VmState.valueOf(rs.getString("state")),
          rs.getString("reason"),
          Codec.instant(rs.getBigDecimal("created_at")),
          Codec.instant(rs.getBigDecimal("state_since")),
          Codec.transitions(rs.getString("transitions")),
          Codec.instantOrNull(rs.getBigDecimal("registered_at")),
          Codec.instantOrNull(rs.getBigDecimal("last_busy_at")),
          rs.getInt("retire_attempts"),
          rs.getInt("terminate_attempts"),
          Codec.instantOrNull(rs.getBigDecimal("last_attempt_at")),
          rs.getBoolean("manual"),
          Codec.durationOrNull(rs.getBigDecimal("keep_alive")),
          rs.getDouble("price_per_hour"),
          rs.getLong("version"));
    } catch (RuntimeException e) {
      throw corrupt("table csv2_vm, VM " + id, e);
    }
  }

  // ---------------------------------------------------------------- history, samples, accounting

  @Override
  public List<VmEvent> history(VmId id) {
    return read(
        "reading the history of VM " + id,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.EVENT_SELECT_VM))) {
            ps.setString(1, id.value());
            return events(ps);
          }
        });
  }

  @Override
  public List<VmEvent> events(Instant since, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    if (limit == 0) {
      return List.of();
    }
    return read(
        "reading VM events since " + since,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.EVENT_SELECT_SINCE))) {
            ps.setBigDecimal(1, Codec.seconds(since));
            ps.setInt(2, limit);
            return events(ps);
          }
        });
  }

  private static List<VmEvent> events(PreparedStatement ps) throws SQLException {
    List<VmEvent> events = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String vm = rs.getString("vm");
        try {
          String from = rs.getString("from_state");
          events.add(
              new VmEvent(
                  VmId.of(vm),
                  GroupName.of(rs.getString("group_name")),
                  CloudName.of(rs.getString("cloud")),
                  from == null ? null : VmState.valueOf(from),
                  VmState.valueOf(rs.getString("to_state")),
                  Codec.instant(rs.getBigDecimal("occurred_at")),
                  rs.getString("reason")));
        } catch (RuntimeException e) {
          throw corrupt("table csv2_vm_event, VM " + vm, e);
        }
      }
    }
    return events;
  }

  @Override
  public List<Sample> samples(String metric, Instant from, Instant to) {
    return read(
        "reading samples of " + metric,
        c -> {
          List<Sample> samples = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.SAMPLE_SELECT))) {
            ps.setString(1, metric);
            ps.setBigDecimal(2, Codec.seconds(from));
            ps.setBigDecimal(3, Codec.seconds(to));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                try {
                  samples.add(
                      new Sample(
                          Codec.instant(rs.getBigDecimal("sampled_at")),
                          rs.getString("metric"),
                          Codec.parse(rs.getString("labels")),
                          rs.getDouble("val")));
                } catch (RuntimeException e) {
                  throw corrupt("table csv2_sample, metric " + metric, e);
                }
              }
            }
          }
          return samples;
        });
  }

  @Override
  public List<AccountingRecord> accounting(Instant from, Instant to) {
    return read(
        "reading accounting records",
        c -> {
          List<AccountingRecord> records = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.ACCOUNTING_SELECT))) {
            ps.setBigDecimal(1, Codec.seconds(from));
            ps.setBigDecimal(2, Codec.seconds(to));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                String vm = rs.getString("vm");
                try {
                  records.add(
                      new AccountingRecord(
                          VmId.of(vm),
                          GroupName.of(rs.getString("group_name")),
                          CloudName.of(rs.getString("cloud")),
                          FlavorName.of(rs.getString("flavor")),
                          rs.getInt("cores"),
                          rs.getLong("ram_mib"),
                          Codec.instant(rs.getBigDecimal("start_at")),
                          Codec.instant(rs.getBigDecimal("end_at")),
                          rs.getLong("wall_seconds")));
                } catch (RuntimeException e) {
                  throw corrupt("table csv2_accounting, VM " + vm, e);
                }
              }
            }
          }
          return records;
        });
  }

  // ---------------------------------------------------------------- configuration

  @Override
  public Optional<StoredConfig> config() {
    return read(
        "reading the configuration",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.CONFIG_SELECT_LATEST));
              ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return Optional.<StoredConfig>empty();
            }
            long version = rs.getLong("version");
            String document = decode(rs.getString("format"), rs.getString("document"), version);
            try {
              return Optional.of(
                  new StoredConfig(
                      document,
                      version,
                      Codec.instant(rs.getBigDecimal("updated_at")),
                      rs.getString("updated_by")));
            } catch (RuntimeException e) {
              throw corrupt("table csv2_config, version " + version, e);
            }
          }
        });
  }

  private String decode(String format, String document, long version) {
    if (ConfigCipher.PLAIN.equals(format)) {
      return document;
    }
    if (!ConfigCipher.FORMAT.equals(format)) {
      throw new StateStoreException(
          Reason.CORRUPT,
          "stored configuration version "
              + version
              + ": unknown format '"
              + format
              + "'; it was written by a newer csv2, upgrade this engine");
    }
    ConfigCipher c = cipher;
    if (c == null) {
      throw new StateStoreException(
          Reason.CORRUPT,
          "stored configuration version "
              + version
              + " is encrypted: set state-store.config.encryption-key to the key it was written with");
    }
    return c.decrypt(document, version);
  }

  @Override
  public StoredConfig saveConfig(String document, long expectedVersion, String by) {
    StoredConfig saved = submit(new OperatorWrite(document, expectedVersion, by, List.of(), List.of())).config();
    if (saved == null) {
      throw new IllegalStateException("a write with a document stored no configuration");
    }
    return saved;
  }

  /** Inserts a configuration version in the caller's transaction, after checking the one stored. */
  private StoredConfig insertConfig(Connection conn, String document, long expectedVersion, String by, Instant now)
      throws SQLException {
    long version = expectedVersion + 1;
    ConfigCipher c = cipher;
    String format = c == null ? ConfigCipher.PLAIN : ConfigCipher.FORMAT;
    String stored = c == null ? document : c.encrypt(document, version);
    long current = 0;
    try (PreparedStatement ps = conn.prepareStatement(sql.get(Query.CONFIG_SELECT_LATEST));
        ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        current = rs.getLong("version");
      }
    }
    if (current != expectedVersion) {
      throw configConflict(expectedVersion, current, null);
    }
    try (PreparedStatement ps = conn.prepareStatement(sql.get(Query.CONFIG_INSERT))) {
      ps.setLong(1, version);
      ps.setString(2, format);
      ps.setString(3, stored);
      ps.setBigDecimal(4, Codec.seconds(now));
      ps.setString(5, by);
      ps.executeUpdate();
    }
    return new StoredConfig(document, version, now, by);
  }

  // ---------------------------------------------------------------- operator records

  @Override
  public OperatorWrite.Result submit(OperatorWrite write) {
    String document = write.document();
    if (document != null && write.expectedConfigVersion() < 0) {
      throw new IllegalArgumentException("expected version must be >= 0, was " + write.expectedConfigVersion());
    }
    Instant now = clock.instant();
    String what =
        document != null
            ? "saving configuration version " + (write.expectedConfigVersion() + 1)
            : "storing " + write.intents().size() + " intent(s) and " + write.audit().size() + " audit entries";
    OperatorWrite.Result result =
        transaction(
            what,
            conn -> {
              StoredConfig saved =
                  document == null ? null : insertConfig(conn, document, write.expectedConfigVersion(), write.by(), now);
              List<Intent> intents = new ArrayList<>();
              for (Intent i : write.intents()) {
                intents.add(i.stored(insertIntent(conn, i), 1));
              }
              List<AuditEntry> audit = new ArrayList<>();
              for (AuditEntry a : write.audit()) {
                audit.add(new AuditEntry(insertAudit(conn, a), a.at(), a.actor(), a.action(), a.target(), a.before(), a.after()));
              }
              return new OperatorWrite.Result(saved, intents, audit);
            },
            // the primary key of csv2_config refused a second save of the same version
            e -> document == null ? null : configConflict(write.expectedConfigVersion(), write.expectedConfigVersion() + 1, e));
    if (result.config() != null) {
      LOG.info("state store {}: configuration version {} saved by {}", where, result.config().version(), write.by());
    }
    return result;
  }

  /**
   * Runs work in one transaction: committed if it returns, rolled back if it throws. A duplicate
   * key becomes what {@code onDuplicate} makes of it (null: the usual failure).
   */
  private <T> T transaction(
      String what, Work<T> work, java.util.function.Function<SQLException, @Nullable StateStoreException> onDuplicate) {
    checkOpen();
    try (Connection conn = dataSource.getConnection()) {
      conn.setAutoCommit(false);
      try {
        T result = work.run(conn);
        conn.commit();
        return result;
      } catch (SQLException e) {
        rollback(conn, e);
        StateStoreException mapped = isIntegrityViolation(e) ? onDuplicate.apply(e) : null;
        if (mapped != null) {
          throw mapped;
        }
        throw e;
      } catch (RuntimeException e) {
        rollback(conn, e);
        throw e;
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private long insertIntent(Connection conn, Intent i) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(sql.get(Query.INTENT_INSERT), new String[] {"id"})) {
      ps.setString(1, i.kind().name());
      ps.setString(2, i.group().value());
      ps.setString(3, i.cloud() == null ? null : i.cloud().value());
      ps.setString(4, i.vm() == null ? null : i.vm().value());
      ps.setString(5, Codec.json(new java.util.TreeMap<>(i.parameters())));
      ps.setString(6, i.actor().name());
      ps.setString(7, i.actor().role());
      ps.setBigDecimal(8, Codec.seconds(i.created()));
      ps.setString(9, i.status().name());
      ps.setString(10, i.message());
      ps.setBigDecimal(11, Codec.secondsOrNull(i.completedAt()));
      ps.setLong(12, 1L);
      ps.executeUpdate();
      return generatedKey(ps, "csv2_intent");
    }
  }

  private long insertAudit(Connection conn, AuditEntry a) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(sql.get(Query.AUDIT_INSERT), new String[] {"seq"})) {
      ps.setBigDecimal(1, Codec.seconds(a.at()));
      ps.setString(2, a.actor().name());
      ps.setString(3, a.actor().role());
      ps.setString(4, a.action());
      ps.setString(5, a.target());
      ps.setString(6, a.before());
      ps.setString(7, a.after());
      ps.executeUpdate();
      return generatedKey(ps, "csv2_audit");
    }
  }

  private static long generatedKey(PreparedStatement ps, String table) throws SQLException {
    try (ResultSet keys = ps.getGeneratedKeys()) {
      if (!keys.next()) {
        throw new SQLException("the database returned no generated key for the row inserted into " + table);
      }
      return keys.getLong(1);
    }
  }

  @Override
  public Optional<Intent> intent(long id) {
    return read(
        "reading intent " + id,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.INTENT_SELECT))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(intent(rs)) : Optional.<Intent>empty();
            }
          }
        });
  }

  @Override
  public List<Intent> pendingIntents(Collection<GroupName> groups) {
    if (groups.isEmpty()) {
      return List.of();
    }
    Set<String> wanted = new HashSet<>();
    groups.forEach(g -> wanted.add(g.value()));
    return read(
        "reading the pending intents",
        c -> {
          List<Intent> intents = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.INTENT_SELECT_PENDING));
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              if (wanted.contains(rs.getString("group_name"))) {
                intents.add(intent(rs));
              }
            }
          }
          return intents;
        });
  }

  @Override
  public List<Intent> intents(@Nullable GroupName group, int limit) {
    int max = Math.max(0, limit);
    return read(
        "reading the intents",
        c -> {
          List<Intent> intents = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(sql.get(group == null ? Query.INTENT_SELECT_RECENT : Query.INTENT_SELECT_GROUP))) {
            int p = 1;
            if (group != null) {
              ps.setString(p++, group.value());
            }
            ps.setInt(p, max);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                intents.add(intent(rs));
              }
            }
          }
          return intents;
        });
  }

  @Override
  public Intent completeIntent(long id, long expectedVersion, IntentStatus status, String message, Instant at) {
    if (status == IntentStatus.PENDING) {
      throw new IllegalArgumentException("intent " + id + ": completing it needs a final status, not PENDING");
    }
    String kept = message.length() > Intent.MAX_TEXT ? message.substring(0, Intent.MAX_TEXT - 3) + "..." : message;
    return read(
        "completing intent " + id,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.INTENT_COMPLETE))) {
            ps.setString(1, status.name());
            ps.setString(2, kept);
            ps.setBigDecimal(3, Codec.seconds(at));
            ps.setLong(4, expectedVersion + 1);
            ps.setLong(5, id);
            ps.setLong(6, expectedVersion);
            if (ps.executeUpdate() == 1) {
              try (PreparedStatement q = c.prepareStatement(sql.get(Query.INTENT_SELECT))) {
                q.setLong(1, id);
                try (ResultSet rs = q.executeQuery()) {
                  if (rs.next()) {
                    return intent(rs);
                  }
                }
              }
            }
          }
          try (PreparedStatement q = c.prepareStatement(sql.get(Query.INTENT_SELECT))) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
              if (!rs.next()) {
                throw new StateStoreException(Reason.CONFLICT, "intent " + id + " is not stored");
              }
              Intent current = intent(rs);
              throw new StateStoreException(
                  Reason.CONFLICT,
                  "intent " + id + " completed at version " + expectedVersion + " but version " + current.version()
                      + " is stored (" + current.status() + "): another engine finished it");
            }
          }
        });
  }

  private Intent intent(ResultSet rs) throws SQLException {
    long id = rs.getLong("id");
    try {
      String cloud = rs.getString("cloud");
      String vm = rs.getString("vm");
      return new Intent(
          id,
          IntentKind.valueOf(rs.getString("kind")),
          GroupName.of(rs.getString("group_name")),
          cloud == null ? null : CloudName.of(cloud),
          vm == null ? null : VmId.of(vm),
          Codec.parse(rs.getString("parameters")),
          Actor.of(rs.getString("actor_name"), rs.getString("actor_role")),
          Codec.instant(rs.getBigDecimal("created_at")),
          IntentStatus.valueOf(rs.getString("status")),
          rs.getString("message"),
          Codec.instantOrNull(rs.getBigDecimal("completed_at")),
          rs.getLong("version"));
    } catch (RuntimeException e) {
      throw corrupt("table csv2_intent, id " + id, e);
    }
  }

  @Override
  public List<AuditEntry> audit(Instant since, int limit) {
    return read(
        "reading the audit log",
        c -> {
          List<AuditEntry> entries = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.AUDIT_SELECT_SINCE))) {
            ps.setBigDecimal(1, Codec.seconds(since));
            ps.setInt(2, Math.max(0, limit));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                long seq = rs.getLong("seq");
                try {
                  entries.add(
                      new AuditEntry(
                          seq,
                          Codec.instant(rs.getBigDecimal("occurred_at")),
                          Actor.of(rs.getString("actor_name"), rs.getString("actor_role")),
                          rs.getString("action"),
                          rs.getString("target"),
                          rs.getString("before_text"),
                          rs.getString("after_text")));
                } catch (RuntimeException e) {
                  throw corrupt("table csv2_audit, seq " + seq, e);
                }
              }
            }
          }
          return entries;
        });
  }

  @Override
  public void saveStatus(GroupStatus status) {
    String document = StatusCodec.write(status);
    String what = "saving the status of group " + status.group();
    transaction(
        what,
        conn -> {
          try (PreparedStatement ps = conn.prepareStatement(sql.get(Query.STATUS_UPDATE))) {
            ps.setBigDecimal(1, Codec.seconds(status.at()));
            ps.setString(2, status.engine());
            ps.setString(3, document);
            ps.setString(4, status.group().value());
            if (ps.executeUpdate() == 1) {
              return 1;
            }
          }
          try (PreparedStatement ps = conn.prepareStatement(sql.get(Query.STATUS_INSERT))) {
            ps.setString(1, status.group().value());
            ps.setBigDecimal(2, Codec.seconds(status.at()));
            ps.setString(3, status.engine());
            ps.setString(4, document);
            return ps.executeUpdate();
          }
        },
        // another engine inserted the group's first snapshot at the same moment
        e -> new StateStoreException(Reason.CONFLICT, what + ": another engine saved it at the same time", e));
  }

  @Override
  public List<GroupStatus> statuses() {
    return read(
        "reading the status snapshots",
        c -> {
          List<GroupStatus> statuses = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.STATUS_SELECT_ALL));
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String group = rs.getString("group_name");
              try {
                statuses.add(StatusCodec.read(rs.getString("document")));
              } catch (RuntimeException e) {
                throw corrupt("table csv2_status, group " + group, e);
              }
            }
          }
          statuses.sort(Comparator.comparing(GroupStatus::group));
          return statuses;
        });
  }

  // usage records and what was sent of them (V40, docs/accounting.md)

  private static final com.fasterxml.jackson.databind.ObjectMapper USAGE_JSON =
      com.fasterxml.jackson.databind.json.JsonMapper.builder().build();

  @Override
  public List<VmUsage> usage(Instant from, Instant to) {
    return read(
        "reading usage records",
        c -> {
          List<VmUsage> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.USAGE_SELECT))) {
            ps.setBigDecimal(1, Codec.seconds(to));
            ps.setBigDecimal(2, Codec.seconds(from));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                String uuid = rs.getString("uuid");
                try {
                  out.add(usageOf(rs));
                } catch (RuntimeException e) {
                  throw corrupt("table csv2_vm_usage, uuid " + uuid, e);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                  throw corrupt("table csv2_vm_usage, uuid " + uuid, new IllegalArgumentException(e.getOriginalMessage(), e));
                }
              }
            }
          }
          return out;
        });
  }

  private static VmUsage usageOf(ResultSet rs) throws SQLException, com.fasterxml.jackson.core.JsonProcessingException {
    List<String> users = List.of(USAGE_JSON.readValue(rs.getString("users"), String[].class));
    Map<String, Double> open =
        USAGE_JSON.readValue(
            rs.getString("open_jobs"), new com.fasterxml.jackson.core.type.TypeReference<java.util.TreeMap<String, Double>>() {});
    return new VmUsage(
        VmId.of(rs.getString("vm")),
        rs.getString("uuid"),
        GroupName.of(rs.getString("group_name")),
        CloudName.of(rs.getString("cloud")),
        FlavorName.of(rs.getString("flavor")),
        rs.getString("image"),
        rs.getInt("cores"),
        rs.getLong("ram_mib"),
        rs.getLong("disk_gib"),
        Codec.instant(rs.getBigDecimal("start_at")),
        Codec.instantOrNull(rs.getBigDecimal("end_at")),
        rs.getLong("suspend_seconds"),
        Codec.instantOrNull(rs.getBigDecimal("suspended_since")),
        rs.getDouble("cpu_seconds"),
        rs.getBoolean("cpu_measured"),
        new java.util.TreeSet<>(users),
        open,
        rs.getDouble("price_per_hour"),
        Codec.instant(rs.getBigDecimal("updated_at")));
  }

  private static void bindUsage(PreparedStatement ps, VmUsage u) throws SQLException {
    try {
      ps.setString(1, u.vm().value());
      ps.setString(2, u.group().value());
      ps.setString(3, u.cloud().value());
      ps.setString(4, u.flavor().value());
      ps.setString(5, u.image());
      ps.setInt(6, u.cores());
      ps.setLong(7, u.ramMiB());
      ps.setLong(8, u.diskGiB());
      ps.setBigDecimal(9, Codec.seconds(u.start()));
      ps.setBigDecimal(10, Codec.secondsOrNull(u.end()));
      ps.setLong(11, u.suspendSeconds());
      ps.setBigDecimal(12, Codec.secondsOrNull(u.suspendedSince()));
      ps.setDouble(13, u.cpuSeconds());
      ps.setBoolean(14, u.cpuMeasured());
      ps.setString(15, USAGE_JSON.writeValueAsString(u.users()));
      ps.setString(16, USAGE_JSON.writeValueAsString(u.openJobs()));
      ps.setDouble(17, u.pricePerHour());
      ps.setBigDecimal(18, Codec.seconds(u.updatedAt()));
      ps.setString(19, u.uuid());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("encoding the usage of " + u.vm(), e);
    }
  }

  @Override
  public void saveUsage(List<VmUsage> records) {
    if (records.isEmpty()) {
      return;
    }
    transaction(
        "saving " + records.size() + " usage record(s)",
        c -> {
          List<VmUsage> missing = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.USAGE_UPDATE))) {
            for (VmUsage u : records) {
              bindUsage(ps, u);
              ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < records.size(); i++) {
              if (i >= counts.length || counts[i] == 0) {
                missing.add(records.get(i));
              }
            }
          }
          if (!missing.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(sql.get(Query.USAGE_INSERT))) {
              for (VmUsage u : missing) {
                bindUsage(ps, u);
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          return missing.size();
        },
        e -> new StateStoreException(Reason.CONFLICT, "saving usage records: another engine saved them at the same time", e));
  }

  @Override
  public Map<String, String> accountingSent() {
    return read(
        "reading the sent accounting records",
        c -> {
          Map<String, String> out = new HashMap<>();
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.ACCOUNTING_SENT_SELECT));
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.put(rs.getString("record_key"), rs.getString("fingerprint"));
            }
          }
          return out;
        });
  }

  @Override
  public List<AccountingBatch> accountingBatches() {
    return read(
        "reading the prepared accounting batches",
        c -> {
          List<AccountingBatch> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.ACCOUNTING_BATCH_SELECT));
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(batchOf(rs));
            }
          }
          return out;
        });
  }

  private static AccountingBatch batchOf(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    Map<String, String> entries = new LinkedHashMap<>();
    for (String line : rs.getString("entries").split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      int sp = line.lastIndexOf(' ');
      if (sp <= 0) {
        throw corrupt("table csv2_accounting_batch, id " + id, new IllegalArgumentException("entry without fingerprint"));
      }
      entries.put(line.substring(0, sp), line.substring(sp + 1));
    }
    return new AccountingBatch(id, Codec.instant(rs.getBigDecimal("created_at")), entries);
  }

  @Override
  public void prepareAccountingBatch(AccountingBatch batch) {
    StringBuilder entries = new StringBuilder();
    for (Map.Entry<String, String> e : batch.entries().entrySet()) {
      if (e.getKey().indexOf('\n') >= 0 || e.getValue().indexOf(' ') >= 0 || e.getValue().indexOf('\n') >= 0) {
        throw new IllegalArgumentException("accounting batch " + batch.id() + ": malformed entry " + e.getKey());
      }
      entries.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
    }
    String what = "preparing accounting batch " + batch.id();
    transaction(
        what,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.ACCOUNTING_BATCH_INSERT))) {
            ps.setString(1, batch.id());
            ps.setBigDecimal(2, Codec.seconds(batch.createdAt()));
            ps.setString(3, entries.toString());
            return ps.executeUpdate();
          }
        },
        e -> new StateStoreException(Reason.CONFLICT, what + ": a batch of that id exists", e));
  }

  @Override
  public boolean recordAccountingBatch(String id) {
    String what = "recording accounting batch " + id + " as sent";
    return transaction(
        what,
        c -> {
          AccountingBatch batch;
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.ACCOUNTING_BATCH_SELECT_ONE))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return false;
              }
              batch = batchOf(rs);
            }
          }
          BigDecimal at = Codec.seconds(batch.createdAt());
          List<String> missing = new ArrayList<>();
          List<String> keys = new ArrayList<>(batch.entries().keySet());
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.ACCOUNTING_SENT_UPDATE))) {
            for (String k : keys) {
              ps.setString(1, batch.entries().get(k));
              ps.setBigDecimal(2, at);
              ps.setString(3, k);
              ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < keys.size(); i++) {
              if (i >= counts.length || counts[i] == 0) {
                missing.add(keys.get(i));
              }
            }
          }
          if (!missing.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(sql.get(Query.ACCOUNTING_SENT_INSERT))) {
              for (String k : missing) {
                ps.setString(1, k);
                ps.setString(2, batch.entries().get(k));
                ps.setBigDecimal(3, at);
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.ACCOUNTING_BATCH_DELETE))) {
            ps.setString(1, id);
            ps.executeUpdate();
          }
          return true;
        },
        e -> new StateStoreException(Reason.CONFLICT, what + ": another process recorded it at the same time", e));
  }

  private static StateStoreException configConflict(long expected, long stored, @Nullable Throwable cause) {
    String message =
        String.format(
            "configuration: version %d was read but version %d is stored now (somebody saved"
                + " first); re-read the configuration and apply the change again",
            expected, stored);
    return cause == null
        ? new StateStoreException(Reason.CONFLICT, message)
        : new StateStoreException(Reason.CONFLICT, message, cause);
  }

  // ---------------------------------------------------------------- leases

  @Override
  public Optional<Lease> tryLease(GroupName group, String owner, Instant now, Duration ttl) {
    if (owner.isBlank()) {
      throw new IllegalArgumentException("lease owner must not be blank");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("lease ttl must be positive, was " + ttl);
    }
    Instant expires = now.plus(ttl);
    return read(
        "taking the lease on group " + group + " for " + owner,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.LEASE_RENEW))) {
            ps.setString(1, owner);
            ps.setBigDecimal(2, Codec.seconds(expires));
            ps.setString(3, group.value());
            ps.setString(4, owner);
            ps.setBigDecimal(5, Codec.seconds(now));
            if (ps.executeUpdate() == 1) {
              return Optional.of(new Lease(group, owner, expires));
            }
          }
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.LEASE_INSERT))) {
            ps.setString(1, group.value());
            ps.setString(2, owner);
            ps.setBigDecimal(3, Codec.seconds(expires));
            ps.executeUpdate();
            return Optional.of(new Lease(group, owner, expires));
          } catch (SQLException e) {
            if (isIntegrityViolation(e)) {
              // another engine holds the lease, or inserted it first in a race: the key decided
              return Optional.<Lease>empty();
            }
            throw e;
          }
        });
  }

  @Override
  public void releaseLease(GroupName group, String owner) {
    read(
        "releasing the lease on group " + group + " for " + owner,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.LEASE_RELEASE))) {
            ps.setString(1, group.value());
            ps.setString(2, owner);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public List<Lease> leases() {
    return read(
        "reading the leases",
        c -> {
          List<Lease> leases = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.LEASE_SELECT_ALL));
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String group = rs.getString("group_name");
              try {
                leases.add(
                    new Lease(
                        GroupName.of(group),
                        rs.getString("owner"),
                        Codec.instant(rs.getBigDecimal("expires"))));
              } catch (RuntimeException e) {
                throw corrupt("table csv2_lease, group " + group, e);
              }
            }
          }
          leases.sort(Comparator.comparing(Lease::group));
          return leases;
        });
  }

  // ---------------------------------------------------------------- reservations

  /** Clouds whose ledger row this store has made sure of (rows are never deleted). */
  private final Set<CloudName> ledgerRows = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @Override
  public Booking book(Reservation request, List<ReservationCapacity> clouds) {
    if (request.id() != 0 || request.state() != ReservationState.REQUESTED) {
      throw new IllegalArgumentException("book: a new REQUESTED reservation, was " + request.describe());
    }
    for (ReservationCapacity c : clouds) {
      ensureLedgerRow(c.cloud());
    }
    return transaction(
        "booking " + request.describe(),
        conn -> {
          // lock every candidate's row in name order (two bookings never wait for each other in a
          // circle), then try them in the caller's order
          List<CloudName> order = clouds.stream().map(ReservationCapacity::cloud).distinct().sorted().toList();
          for (CloudName c : order) {
            lockLedger(conn, c);
          }
          List<String> refusals = new ArrayList<>();
          for (ReservationCapacity c : clouds) {
            Reservation candidate = request.on(c.cloud());
            String why = ReservationLedger.conflict(c, holding(conn, c.cloud(), request.start(), request.end()), candidate);
            if (why == null) {
              Reservation confirmed = candidate.moved(ReservationState.CONFIRMED, "", request.created());
              countLedger(conn, c.cloud());
              return new Booking(confirmed.stored(insertReservation(conn, confirmed), 1), null);
            }
            refusals.add(why);
          }
          String refusal = clouds.isEmpty() ? "no cloud to book on" : String.join("; ", refusals);
          Reservation refused = request.moved(ReservationState.REFUSED, refusal, request.created());
          return new Booking(refused.stored(insertReservation(conn, refused), 1), refusal);
        },
        e -> null);
  }

  @Override
  public Booking extendReservation(long id, long expectedVersion, Instant newEnd, ReservationCapacity capacity) {
    ensureLedgerRow(capacity.cloud());
    return transaction(
        "extending reservation " + id + " to " + newEnd,
        conn -> {
          lockLedger(conn, capacity.cloud());
          Reservation current = readReservation(conn, id).orElse(null);
          if (current == null || current.version() != expectedVersion) {
            throw reservationConflict(id, expectedVersion, current);
          }
          Reservation candidate = current.endingAt(newEnd);
          String why =
              ReservationLedger.conflict(
                  capacity, holding(conn, capacity.cloud(), candidate.start(), candidate.end()), candidate);
          if (why != null) {
            return new Booking(current, why);
          }
          try (PreparedStatement ps = conn.prepareStatement(sql.get(Query.RESERVATION_EXTEND))) {
            ps.setBigDecimal(1, Codec.seconds(newEnd));
            ps.setLong(2, expectedVersion + 1);
            ps.setLong(3, id);
            ps.setLong(4, expectedVersion);
            if (ps.executeUpdate() != 1) {
              throw reservationConflict(id, expectedVersion, null);
            }
          }
          countLedger(conn, capacity.cloud());
          return new Booking(candidate.stored(id, expectedVersion + 1), null);
        },
        e -> null);
  }

  @Override
  public Optional<Reservation> reservation(long id) {
    return read("reading reservation " + id, c -> readReservation(c, id));
  }

  @Override
  public List<Reservation> reservations(@Nullable GroupName group, Instant from, Instant to) {
    return read(
        "reading the reservations of [" + from + ", " + to + ")",
        c -> {
          List<Reservation> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.RESERVATION_SELECT_WINDOW))) {
            ps.setBigDecimal(1, Codec.seconds(to));
            ps.setBigDecimal(2, Codec.seconds(from));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                Reservation r = reservation(rs);
                if (group == null || group.equals(r.group())) {
                  out.add(r);
                }
              }
            }
          }
          return out;
        });
  }

  @Override
  public Reservation updateReservation(Reservation r) {
    return transaction(
        "updating " + r.describe(),
        conn -> {
          try (PreparedStatement ps = conn.prepareStatement(sql.get(Query.RESERVATION_UPDATE))) {
            ps.setString(1, r.state().name());
            ps.setString(2, r.reason());
            ps.setBigDecimal(3, Codec.seconds(r.stateSince()));
            ps.setBigDecimal(4, Codec.secondsOrNull(r.warnedAt()));
            ps.setString(5, vmList(r.vms()));
            ps.setLong(6, r.version() + 1);
            ps.setLong(7, r.id());
            ps.setLong(8, r.version());
            if (ps.executeUpdate() != 1) {
              throw reservationConflict(r.id(), r.version(), readReservation(conn, r.id()).orElse(null));
            }
          }
          return readReservation(conn, r.id()).orElseThrow();
        },
        e -> null);
  }

  private static StateStoreException reservationConflict(long id, long expected, @Nullable Reservation current) {
    return new StateStoreException(
        Reason.CONFLICT,
        "reservation " + id + " at version " + expected + ": "
            + (current == null ? "it is not stored, or another writer changed it" : "version " + current.version()
                + " is stored (another writer changed it); read it again"));
  }

  /** Makes sure a cloud has its ledger row, in its own short transaction (a duplicate is fine). */
  private void ensureLedgerRow(CloudName cloud) {
    if (ledgerRows.contains(cloud)) {
      return;
    }
    checkOpen();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql.get(Query.LEDGER_INSERT))) {
      c.setAutoCommit(true);
      ps.setString(1, cloud.value());
      ps.executeUpdate();
    } catch (SQLException e) {
      if (!isIntegrityViolation(e)) {
        throw failure("creating the reservation ledger row of cloud " + cloud, e);
      }
    }
    ledgerRows.add(cloud);
  }

  private void lockLedger(Connection conn, CloudName cloud) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(sql.get(Query.LEDGER_LOCK))) {
      ps.setString(1, cloud.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the reservation ledger has no row for cloud " + cloud);
        }
      }
    }
  }

  private void countLedger(Connection conn, CloudName cloud) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(sql.get(Query.LEDGER_COUNT))) {
      ps.setString(1, cloud.value());
      ps.executeUpdate();
    }
  }

  private List<Reservation> holding(Connection conn, CloudName cloud, Instant from, Instant to) throws SQLException {
    List<Reservation> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(sql.get(Query.RESERVATION_SELECT_HOLDING))) {
      ps.setString(1, cloud.value());
      ps.setBigDecimal(2, Codec.seconds(to));
      ps.setBigDecimal(3, Codec.seconds(from));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(reservation(rs));
        }
      }
    }
    return out;
  }

  private long insertReservation(Connection conn, Reservation r) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(sql.get(Query.RESERVATION_INSERT), new String[] {"id"})) {
      ps.setString(1, r.owner());
      ps.setString(2, r.group().value());
      ps.setString(3, r.cloud() == null ? null : r.cloud().value());
      ps.setInt(4, r.anyCloud() ? 1 : 0);
      ps.setString(5, r.flavor() == null ? null : r.flavor().value());
      ps.setInt(6, r.cores());
      ps.setLong(7, r.ramMiB());
      ps.setInt(8, r.count());
      ps.setString(9, r.image());
      ps.setString(10, r.userData());
      ps.setString(11, r.sshKey());
      ps.setBigDecimal(12, Codec.seconds(r.start()));
      ps.setBigDecimal(13, Codec.seconds(r.end()));
      ps.setString(14, r.state().name());
      ps.setString(15, r.reason());
      ps.setBigDecimal(16, Codec.seconds(r.created()));
      ps.setBigDecimal(17, Codec.seconds(r.stateSince()));
      ps.setBigDecimal(18, Codec.secondsOrNull(r.warnedAt()));
      ps.setString(19, vmList(r.vms()));
      ps.setLong(20, 1L);
      ps.executeUpdate();
      return generatedKey(ps, "csv2_reservation");
    }
  }

  private Optional<Reservation> readReservation(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.get(Query.RESERVATION_SELECT))) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(reservation(rs)) : Optional.<Reservation>empty();
      }
    }
  }

  /** VM names are [a-z0-9-] (VmId), so a space separates them. */
  private static String vmList(List<VmId> vms) {
    return vms.stream().map(VmId::value).collect(java.util.stream.Collectors.joining(" "));
  }

  private Reservation reservation(ResultSet rs) throws SQLException {
    long id = rs.getLong("id");
    try {
      String cloud = rs.getString("cloud");
      String flavor = rs.getString("flavor");
      String vms = rs.getString("vms");
      return new Reservation(
          id,
          rs.getString("owner_name"),
          GroupName.of(rs.getString("group_name")),
          cloud == null ? null : CloudName.of(cloud),
          rs.getInt("any_cloud") != 0,
          flavor == null ? null : FlavorName.of(flavor),
          rs.getInt("cores"),
          rs.getLong("ram_mib"),
          rs.getInt("vm_count"),
          rs.getString("image"),
          rs.getString("user_data"),
          rs.getString("ssh_key"),
          Codec.instant(rs.getBigDecimal("start_at")),
          Codec.instant(rs.getBigDecimal("end_at")),
          ReservationState.valueOf(rs.getString("state")),
          rs.getString("reason"),
          Codec.instant(rs.getBigDecimal("created_at")),
          Codec.instant(rs.getBigDecimal("state_since")),
          Codec.instantOrNull(rs.getBigDecimal("warned_at")),
          vms == null || vms.isBlank() ? List.of() : java.util.Arrays.stream(vms.split(" ")).map(VmId::of).toList(),
          rs.getLong("version"));
    } catch (RuntimeException e) {
      throw corrupt("table csv2_reservation, id " + id, e);
    }
  }

  // ---------------------------------------------------------------- users and tokens

  @Override
  public List<User> users() {
    return read(
        "reading the users",
        c -> {
          Map<String, Set<GroupName>> groups = new HashMap<>();
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.USER_GROUP_SELECT_ALL));
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              groups.computeIfAbsent(rs.getString("user_name"), k -> new HashSet<>()).add(groupName(rs));
            }
          }
          List<User> users = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.USER_SELECT_ALL));
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              users.add(user(rs, groups.getOrDefault(rs.getString("name"), Set.of())));
            }
          }
          return users;
        });
  }

  @Override
  public Optional<User> user(String name) {
    return read("reading user " + name, c -> readUser(c, name));
  }

  private Optional<User> readUser(Connection c, String name) throws SQLException {
    Set<GroupName> groups = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql.get(Query.USER_GROUP_SELECT))) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          groups.add(groupName(rs));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(sql.get(Query.USER_SELECT))) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(user(rs, groups)) : Optional.empty();
      }
    }
  }

  private static GroupName groupName(ResultSet rs) throws SQLException {
    String g = rs.getString("group_name");
    try {
      return GroupName.of(g);
    } catch (RuntimeException e) {
      throw corrupt("table csv2_user_group, user " + rs.getString("user_name"), e);
    }
  }

  private static User user(ResultSet rs, Set<GroupName> groups) throws SQLException {
    String name = rs.getString("name");
    try {
      String defaultGroup = rs.getString("default_group");
      return new User(
          name,
          rs.getString("password_hash"),
          rs.getInt("is_admin") != 0,
          groups,
          defaultGroup == null ? null : GroupName.of(defaultGroup),
          rs.getInt("refresh_seconds"),
          rs.getLong("version"));
    } catch (RuntimeException e) {
      throw corrupt("table csv2_user, user " + name, e);
    }
  }

  @Override
  public User saveUser(User user, long expectedVersion) {
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expected version must be >= 0, was " + expectedVersion);
    }
    checkOpen();
    User saved = user.withVersion(expectedVersion + 1);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        int rows;
        if (expectedVersion == 0) {
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.USER_INSERT))) {
            ps.setString(1, saved.name());
            ps.setString(2, saved.passwordHash());
            ps.setInt(3, saved.admin() ? 1 : 0);
            setString(ps, 4, saved.defaultGroup() == null ? null : saved.defaultGroup().value());
            ps.setInt(5, saved.refreshSeconds());
            ps.setLong(6, saved.version());
            rows = ps.executeUpdate();
          }
        } else {
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.USER_UPDATE))) {
            ps.setString(1, saved.passwordHash());
            ps.setInt(2, saved.admin() ? 1 : 0);
            setString(ps, 3, saved.defaultGroup() == null ? null : saved.defaultGroup().value());
            ps.setInt(4, saved.refreshSeconds());
            ps.setLong(5, saved.version());
            ps.setString(6, saved.name());
            ps.setLong(7, expectedVersion);
            rows = ps.executeUpdate();
          }
        }
        if (rows != 1) {
          throw userConflict(saved.name(), expectedVersion, null);
        }
        try (PreparedStatement ps = c.prepareStatement(sql.get(Query.USER_GROUP_DELETE))) {
          ps.setString(1, saved.name());
          ps.executeUpdate();
        }
        if (!saved.groups().isEmpty()) {
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.USER_GROUP_INSERT))) {
            for (GroupName g : saved.groups()) {
              ps.setString(1, saved.name());
              ps.setString(2, g.value());
              ps.addBatch();
            }
            ps.executeBatch();
          }
        }
        c.commit();
        LOG.info("state store {}: user {} saved (version {})", where, saved.name(), saved.version());
        return saved;
      } catch (SQLException e) {
        rollback(c, e);
        if (isIntegrityViolation(e)) {
          throw userConflict(saved.name(), expectedVersion, e);
        }
        throw e;
      } catch (RuntimeException e) {
        rollback(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw failure("saving user " + user.name(), e);
    }
  }

  private static StateStoreException userConflict(String name, long expected, @Nullable Throwable cause) {
    String message =
        "user "
            + name
            + ": version "
            + expected
            + " was read but another version is stored now; read the user again and reapply the change";
    return cause == null
        ? new StateStoreException(Reason.CONFLICT, message)
        : new StateStoreException(Reason.CONFLICT, message, cause);
  }

  @Override
  public boolean deleteUser(String name) {
    checkOpen();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        for (Query q : List.of(Query.TOKEN_DELETE_USER, Query.USER_GROUP_DELETE)) {
          try (PreparedStatement ps = c.prepareStatement(sql.get(q))) {
            ps.setString(1, name);
            ps.executeUpdate();
          }
        }
        int rows;
        try (PreparedStatement ps = c.prepareStatement(sql.get(Query.USER_DELETE))) {
          ps.setString(1, name);
          rows = ps.executeUpdate();
        }
        c.commit();
        return rows > 0;
      } catch (SQLException | RuntimeException e) {
        rollback(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw failure("deleting user " + name, e);
    }
  }

  @Override
  public void saveToken(ApiToken token) {
    read(
        "saving a token of user " + token.user(),
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.TOKEN_INSERT))) {
            ps.setString(1, token.id());
            ps.setString(2, token.user());
            ps.setString(3, token.secretHash());
            ps.setString(4, token.label());
            ps.setBigDecimal(5, Codec.seconds(token.created()));
            ps.setBigDecimal(6, Codec.secondsOrNull(token.expires()));
            return ps.executeUpdate();
          } catch (SQLException e) {
            if (isIntegrityViolation(e)) {
              throw new StateStoreException(
                  Reason.CONFLICT,
                  "token " + token.id() + " of user " + token.user() + ": the id exists or the user does not",
                  e);
            }
            throw e;
          }
        });
  }

  @Override
  public Optional<ApiToken> token(String id) {
    return read(
        "reading a token",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.TOKEN_SELECT))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(token(rs)) : Optional.<ApiToken>empty();
            }
          }
        });
  }

  @Override
  public List<ApiToken> tokens(String user) {
    return read(
        "reading the tokens of user " + user,
        c -> {
          List<ApiToken> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.TOKEN_SELECT_USER))) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(token(rs));
              }
            }
          }
          return out;
        });
  }

  private static ApiToken token(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    try {
      return new ApiToken(
          id,
          rs.getString("user_name"),
          rs.getString("secret_hash"),
          rs.getString("label"),
          Codec.instant(rs.getBigDecimal("created_at")),
          Codec.instantOrNull(rs.getBigDecimal("expires_at")));
    } catch (RuntimeException e) {
      throw corrupt("table csv2_api_token, token " + id, e);
    }
  }

  @Override
  public boolean deleteToken(String id) {
    return read(
        "deleting a token",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.TOKEN_DELETE))) {
            ps.setString(1, id);
            return ps.executeUpdate() > 0;
          }
        });
  }

  // ---------------------------------------------------------------- images (V50, JdbcImages)

  @Override
  public org.csv2.api.ops.ImageTransfer saveTransfer(org.csv2.api.ops.ImageTransfer transfer) {
    return read("saving image transfer " + transfer.id() + " (" + transfer.image() + ")", c -> JdbcImages.save(c, transfer));
  }

  @Override
  public Optional<org.csv2.api.ops.ImageTransfer> transfer(long id) {
    return read("reading image transfer " + id, c -> JdbcImages.get(c, id));
  }

  @Override
  public List<org.csv2.api.ops.ImageTransfer> transfers(boolean activeOnly, int limit) {
    return read("reading image transfers", c -> JdbcImages.list(c, activeOnly, limit));
  }

  @Override
  public void saveKeyPair(org.csv2.api.ops.StoredKeyPair key) {
    read("saving key pair " + key.name(), c -> {
      JdbcImages.saveKey(c, key);
      return null;
    });
  }

  @Override
  public List<org.csv2.api.ops.StoredKeyPair> keyPairs() {
    return read("reading key pairs", JdbcImages::keys);
  }

  @Override
  public boolean deleteKeyPair(String name) {
    return read("deleting key pair " + name, c -> JdbcImages.deleteKey(c, name));
  }

  // ------------------------------------------------- image matrix, actions (V120, JdbcCloudImages)

  @Override
  public void saveCloudImages(org.csv2.model.CloudName cloud, List<org.csv2.model.Image> images, Instant readAt) {
    read("recording the images of cloud " + cloud, c -> {
      JdbcCloudImages.saveCloud(c, cloud, images, readAt);
      return null;
    });
  }

  @Override
  public void saveCloudImage(org.csv2.api.ops.CloudImage image) {
    read("recording image " + image.id() + " of cloud " + image.cloud(), c -> {
      JdbcCloudImages.saveOne(c, image);
      return null;
    });
  }

  @Override
  public boolean deleteCloudImage(org.csv2.model.CloudName cloud, String id) {
    return read("forgetting image " + id + " of cloud " + cloud, c -> JdbcCloudImages.delete(c, cloud, id));
  }

  @Override
  public List<org.csv2.api.ops.CloudImage> cloudImages() {
    return read("reading the clouds' images", JdbcCloudImages::all);
  }

  @Override
  public org.csv2.api.ops.ImageAction saveImageAction(org.csv2.api.ops.ImageAction action) {
    return read("saving image action " + action.id() + " (" + action.kind() + " " + action.name() + ")",
        c -> JdbcCloudImages.saveAction(c, action));
  }

  @Override
  public List<org.csv2.api.ops.ImageAction> imageActions(boolean activeOnly, int limit) {
    return read("reading image actions", c -> JdbcCloudImages.actions(c, activeOnly, limit));
  }

  // ---------------------------------------------------------------- plumbing

  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && pool != null) {
      try {
        pool.close();
      } catch (Exception e) {
        LOG.warn("state store {}: closing the connection pool failed: {}", where, rootMessage(e, secrets));
      }
    }
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T read(String what, Work<T> work) {
    checkOpen();
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new StateStoreException(
          Reason.UNAVAILABLE, "state store " + where + " is closed; the engine is shutting down");
    }
  }

  private void rollback(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** SQL class 23: the only constraints of the schema are primary keys, so a duplicate key. */
  private static boolean isIntegrityViolation(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      String state = s.getSQLState();
      if (state != null && state.startsWith("23")) {
        return true;
      }
      if (s.getCause() instanceof SQLException cause && cause != s) {
        String cs = cause.getSQLState();
        if (cs != null && cs.startsWith("23")) {
          return true;
        }
      }
    }
    return false;
  }

  private StateStoreException failure(String what, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    Reason reason;
    if (state.startsWith("40")) {
      reason = Reason.CONFLICT;
    } else if (state.startsWith("22") && !(e instanceof SQLTransientException)) {
      reason = Reason.CORRUPT;
    } else {
      reason = Reason.UNAVAILABLE;
    }
    String message =
        "state store "
            + where
            + ": "
            + what
            + " failed: "
            + rootMessage(e, secrets)
            + (state.isEmpty() ? "" : " (SQLState " + state + ")")
            + (reason == Reason.CONFLICT
                ? "; another engine or thread wrote at the same time: re-read and retry"
                : reason == Reason.CORRUPT
                    ? "; a value does not fit its column"
                    : "; check that the database server runs and is reachable");
    return leaksSecret(e, secrets)
        ? new StateStoreException(reason, message)
        : new StateStoreException(reason, message, e);
  }

  private static StateStoreException unavailable(
      String where, List<String> secrets, String message, Exception e) {
    String m = "state store " + where + ": " + message;
    return leaksSecret(e, secrets)
        ? new StateStoreException(Reason.UNAVAILABLE, m)
        : new StateStoreException(Reason.UNAVAILABLE, m, e);
  }

  private static StateStoreException corrupt(String where, RuntimeException e) {
    return new StateStoreException(
        Reason.CORRUPT,
        where + ": a stored row cannot be read back (" + e.getMessage() + "); fix or delete the row",
        e);
  }

  /** The innermost message of a failure, with secrets replaced by {@code ****}. */
  static String rootMessage(Throwable e, List<String> secrets) {
    // the deepest cause, guarded against cause chains that loop (A -> B -> A)
    Throwable t = e;
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    while (seen.add(t) && t.getCause() != null && !seen.contains(t.getCause()) && seen.size() < MAX_CHAIN) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return Redaction.url(Redaction.text(m.strip(), secrets));
  }

  /** The most throwables a failure's chain (causes and suppressed) is searched through. */
  static final int MAX_CHAIN = 256;

  /**
   * Whether any message in a failure's chain (causes and suppressed exceptions, each visited once:
   * a chain that loops, as H2's "file is locked" chains can, ends the search) contains a secret.
   */
  static boolean leaksSecret(Throwable e, List<String> secrets) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Throwable> todo = new ArrayDeque<>();
    todo.push(e);
    while (!todo.isEmpty()) {
      Throwable t = todo.pop();
      if (!seen.add(t)) {
        continue;
      }
      if (seen.size() > MAX_CHAIN) {
        return true; // too deep to tell: keep the chain out of the exception, to be safe
      }
      String m = t.getMessage();
      if (m != null) {
        for (String s : secrets) {
          if (!s.isBlank() && m.contains(s)) {
            return true;
          }
        }
        if (!Redaction.url(m).equals(m)) {
          return true;
        }
      }
      if (t.getCause() != null) {
        todo.push(t.getCause());
      }
      for (Throwable sup : t.getSuppressed()) {
        todo.push(sup);
      }
    }
    return false;
  }

  /** The least time a statement may wait for the server's answer before the driver gives up. */
  static final Duration MIN_SOCKET_TIMEOUT = Duration.ofSeconds(60);

  /**
   * The driver's own login and socket timeouts, so that a server that accepts the connection but
   * never answers cannot block {@link #open} (or any call) forever: the login waits at most {@code
   * connect-timeout}, a statement's answer at most six times that, and never less than a minute.
   */
  static Properties withTimeouts(Properties properties, Dialect dialect, Duration connectTimeout) {
    Duration socket = connectTimeout.multipliedBy(6);
    if (socket.compareTo(MIN_SOCKET_TIMEOUT) < 0) {
      socket = MIN_SOCKET_TIMEOUT;
    }
    long connectSeconds = Math.max(1, (connectTimeout.toMillis() + 999) / 1000);
    switch (dialect) {
      case POSTGRESQL -> {
        properties.putIfAbsent("connectTimeout", Long.toString(connectSeconds));
        properties.putIfAbsent("loginTimeout", Long.toString(connectSeconds));
        properties.putIfAbsent("socketTimeout", Long.toString(socket.toSeconds()));
      }
      case MARIADB -> {
        properties.putIfAbsent("connectTimeout", Long.toString(connectTimeout.toMillis()));
        properties.putIfAbsent("socketTimeout", Long.toString(socket.toMillis()));
      }
      case H2 -> {
        // an embedded file: no socket (a file locked by another process fails at once)
      }
    }
    return properties;
  }
}

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
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.csv2.api.ConfigurationException;
import org.csv2.api.StateStoreException;
import org.csv2.api.StateStoreException.Reason;
import org.csv2.model.AccountingRecord;
import org.csv2.model.AliasName;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.InstanceId;
import org.csv2.model.Lease;
import org.csv2.model.Resources;
import org.csv2.model.Sample;
import org.csv2.model.StoredConfig;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.plugin.jdbc.Sql.Query;
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
   * Validates the configuration, opens the pool and migrates the schema.
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
      h2File.ifPresent(f -> H2Files.afterOpen(f, where));
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
      MigrateResult result = flyway.migrate();
      LOG.info(
          "state store {} ({}): schema at version {} ({} migration(s) applied now)",
          where,
          dialect.folder(),
          result.targetSchemaVersion == null ? flyway.info().current().getVersion() : result.targetSchemaVersion,
          result.migrationsExecuted);
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

  // ---------------------------------------------------------------- VMs

  @Override
  public List<Vm> vms() {
    return read(
        "reading the VMs",
        c -> {
          List<Vm> vms = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql.get(Query.VM_SELECT_ALL));
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              vms.add(vm(rs));
            }
          }
          vms.sort(Comparator.comparing(Vm::id));
          return vms;
        });
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
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expected version must be >= 0, was " + expectedVersion);
    }
    checkOpen();
    long version = expectedVersion + 1;
    Instant now = clock.instant();
    ConfigCipher c = cipher;
    String format = c == null ? ConfigCipher.PLAIN : ConfigCipher.FORMAT;
    String stored = c == null ? document : c.encrypt(document, version);
    StoredConfig result = new StoredConfig(document, version, now, by);
    try (Connection conn = dataSource.getConnection()) {
      conn.setAutoCommit(false);
      try {
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
        conn.commit();
        LOG.info("state store {}: configuration version {} saved by {}", where, version, by);
        return result;
      } catch (SQLException e) {
        rollback(conn, e);
        if (isIntegrityViolation(e)) {
          throw configConflict(expectedVersion, version, e);
        }
        throw e;
      } catch (RuntimeException e) {
        rollback(conn, e);
        throw e;
      }
    } catch (SQLException e) {
      throw failure("saving configuration version " + version, e);
    }
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

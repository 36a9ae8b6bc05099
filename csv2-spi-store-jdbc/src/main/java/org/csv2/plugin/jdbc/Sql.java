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

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The statements of one dialect, loaded by name from {@code org/csv2/plugin/jdbc/sql/<dialect>/
 * <name>.sql}, or from {@code sql/common/<name>.sql} when the dialect has no file of its own. Lines
 * starting with {@code --} are comments.
 *
 * <p><b>Thread safety:</b> immutable.
 */
final class Sql {
  /** The statements the store runs. */
  enum Query {
    VM_SELECT_ALL("vm-select-all"),
    VM_SELECT("vm-select"),
    VM_SELECT_VERSIONS("vm-select-versions"),
    VM_SELECT_SOME("vm-select-some"),
    VM_INSERT("vm-insert"),
    VM_UPDATE("vm-update"),
    VM_DELETE("vm-delete"),
    EVENT_INSERT("event-insert"),
    EVENT_SELECT_VM("event-select-vm"),
    EVENT_SELECT_SINCE("event-select-since"),
    SAMPLE_INSERT("sample-insert"),
    SAMPLE_SELECT("sample-select"),
    ACCOUNTING_INSERT("accounting-insert"),
    ACCOUNTING_SELECT("accounting-select"),
    CONFIG_SELECT_LATEST("config-select-latest"),
    CONFIG_INSERT("config-insert"),
    LEASE_RENEW("lease-renew"),
    LEASE_INSERT("lease-insert"),
    LEASE_RELEASE("lease-release"),
    LEASE_SELECT_ALL("lease-select-all"),
    USER_SELECT_ALL("user-select-all"),
    USER_SELECT("user-select"),
    USER_INSERT("user-insert"),
    USER_UPDATE("user-update"),
    USER_DELETE("user-delete"),
    USER_GROUP_SELECT_ALL("user-group-select-all"),
    USER_GROUP_SELECT("user-group-select"),
    USER_GROUP_INSERT("user-group-insert"),
    USER_GROUP_DELETE("user-group-delete"),
    TOKEN_INSERT("token-insert"),
    TOKEN_SELECT("token-select"),
    TOKEN_SELECT_USER("token-select-user"),
    TOKEN_DELETE("token-delete"),
    TOKEN_DELETE_USER("token-delete-user"),
    INTENT_INSERT("intent-insert"),
    INTENT_SELECT("intent-select"),
    INTENT_SELECT_PENDING("intent-select-pending"),
    INTENT_SELECT_RECENT("intent-select-recent"),
    INTENT_SELECT_GROUP("intent-select-group"),
    INTENT_COMPLETE("intent-complete"),
    AUDIT_INSERT("audit-insert"),
    AUDIT_SELECT_SINCE("audit-select-since"),
    STATUS_UPDATE("status-update"),
    STATUS_INSERT("status-insert"),
    STATUS_SELECT_ALL("status-select-all"),
    RESERVATION_INSERT("reservation-insert"),
    RESERVATION_SELECT("reservation-select"),
    RESERVATION_SELECT_WINDOW("reservation-select-window"),
    RESERVATION_SELECT_HOLDING("reservation-select-holding"),
    RESERVATION_UPDATE("reservation-update"),
    RESERVATION_EXTEND("reservation-extend"),
    LEDGER_INSERT("ledger-insert"),
    LEDGER_LOCK("ledger-lock"),
    LEDGER_COUNT("ledger-count"),
    USAGE_SELECT("usage-select"),
    USAGE_UPDATE("usage-update"),
    USAGE_INSERT("usage-insert"),
    ACCOUNTING_SENT_SELECT("accounting-sent-select"),
    ACCOUNTING_SENT_UPDATE("accounting-sent-update"),
    ACCOUNTING_SENT_INSERT("accounting-sent-insert"),
    ACCOUNTING_BATCH_SELECT("accounting-batch-select"),
    ACCOUNTING_BATCH_SELECT_ONE("accounting-batch-select-one"),
    ACCOUNTING_BATCH_INSERT("accounting-batch-insert"),
    ACCOUNTING_BATCH_DELETE("accounting-batch-delete");

    private final String file;

    Query(String file) {
      this.file = file;
    }
  }

  private static final String ROOT = "org/csv2/plugin/jdbc/sql/";

  private final Dialect dialect;
  private final Map<Query, String> statements;
  private final Properties dataSourceProperties;

  private Sql(Dialect dialect, Map<Query, String> statements, Properties dataSourceProperties) {
    this.dialect = dialect;
    this.statements = statements;
    this.dataSourceProperties = dataSourceProperties;
  }

  /**
   * Loads every statement of a dialect.
   *
   * @param dialect the dialect
   * @return the statements
   */
  static Sql load(Dialect dialect) {
    Map<Query, String> statements = new EnumMap<>(Query.class);
    for (Query q : Query.values()) {
      String text = read(ROOT + dialect.folder() + "/" + q.file + ".sql");
      if (text == null) {
        text = read(ROOT + "common/" + q.file + ".sql");
      }
      if (text == null) {
        throw new IllegalStateException("the jdbc store's jar lacks the statement " + q.file + ".sql");
      }
      statements.put(q, strip(text));
    }
    Properties props = new Properties();
    String p = read(ROOT + dialect.folder() + "/datasource.properties");
    if (p != null) {
      try {
        props.load(new java.io.StringReader(p));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Sql(dialect, statements, props);
  }

  /** The dialect. */
  Dialect dialect() {
    return dialect;
  }

  /**
   * One statement.
   *
   * @param q which
   * @return its SQL text
   */
  String get(Query q) {
    return statements.get(q);
  }

  /** The driver properties this dialect needs, a copy. */
  Properties dataSourceProperties() {
    Properties copy = new Properties();
    copy.putAll(dataSourceProperties);
    return copy;
  }

  private static String strip(String text) {
    return text.lines()
        .filter(l -> !l.strip().startsWith("--"))
        .collect(Collectors.joining("\n"))
        .strip();
  }

  private static @org.jspecify.annotations.Nullable String read(String resource) {
    try (InputStream in = Sql.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}

/**
 * The {@code jdbc} state store: H2 (file mode, the default), MariaDB and PostgreSQL through a
 * HikariCP pool, with the schema migrated by Flyway and every dialect difference kept in SQL and
 * properties files under {@code org/csv2/plugin/jdbc/}. Only {@link
 * org.csv2.plugin.jdbc.JdbcStateStoreProvider} is public.
 */
@NullMarked
package org.csv2.plugin.jdbc;

import org.jspecify.annotations.NullMarked;

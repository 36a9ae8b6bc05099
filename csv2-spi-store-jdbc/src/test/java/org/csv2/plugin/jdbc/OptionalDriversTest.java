package org.csv2.plugin.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/** The MariaDB and PostgreSQL drivers are optional: a missing one is named with its artifacts. */
class OptionalDriversTest {
  @Test
  void everyDialectIsUsableWithTheTestClassPath() {
    for (Dialect d : Dialect.values()) {
      assertThat(d.missingLibraries(getClass().getClassLoader())).as(d.name()).isEmpty();
    }
  }

  @Test
  void aMissingDriverNamesTheArtifactsToAdd() throws Exception {
    try (URLClassLoader withoutDrivers = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
      assertThat(Dialect.MARIADB.missingLibraries(withoutDrivers))
          .hasValueSatisfying(m -> assertThat(m)
              .contains("jdbc:mariadb:")
              .contains("org.mariadb.jdbc:mariadb-java-client and org.flywaydb:flyway-mysql")
              .contains("org.mariadb.jdbc.Driver is missing"));
      assertThat(Dialect.POSTGRESQL.missingLibraries(withoutDrivers))
          .hasValueSatisfying(m -> assertThat(m).contains("org.postgresql:postgresql and org.flywaydb:flyway-database-postgresql"));
      assertThat(Dialect.H2.missingLibraries(withoutDrivers)).hasValueSatisfying(m -> assertThat(m).contains("com.h2database:h2"));
    }
  }
}

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

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

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.csv2.api.ConfigurationException;
import org.csv2.api.StateStoreException;
import org.csv2.spi.Secret;
import org.csv2.spi.StateStoreProvider;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS) // one test connects to 127.0.0.1:9
class JdbcStateStoreProviderTest {
  private static final String PATH = "state-store.config";

  @Test
  @DisplayName("ServiceLoader finds the provider under the name jdbc")
  void discoverable() {
    assertThat(ServiceLoader.load(StateStoreProvider.class).stream().map(p -> p.get().name()))
        .contains("jdbc");
    assertThat(new JdbcStateStoreProvider().name()).isEqualTo(JdbcStateStoreProvider.NAME).isEqualTo("jdbc");
  }

  @Test
  @DisplayName("defaults: the embedded H2 file database, pool of 4, 10 s connect timeout, no encryption")
  void defaults() {
    JdbcConfig c = TestPluginConfig.of(Map.of(), PATH).bind(JdbcConfig.class);
    assertThat(c).isEqualTo(JdbcConfig.defaults());
    assertThat(c.url()).isEqualTo("jdbc:h2:file:./csv2-data/csv2");
    assertThat(c.user()).isNull();
    assertThat(c.password()).isNull();
    assertThat(c.poolSize()).isEqualTo(4);
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.encryptionKey()).isNull();
    assertThat(c.problems(PATH)).isEmpty();
    assertThat(Dialect.of(c.jdbcUrl())).contains(Dialect.H2);
  }

  @Test
  @DisplayName("every key maps to its component, and the dialect follows from the URL")
  void fullMapping() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("url", "jdbc:postgresql://db.example.org:5432/csv2");
    raw.put("user", "csv2");
    raw.put("password", "s3cret");
    raw.put("pool-size", 8);
    raw.put("encryption-key", "0123456789abcdef0123");
    raw.put("connect-timeout", "3s");
    JdbcConfig c = TestPluginConfig.of(raw, PATH).bind(JdbcConfig.class);
    assertThat(c)
        .isEqualTo(
            new JdbcConfig(
                "jdbc:postgresql://db.example.org:5432/csv2",
                "csv2",
                Secret.of("s3cret"),
                8,
                Secret.of("0123456789abcdef0123"),
                Duration.ofSeconds(3)));
    assertThat(c.problems(PATH)).isEmpty();
    assertThat(c.toString()).doesNotContain("s3cret").doesNotContain("0123456789abcdef0123");
    assertThat(Dialect.of(c.jdbcUrl())).contains(Dialect.POSTGRESQL);
    assertThat(Dialect.of("jdbc:mariadb://127.0.0.1:3306/csv2?sslMode=disable")).contains(Dialect.MARIADB);
  }

  @Test
  @DisplayName("an unknown key is rejected with its path")
  void unknownKeyRejected() {
    assertThatThrownBy(() -> TestPluginConfig.of(Map.of("jdbc-url", "x"), PATH).bind(JdbcConfig.class))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> assertThat(e.problems())
                .containsExactly(
                    "state-store.config.jdbc-url: unknown key; known keys: "
                        + "url, user, password, pool-size, encryption-key, connect-timeout"));
  }

  @Test
  @DisplayName("every invalid value is reported at once, with its path and the fix, and no secret")
  void problemsAreAggregated() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("url", "jdbc:oracle:thin:@db:1521/csv2");
    raw.put("pool-size", 0);
    raw.put("connect-timeout", "100ms");
    raw.put("encryption-key", "short-key");
    assertThatThrownBy(() -> new JdbcStateStoreProvider().create(TestPluginConfig.of(raw, PATH), TestPluginContext.of("store")))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> {
              assertThat(e.problems()).hasSize(4);
              assertThat(e.problems())
                  .anySatisfy(p -> assertThat(p).startsWith("state-store.config.url: ").contains("jdbc:postgresql://"))
                  .anySatisfy(p -> assertThat(p).startsWith("state-store.config.pool-size: 0"))
                  .anySatisfy(p -> assertThat(p).startsWith("state-store.config.connect-timeout: "))
                  .anySatisfy(p -> assertThat(p).startsWith("state-store.config.encryption-key: too short"));
              assertThat(e.getMessage()).doesNotContain("short-key");
            });
  }

  @Test
  @DisplayName("a password inside the URL is refused, and the message does not repeat it")
  void passwordInUrlRefused() {
    String url = "jdbc:postgresql://db/csv2?user=csv2&password=Hunter2-url";
    assertThatThrownBy(() -> new JdbcStateStoreProvider().create(TestPluginConfig.of(Map.of("url", url), PATH), TestPluginContext.of("store")))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> {
              assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p).startsWith("state-store.config.url: contains a password"));
              assertThat(e.getMessage()).doesNotContain("Hunter2-url");
            });
  }

  @Test
  @DisplayName("a server that does not answer is UNAVAILABLE, naming the URL and not the password")
  void unreachableServerIsUnavailable() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("url", "jdbc:postgresql://127.0.0.1:9/csv2");
    raw.put("user", "csv2");
    raw.put("password", "Not-Shown-42");
    raw.put("connect-timeout", "1s");
    assertThatThrownBy(() -> new JdbcStateStoreProvider().create(TestPluginConfig.of(raw, PATH), TestPluginContext.of("store")))
        .isInstanceOfSatisfying(
            StateStoreException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(StateStoreException.Reason.UNAVAILABLE);
              assertThat(e.retryable()).isTrue();
              assertThat(e.getMessage()).contains("jdbc:postgresql://127.0.0.1:9/csv2").contains("cannot connect").doesNotContain("Not-Shown-42");
            });
  }

  @Test
  @DisplayName("URL redaction hides password parameters and user-info passwords")
  void redaction() {
    assertThat(Redaction.url("jdbc:mariadb://h:3306/db?user=a&password=p1&sslMode=disable"))
        .isEqualTo("jdbc:mariadb://h:3306/db?user=a&password=****&sslMode=disable");
    assertThat(Redaction.url("jdbc:h2:file:./x;USER=sa;PASSWORD=p2")).isEqualTo("jdbc:h2:file:./x;USER=sa;PASSWORD=****");
    assertThat(Redaction.url("jdbc:postgresql://u:p3@h/db")).isEqualTo("jdbc:postgresql://u:****@h/db");
    assertThat(Redaction.url("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
  }
}

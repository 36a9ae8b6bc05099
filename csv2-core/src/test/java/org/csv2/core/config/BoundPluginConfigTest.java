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
package org.csv2.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.csv2.api.ConfigurationException;
import org.csv2.model.CloudName;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.Secret;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class BoundPluginConfigTest {
  enum AuthType {
    PASSWORD,
    APP_CREDENTIALS
  }

  record Endpoint(String url, @Nullable Duration timeout) {}

  record OpenStackLike(
      String authUrl,
      Secret password,
      @Nullable String region,
      AuthType authType,
      int retries,
      boolean verifyTls,
      double weight,
      long quotaMib,
      Duration timeout,
      Path caCertificate,
      List<Endpoint> endpoints,
      Map<String, Secret> tokens,
      Set<CloudName> neighbours,
      Map<String, String> tags) {
    OpenStackLike {
      region = region == null ? "RegionOne" : region;
      if (!authUrl.startsWith("https://")) {
        throw new IllegalArgumentException("auth-url must be https, was " + authUrl);
      }
    }
  }

  record WithSecret(String user, Secret password, int port) {}

  private static <T extends Record> List<String> problems(Map<String, Object> raw, Class<T> type) {
    PluginConfig config = BoundPluginConfig.of(raw, "clouds[1].config");
    ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config.bind(type));
    assertThat(e).as("expected a ConfigurationException").isNotNull();
    return e.problems();
  }

  @Test
  void bindsEveryKindOfComponent() {
    Map<String, Object> raw =
        Map.ofEntries(
            Map.entry("auth-url", "https://keystone:5000/v3"),
            Map.entry("password", "s3cret"),
            Map.entry("auth-type", "app-credentials"),
            Map.entry("retries", "3"),
            Map.entry("verify-tls", false),
            Map.entry("weight", 1.5),
            Map.entry("quota-mib", 8_000_000_000L),
            Map.entry("timeout", "90s"),
            Map.entry("ca-certificate", "/etc/ssl/ca.pem"),
            Map.entry(
                "endpoints",
                List.of(Map.of("url", "https://a", "timeout", "PT5S"), Map.of("url", "https://b"))),
            Map.entry("tokens", Map.of("one", "t1")),
            Map.entry("neighbours", List.of("east", "west")),
            Map.entry("tags", Map.of("site", "uvic", "port", 443)));

    OpenStackLike c = BoundPluginConfig.of(raw, "clouds[0].config").bind(OpenStackLike.class);

    assertThat(c.authUrl()).isEqualTo("https://keystone:5000/v3");
    assertThat(c.password().reveal()).isEqualTo("s3cret");
    assertThat(c.region()).isEqualTo("RegionOne");
    assertThat(c.authType()).isEqualTo(AuthType.APP_CREDENTIALS);
    assertThat(c.retries()).isEqualTo(3);
    assertThat(c.verifyTls()).isFalse();
    assertThat(c.weight()).isEqualTo(1.5);
    assertThat(c.quotaMib()).isEqualTo(8_000_000_000L);
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.caCertificate()).isEqualTo(Path.of("/etc/ssl/ca.pem"));
    assertThat(c.endpoints())
        .containsExactly(new Endpoint("https://a", Duration.ofSeconds(5)), new Endpoint("https://b", null));
    assertThat(c.tokens()).containsExactly(Map.entry("one", Secret.of("t1")));
    assertThat(c.neighbours()).containsExactlyInAnyOrder(CloudName.of("east"), CloudName.of("west"));
    assertThat(c.tags()).containsEntry("site", "uvic").containsEntry("port", "443");
    assertThat(c.toString()).doesNotContain("s3cret");
  }

  @Test
  void absentCollectionsAreEmptyAndNullableComponentsNull() {
    record Small(String name, List<String> items, Map<String, String> labels, @Nullable Integer limit) {}
    Small s = BoundPluginConfig.of(Map.of("name", "x"), "p").bind(Small.class);
    assertThat(s).isEqualTo(new Small("x", List.of(), Map.of(), null));
  }

  @Test
  void everyProblemIsReportedAtOnceWithItsFullPath() {
    Map<String, Object> raw =
        Map.of(
            "auth-url", "http://plain",
            "password", "s3cret",
            "auth-type", "kerberos",
            "retries", 2.5,
            "timeout", "soon",
            "endpoints", List.of(Map.of("url", "https://a", "colour", "red"), "https://b"),
            "neighbours", List.of("Bad Name"),
            "regio", "east");

    List<String> problems = problems(raw, OpenStackLike.class);

    assertThat(problems)
        .containsExactlyInAnyOrder(
            "clouds[1].config.regio: unknown key; known keys: auth-url, password, region, auth-type,"
                + " retries, verify-tls, weight, quota-mib, timeout, ca-certificate, endpoints, tokens,"
                + " neighbours, tags",
            "clouds[1].config.auth-type: 'kerberos' is not one of: password, app-credentials",
            "clouds[1].config.retries: expected an integer, got '2.5'",
            "clouds[1].config.verify-tls: missing required value",
            "clouds[1].config.weight: missing required value",
            "clouds[1].config.quota-mib: missing required value",
            "clouds[1].config.timeout: 'soon' is not a duration: use 500ms, 10s, 5m, 2h, 1d or ISO-8601"
                + " such as PT10S",
            "clouds[1].config.ca-certificate: missing required value",
            "clouds[1].config.endpoints[0].colour: unknown key; known keys: url, timeout",
            "clouds[1].config.endpoints[1]: expected a mapping with keys (url, timeout), got a string",
            "clouds[1].config.neighbours[0]: cloud name 'Bad Name' is invalid: use 1-63 lower-case letters,"
                + " digits, '-' or '_', starting and ending with a letter or digit, without '--'");
  }

  @Test
  void constructorRulesAreReportedWithThePath() {
    Map<String, Object> raw =
        Map.of(
            "auth-url", "http://plain",
            "password", "p",
            "auth-type", "password",
            "retries", 1,
            "verify-tls", true,
            "weight", 1,
            "quota-mib", 1,
            "timeout", "1s",
            "ca-certificate", "ca.pem");
    assertThat(problems(raw, OpenStackLike.class))
        .containsExactly("clouds[1].config: auth-url must be https, was http://plain");
  }

  @Test
  void aSecretNeverAppearsInAMessage() {
    String secret = "hunter2-very-secret";
    List<String> wrongShape = problems(Map.of("user", "u", "password", Map.of("value", secret), "port", 1), WithSecret.class);
    assertThat(wrongShape).containsExactly("clouds[1].config.password: expected a secret (a string), got a mapping");

    List<String> others =
        problems(Map.of("user", List.of("x"), "password", secret, "port", "http"), WithSecret.class);
    assertThat(String.join("\n", others)).doesNotContain(secret);
    assertThat(others).hasSize(2);

    PluginConfig config = BoundPluginConfig.of(Map.of("password", secret), "state-store.config");
    assertThat(config.toString()).doesNotContain(secret).contains("state-store.config");
    WithSecret bound =
        BoundPluginConfig.of(Map.of("user", "u", "password", secret, "port", 1), "p").bind(WithSecret.class);
    assertThat(bound.toString()).doesNotContain(secret).contains("****");
    assertThat(bound.password().reveal()).isEqualTo(secret);
  }

  @Test
  void missingRequiredValuesAreNamed() {
    assertThat(problems(Map.of(), WithSecret.class))
        .containsExactlyInAnyOrder(
            "clouds[1].config.user: missing required value",
            "clouds[1].config.password: missing required value",
            "clouds[1].config.port: missing required value");
  }

  @Test
  void selectionKeepsPathAndRawValues() {
    PluginSelection s = new PluginSelection("jdbc", Map.of("url", "jdbc:h2:mem:x"), "state-store.config");
    PluginConfig c = BoundPluginConfig.of(s);
    assertThat(c.path()).isEqualTo("state-store.config");
    assertThat(c.raw()).containsExactly(Map.entry("url", "jdbc:h2:mem:x"));
    assertThat(c.isEmpty()).isFalse();
    assertThat(BoundPluginConfig.of(Map.of(), "x").isEmpty()).isTrue();
    assertThat(Objects.requireNonNull(c.bind(Url.class)).url()).isEqualTo("jdbc:h2:mem:x");
  }

  record Url(String url) {}
}

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
package org.csv2.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.api.ConfigurationException;
import org.csv2.spi.Secret;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link TestPluginConfig}: binding like the engine, every problem at once with its path, no secret in any message. */
class TestPluginConfigTest {
  private static final String PATH = "clouds[0].config";
  private static final String PASSWORD = "Hunter2-do-not-print";

  enum Market { ON_DEMAND, SPOT }

  record Volume(int sizeGb, @Nullable String type) {}

  record Sample(
      String authUrl,
      @Nullable Secret password,
      @Nullable Duration readTimeout,
      @Nullable Integer maxInstances,
      @Nullable Boolean verifyTls,
      @Nullable Double spotMaxPrice,
      @Nullable Market market,
      @Nullable List<String> securityGroups,
      @Nullable Set<String> families,
      @Nullable Map<String, Integer> quotas,
      @Nullable Volume bootVolume,
      @Nullable List<Volume> extraVolumes,
      @Nullable Path caCertificate) {}

  /** A record whose compact constructor validates, as plugin configs do. */
  record Validated(String url, @Nullable Secret key) {
    Validated {
      if (!url.startsWith("https://")) {
        throw new IllegalArgumentException("url: must be https");
      }
    }
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static ConfigurationException invalid(Map<String, Object> raw, Class<? extends Record> type) {
    TestPluginConfig config = TestPluginConfig.of(raw, PATH);
    return (ConfigurationException) org.assertj.core.api.Assertions.catchThrowable(() -> config.bind(type));
  }

  @Test
  @DisplayName("binds kebab-case keys, durations, secrets, numbers, enums, lists, sets, maps and nested records")
  void binds() {
    Map<String, Object> raw = map(
        "auth-url", "https://keystone:5000/v3",
        "password", PASSWORD,
        "read-timeout", "10s",
        "max-instances", "12",
        "verify-tls", true,
        "spot-max-price", 0.25,
        "market", "on-demand",
        "security-groups", List.of("default", "ssh"),
        "families", List.of("t3", "m5", "t3"),
        "quotas", map("cores", 64),
        "boot-volume", map("size-gb", 20),
        "extra-volumes", List.of(map("size-gb", 5, "type", "ssd")),
        "ca-certificate", "/etc/ssl/ca.pem");
    TestPluginConfig config = TestPluginConfig.of(raw, PATH);

    Sample s = config.bind(Sample.class);

    assertThat(s.authUrl()).isEqualTo("https://keystone:5000/v3");
    assertThat(s.password()).isEqualTo(Secret.of(PASSWORD));
    assertThat(s.readTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.maxInstances()).isEqualTo(12);
    assertThat(s.verifyTls()).isTrue();
    assertThat(s.spotMaxPrice()).isEqualTo(0.25);
    assertThat(s.market()).isEqualTo(Market.ON_DEMAND);
    assertThat(s.securityGroups()).containsExactly("default", "ssh");
    assertThat(s.families()).containsExactly("t3", "m5");
    assertThat(s.quotas()).containsEntry("cores", 64);
    assertThat(s.bootVolume()).isEqualTo(new Volume(20, null));
    assertThat(s.extraVolumes()).containsExactly(new Volume(5, "ssd"));
    assertThat(s.caCertificate()).isEqualTo(Path.of("/etc/ssl/ca.pem"));
    assertThat(config.path()).isEqualTo(PATH);
    assertThat(config.raw()).isEqualTo(raw);
    assertThat(config.isEmpty()).isFalse();
  }

  @Test
  @DisplayName("absent keys bind as null; durations take ms, m, h, d and ISO-8601")
  void absentKeysAndDurationForms() {
    Sample s = TestPluginConfig.of(map("auth-url", "x"), PATH).bind(Sample.class);
    assertThat(s.password()).isNull();
    assertThat(s.securityGroups()).isNull();
    assertThat(s.bootVolume()).isNull();
    for (Map.Entry<String, Duration> e : Map.of(
        "500ms", Duration.ofMillis(500), "5m", Duration.ofMinutes(5), "2h", Duration.ofHours(2),
        "1d", Duration.ofDays(1), "PT10S", Duration.ofSeconds(10)).entrySet()) {
      Sample d = TestPluginConfig.of(map("auth-url", "x", "read-timeout", e.getKey()), PATH).bind(Sample.class);
      assertThat(d.readTimeout()).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  @Test
  @DisplayName("an unknown key is an error with its full path and the known keys, also in a nested record")
  void unknownKeyWithPath() {
    ConfigurationException e = invalid(
        map("auth-url", "x", "flavour", "m1.small", "boot-volume", map("size-gb", 10, "size", 10)), Sample.class);
    assertThat(e.problems()).containsExactlyInAnyOrder(
        PATH + ".flavour: unknown key; known keys: auth-url, password, read-timeout, max-instances, verify-tls, "
            + "spot-max-price, market, security-groups, families, quotas, boot-volume, extra-volumes, ca-certificate",
        PATH + ".boot-volume.size: unknown key; known keys: size-gb, type");
    assertThat(e.getMessage()).startsWith("invalid configuration (2 problems):");
  }

  @Test
  @DisplayName("every problem is reported at once, each with its path")
  void everyProblemAtOnce() {
    ConfigurationException e = invalid(
        map(
            "read-timeout", "soon",
            "max-instances", "many",
            "verify-tls", "maybe",
            "market", "reserved",
            "security-groups", "default",
            "boot-volume", map("type", "ssd"),
            "extra-volumes", List.of(map("size-gb", 1), map("size-gb", 2.5))),
        Sample.class);
    assertThat(e.problems()).containsExactlyInAnyOrder(
        PATH + ".read-timeout: 'soon' is not a duration: use 500ms, 10s, 5m, 2h, 1d or ISO-8601 such as PT10S",
        PATH + ".max-instances: expected an integer, got 'many'",
        PATH + ".verify-tls: expected true or false, got 'maybe'",
        PATH + ".market: 'reserved' is not one of: on-demand, spot",
        PATH + ".security-groups: expected a list, got a string",
        PATH + ".boot-volume.size-gb: missing required value",
        PATH + ".extra-volumes[1].size-gb: expected an integer, got '2.5'");
  }

  @Test
  @DisplayName("a compact constructor's exception becomes a problem at the record's path")
  void constructorProblems() {
    ConfigurationException e = invalid(map("url", "http://x"), Validated.class);
    assertThat(e.problems()).containsExactly(PATH + ": url: must be https");
    assertThat(TestPluginConfig.of(map("url", "https://x"), PATH).bind(Validated.class).url()).isEqualTo("https://x");
  }

  @Test
  @DisplayName("a secret's value is never printed: not for a wrong type, not among other problems, not by toString")
  void secretNotPrinted() {
    ConfigurationException wrongType = invalid(map("url", "https://x", "key", map("value", PASSWORD)), Validated.class);
    assertThat(wrongType.problems()).containsExactly(PATH + ".key: expected a secret (a string), got a mapping");
    assertThat(wrongType.getMessage()).doesNotContain(PASSWORD);

    ConfigurationException others = invalid(map("url", "http://x", "key", PASSWORD, "extra", 1), Validated.class);
    assertThat(others.getMessage()).contains(PATH + ".extra: unknown key").doesNotContain(PASSWORD);

    TestPluginConfig config = TestPluginConfig.of(map("url", "https://x", "key", PASSWORD), PATH);
    assertThat(config.toString()).isEqualTo("TestPluginConfig[" + PATH + ", keys=[key, url]]");
    Validated bound = config.bind(Validated.class);
    assertThat(bound.key().reveal()).isEqualTo(PASSWORD);
    assertThat(bound.toString()).doesNotContain(PASSWORD).contains("****");
  }

  @Test
  @DisplayName("a mapping is required for a record, and a scalar binds a one-component record")
  void shapes() {
    assertThat(invalid(map("auth-url", "x", "boot-volume", 10), Sample.class).problems())
        .containsExactly(PATH + ".boot-volume: expected a mapping with keys (size-gb, type), got a number");
    record Name(String value) {}
    record Named(Name name) {}
    assertThat(TestPluginConfig.of(map("name", "cloud-a"), PATH).bind(Named.class).name()).isEqualTo(new Name("cloud-a"));
    assertThat(TestPluginConfig.key("spotMaxPrice")).isEqualTo("spot-max-price");
  }
}

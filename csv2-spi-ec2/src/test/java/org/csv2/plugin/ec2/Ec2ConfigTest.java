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
package org.csv2.plugin.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csv2.api.ConfigurationException;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Secret;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binding and validation of {@link Ec2Config}, through {@link TestPluginConfig} (the testkit's
 * PluginConfig that binds like csv2-core: strict, kebab-case, every problem at once).
 */
class Ec2ConfigTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG-Very-Secret";
  private static final String TOKEN = "FwoGZXIvYXdzEXAMPLE-Session-Token";

  @TempDir Path tmp;

  private static Map<String, Object> minimal() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("region", "us-east-1");
    return raw;
  }

  private static Ec2Config bind(Map<String, Object> raw) {
    TestPluginConfig c = TestPluginConfig.of(raw, "clouds[0].config");
    return c.bind(Ec2Config.class).validate(c.path());
  }

  private static ConfigurationException invalid(Map<String, Object> raw) {
    ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> bind(raw));
    assertThat(e).as("configuration error for %s", raw.keySet()).isNotNull();
    assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(TOKEN);
    return e;
  }

  @Test
  void defaults() {
    Ec2Config c = bind(minimal());
    assertThat(c.region()).isEqualTo("us-east-1");
    assertThat(c.endpoint()).isNull();
    assertThat(c.accessKeyId()).isNull();
    assertThat(c.profile()).isNull();
    assertThat(c.securityGroups()).isEmpty();
    assertThat(c.imageOwners()).containsExactly("self");
    assertThat(c.market()).isEqualTo("on-demand");
    assertThat(c.spot()).isFalse();
    assertThat(c.spotProduct()).isEqualTo("Linux/UNIX");
    assertThat(c.vcpuQuota()).isNull();
    assertThat(c.maxInstances()).isNull();
    assertThat(c.priceTableFormat()).isEqualTo("auto");
    assertThat(c.priceOs()).isEqualTo("linux");
    assertThat(c.priceRegionValue()).isEqualTo("us-east-1");
    assertThat(c.capacityCoolDown()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.flavorRefresh()).isEqualTo(Duration.ofHours(1));
    assertThat(c.spotPriceRefresh()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.callTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.maxAttempts()).isEqualTo(3);
    assertThat(c.instanceTypes().admits("x1e.32xlarge", 128, 3_997_696, false)).isTrue();
  }

  @Test
  void fullMapping() throws IOException {
    Path prices = Files.writeString(tmp.resolve("prices.csv"), "m5.large,0.096\n");
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("region", "eu-west-1");
    raw.put("endpoint", "https://ec2.eu-west-1.amazonaws.com");
    raw.put("access-key-id", "AKIAIOSFODNN7EXAMPLE");
    raw.put("secret-access-key", SECRET);
    raw.put("session-token", TOKEN);
    raw.put("subnet-id", "subnet-0abc");
    raw.put("security-groups", List.of("sg-0123", "sg-0456"));
    raw.put("key-name", "csv2");
    raw.put("availability-zone", "eu-west-1a");
    raw.put("image-name", "al2023-ami-2023.*-x86_64");
    raw.put("image-owners", List.of("amazon", "123456789012"));
    raw.put("instance-types", Map.of(
        "names", List.of("m5.large"), "families", List.of("m5", "c5*"), "min-vcpus", 2, "max-vcpus", 16,
        "min-gib-per-vcpu", 2.0, "max-gib-per-vcpu", 8.0, "current-generation-only", true));
    raw.put("market", "spot");
    raw.put("spot-max-price", 0.25);
    raw.put("spot-product", "Linux/UNIX (Amazon VPC)");
    raw.put("vcpu-quota", 256);
    raw.put("max-instances", 40);
    raw.put("price-table", prices.toString());
    raw.put("price-table-format", "csv");
    raw.put("price-os", "rhel");
    raw.put("price-region", "eu-west-2");
    raw.put("capacity-cool-down", "10m");
    raw.put("flavor-refresh", "2h");
    raw.put("spot-price-refresh", "1m");
    raw.put("connect-timeout", "3s");
    raw.put("call-timeout", "20s");
    raw.put("max-attempts", 2);
    Ec2Config expected = new Ec2Config(
        "eu-west-1", "https://ec2.eu-west-1.amazonaws.com", "AKIAIOSFODNN7EXAMPLE", Secret.of(SECRET), Secret.of(TOKEN),
        null, "subnet-0abc", List.of("sg-0123", "sg-0456"), "csv2", "eu-west-1a", null, "al2023-ami-2023.*-x86_64",
        List.of("amazon", "123456789012"),
        new Ec2Config.InstanceTypes(List.of("m5.large"), List.of("m5", "c5*"), 2, 16, 2.0, 8.0, true),
        "spot", 0.25, "Linux/UNIX (Amazon VPC)", 256, 40, prices.toString(), "csv", "rhel", "eu-west-2",
        Duration.ofMinutes(10), Duration.ofHours(2), Duration.ofMinutes(1), Duration.ofSeconds(3),
        Duration.ofSeconds(20), 2, List.of("subnet-0abc"), 8, null);
    Ec2Config c = bind(raw);
    assertThat(c).isEqualTo(expected);
    assertThat(c.spot()).isTrue();
    assertThat(c.priceRegionValue()).isEqualTo("eu-west-2");
  }

  @Test
  void theInstanceTypeFilterAppliesEveryCriterion() {
    Ec2Config.InstanceTypes f = new Ec2Config.InstanceTypes(null, List.of("m5", "c5*"), 2, 16, 2.0, null, false);
    assertThat(f.admits("m5.large", 2, 8192, true)).isTrue();
    assertThat(f.admits("m5d.large", 2, 8192, true)).as("m5 is not m5d").isFalse();
    assertThat(f.admits("c5d.xlarge", 4, 8192, true)).as("c5* is a prefix").isTrue();
    assertThat(f.admits("m5.24xlarge", 96, 393216, true)).as("above max-vcpus").isFalse();
    assertThat(f.admits("c5.large", 2, 2048, true)).as("1 GiB per vCPU is below 2").isFalse();
    assertThat(new Ec2Config.InstanceTypes(List.of("t3.nano"), null, null, null, null, null, true)
        .admits("t3.nano", 2, 512, false)).as("not current generation").isFalse();
  }

  @Test
  void sessionExpirationNeedsASessionTokenAndATime() {
    Map<String, Object> raw = minimal();
    raw.put("session-expiration", "tomorrow");
    assertThat(invalid(raw).problems())
        .contains(
            "clouds[0].config.session-expiration: needs session-token (only session credentials expire)",
            "clouds[0].config.session-expiration: 'tomorrow' is not an ISO 8601 time with a zone, such as 2026-12-05T18:00:00Z");
    raw.put("access-key-id", "AKIAIOSFODNN7EXAMPLE");
    raw.put("secret-access-key", SECRET);
    raw.put("session-token", TOKEN);
    raw.put("session-expiration", "2026-12-05T18:00:00Z");
    assertThat(bind(raw).sessionExpiresAt()).isEqualTo(java.time.Instant.parse("2026-12-05T18:00:00Z"));
  }

  @Test
  void anUnknownKeyIsRejectedWithItsPath() {
    Map<String, Object> raw = minimal();
    raw.put("instance-type", "m5.large");
    ConfigurationException e = invalid(raw);
    assertThat(e.getMessage()).contains("clouds[0].config").contains("instance-type");
  }

  @Test
  void everyProblemIsReportedAtOnceWithItsPath() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("endpoint", "localhost:5055");
    raw.put("access-key-id", "AKIAIOSFODNN7EXAMPLE");
    raw.put("profile", "prod");
    raw.put("image-id", "img-123");
    raw.put("image-name", "ubuntu*");
    raw.put("instance-types", Map.of("families", List.of("M5!"), "min-vcpus", 8, "max-vcpus", 4));
    raw.put("market", "reserved");
    raw.put("spot-max-price", -1.0);
    raw.put("vcpu-quota", -5);
    raw.put("price-table", tmp.resolve("missing.json").toString());
    raw.put("price-table-format", "xml");
    raw.put("call-timeout", "0s");
    raw.put("max-attempts", 0);
    raw.put("security-groups", List.of("sg-1", " "));
    ConfigurationException e = invalid(raw);
    assertThat(e.problems())
        .allSatisfy(p -> assertThat(p).startsWith("clouds[0].config."))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.region:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.endpoint:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.secret-access-key:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.profile, access-key-id:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.image-id, image-name:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.image-id:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.instance-types.families[0]:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.instance-types.min-vcpus, max-vcpus:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.market:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.spot-max-price:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.vcpu-quota:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.price-table:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.price-table-format:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.call-timeout:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.max-attempts:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.security-groups[1]:"));
  }

  @Test
  void aSessionTokenNeedsStaticKeys() {
    Map<String, Object> raw = minimal();
    raw.put("session-token", TOKEN);
    assertThat(invalid(raw).problems()).anySatisfy(p -> assertThat(p).contains("session-token"));
  }

  @Test
  void secretsNeverAppearInMessagesOrInToString() {
    Map<String, Object> raw = minimal();
    raw.put("secret-access-key", SECRET);
    raw.put("session-token", TOKEN);
    raw.put("max-attempts", 99);
    invalid(raw);
    Map<String, Object> good = minimal();
    good.put("access-key-id", "AKIAIOSFODNN7EXAMPLE");
    good.put("secret-access-key", SECRET);
    good.put("session-token", TOKEN);
    String text = bind(good).toString();
    assertThat(text).doesNotContain(SECRET).doesNotContain(TOKEN).contains("****");
  }

  @Test
  void theProviderValidatesBeforeMakingADriverAndMakesOneWithoutCallingTheCloud() {
    Map<String, Object> raw = minimal();
    raw.remove("region");
    raw.put("secret-access-key", SECRET);
    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> new Ec2CloudDriverProvider().create(TestPluginConfig.of(raw, "clouds[0].config"), TestPluginContext.of("c1")));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("region").doesNotContain(SECRET);
    assertThat(new Ec2CloudDriverProvider().name()).isEqualTo("ec2");

    Map<String, Object> good = minimal();
    good.put("endpoint", "http://127.0.0.1:9");
    good.put("profile", "csv2-test-profile");
    try (CloudDriver d = new Ec2CloudDriverProvider().create(TestPluginConfig.of(good, "clouds[0].config"), TestPluginContext.of("c1"))) {
      assertThat(d).isNotNull();
    }
  }
}

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
package org.csv2.plugin.openstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csv2.api.ConfigurationException;
import org.csv2.spi.Secret;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.Test;

/**
 * Binding and validation of {@link OpenStackConfig}, through {@link TestPluginConfig} (the
 * testkit's PluginConfig that binds like csv2-core: strict, kebab-case, every problem at once).
 */
class OpenStackConfigTest {
  private static final String PW = "pw-Very-Secret-1";
  private static final String APP = "app-Very-Secret-2";

  private static Map<String, Object> minimal() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("auth-url", "https://keystone.example.org:5000/v3");
    raw.put("project", "atlas");
    raw.put("user", "csv2");
    raw.put("password", PW);
    return raw;
  }

  private static OpenStackConfig bind(Map<String, Object> raw) {
    TestPluginConfig c = TestPluginConfig.of(raw, "clouds[0].config");
    return c.bind(OpenStackConfig.class).validate(c.path());
  }

  private static ConfigurationException invalid(Map<String, Object> raw) {
    ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> bind(raw));
    assertThat(e).as("configuration error for %s", raw.keySet()).isNotNull();
    assertThat(e.getMessage()).doesNotContain(PW).doesNotContain(APP);
    return e;
  }

  @Test
  void defaults() {
    OpenStackConfig c = bind(minimal());
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.projectDomain()).isEqualTo("Default");
    assertThat(c.userDomain()).isEqualTo("Default");
    assertThat(c.securityGroups()).isEmpty();
    assertThat(c.region()).isNull();
    assertThat(c.bootVolume()).isNull();
    assertThat(c.network()).isNull();
    assertThat(c.image()).isNull();
    assertThat(c.keyName()).isNull();
    assertThat(c.authMethod()).isEqualTo(OpenStackConfig.AuthMethod.PASSWORD);
  }

  @Test
  void fullMapping() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("auth-url", "https://keystone.example.org:5000/v3");
    raw.put("region", "RegionTwo");
    raw.put("project-id", "a6944d763bf64ee6a275f1263fae0352");
    raw.put("project-domain-id", "default");
    raw.put("user", "csv2");
    raw.put("user-domain-id", "default");
    raw.put("password", PW);
    raw.put("connect-timeout", "3s");
    raw.put("read-timeout", "2m");
    raw.put("network", "net1");
    raw.put("key-name", "csv2-key");
    raw.put("security-groups", List.of("default", "condor"));
    raw.put("image", "cirros");
    raw.put("boot-volume", Map.of("size-gb", 20, "gb-per-core", 5, "volume-type", "ssd", "delete-on-termination", false));
    OpenStackConfig expected = new OpenStackConfig(
        "https://keystone.example.org:5000/v3", "RegionTwo", null, "a6944d763bf64ee6a275f1263fae0352", null,
        "default", "csv2", null, "default", Secret.of(PW), null, null, null, null, Duration.ofSeconds(3),
        Duration.ofMinutes(2), "net1", "csv2-key", List.of("default", "condor"), "cirros",
        new OpenStackConfig.BootVolume(20, 5, "ssd", false), List.of("project"), 8);
    assertThat(bind(raw)).isEqualTo(expected);
    assertThat(expected.bootVolume().sizeFor(4)).isEqualTo(40);
  }

  @Test
  void fullApplicationCredentialMapping() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("auth-url", "http://keystone:5000/v3");
    raw.put("application-credential-name", "csv2-cred");
    raw.put("user", "csv2");
    raw.put("user-domain", "Users");
    raw.put("application-credential-secret", APP);
    OpenStackConfig c = bind(raw);
    assertThat(c.authMethod()).isEqualTo(OpenStackConfig.AuthMethod.APPLICATION_CREDENTIAL);
    assertThat(c.applicationCredentialName()).isEqualTo("csv2-cred");
    assertThat(c.applicationCredentialSecret()).isEqualTo(Secret.of(APP));
    assertThat(c.userDomain()).isEqualTo("Users");
  }

  @Test
  void anUnknownKeyIsRejectedWithItsPath() {
    Map<String, Object> raw = minimal();
    raw.put("flavour", "m1.small");
    ConfigurationException e = invalid(raw);
    assertThat(e.getMessage()).contains("clouds[0].config").contains("flavour");
  }

  @Test
  void bothAuthMethodsAreRejected() {
    Map<String, Object> raw = minimal();
    raw.put("application-credential-id", "423f19a4ac1e4f48bbb4180756e6eb6c");
    raw.put("application-credential-secret", APP);
    ConfigurationException e = invalid(raw);
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("exactly one auth method"));
  }

  @Test
  void noAuthMethodIsRejected() {
    Map<String, Object> raw = minimal();
    raw.remove("password");
    raw.remove("user");
    ConfigurationException e = invalid(raw);
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("no auth method"));
  }

  @Test
  void everyProblemIsReportedAtOnceWithItsPath() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("user", "csv2");
    raw.put("password", PW);
    raw.put("read-timeout", "0s");
    raw.put("security-groups", List.of("default", " "));
    raw.put("boot-volume", Map.of("size-gb", -1));
    raw.put("ca-certificate", "/etc/pki/ca.pem");
    ConfigurationException e = invalid(raw);
    assertThat(e.problems())
        .allSatisfy(p -> assertThat(p).startsWith("clouds[0].config."))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.auth-url:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.project, project-id:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.read-timeout:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.security-groups[1]:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.boot-volume.size-gb:"))
        .anySatisfy(p -> assertThat(p).startsWith("clouds[0].config.ca-certificate:"));
  }

  @Test
  void applicationCredentialRulesAreChecked() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("auth-url", "https://keystone.example.org/v3");
    raw.put("application-credential-name", "cred");
    raw.put("project", "atlas");
    ConfigurationException e = invalid(raw);
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).contains("user: is required when the application credential is given by name"))
        .anySatisfy(p -> assertThat(p).contains("application-credential-secret: is required"))
        .anySatisfy(p -> assertThat(p).contains("implies its project"));
  }

  @Test
  void anAuthUrlThatIsNoHttpUrlIsRejected() {
    Map<String, Object> raw = minimal();
    raw.put("auth-url", "keystone.example.org:5000");
    assertThat(invalid(raw).problems()).anySatisfy(p -> assertThat(p).contains("auth-url"));
  }

  @Test
  void secretsNeverAppearInMessagesOrInToString() {
    Map<String, Object> raw = minimal();
    raw.put("application-credential-id", "x");
    raw.put("application-credential-secret", APP);
    raw.put("connect-timeout", "-1s");
    invalid(raw);
    Map<String, Object> good = minimal();
    assertThat(bind(good).toString()).doesNotContain(PW).contains("****");
  }

  @Test
  void theProviderValidatesBeforeMakingADriver() {
    Map<String, Object> raw = minimal();
    raw.remove("project");
    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> new OpenStackCloudDriverProvider().create(TestPluginConfig.of(raw, "clouds[0].config"), TestPluginContext.of("c1")));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("project").doesNotContain(PW);
    assertThat(new OpenStackCloudDriverProvider().name()).isEqualTo("openstack");
  }
}

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
package org.csv2.plugin.ec2.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csv2.spi.CloudDriver;
import org.csv2.testkit.TestEnvironment;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 5 against moto's STS: session credentials asked with a {@code DurationSeconds}
 * ({@code GetSessionToken}, {@code AssumeRole}) are given to the EC2 driver the two ways a
 * deployment does, and the driver reports their {@code Expiration} as the credentials' expiry while
 * its calls, signed with them, go through.
 *
 * <p>What moto cannot show: it accepts any signature and never refuses an expired session token,
 * so that AWS stops taking the credentials at that instant is not tested here (the engine's side of
 * it, warn from 28 days and stop boots from 7, is tested in {@code ReconcilerTest}).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class Ec2SessionCredentialsIT {
  private final Moto moto = new Moto();
  private final TestEnvironment env = TestEnvironment.load();

  @BeforeEach
  void reset() {
    moto.reset();
  }

  /** The {@code Credentials} of an STS reply: access key, secret, token, expiration. */
  record Session(String accessKeyId, String secret, String token, String expiration) {}

  private Session sts(String action, String params) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(env.get("moto.endpoint")))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/x-www-form-urlencoded")
        // moto routes by the signing scope's service name; it checks no signature
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + env.get("moto.access-key")
            + "/20260101/" + env.get("moto.region") + "/sts/aws4_request, SignedHeaders=host, Signature=0")
        .POST(HttpRequest.BodyPublishers.ofString("Action=" + action + "&Version=2011-06-15&" + params))
        .build();
    HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("STS %s answered %s", action, r.body()).isEqualTo(200);
    return new Session(tag(r.body(), "AccessKeyId"), tag(r.body(), "SecretAccessKey"), tag(r.body(), "SessionToken"),
        tag(r.body(), "Expiration"));
  }

  private static String tag(String xml, String name) {
    Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
    assertThat(m.find()).as("<%s> in %s", name, xml).isTrue();
    return m.group(1);
  }

  private CloudDriver driver(Map<String, Object> credentials) {
    Map<String, Object> raw = moto.config();
    raw.remove("access-key-id");
    raw.remove("secret-access-key");
    raw.putAll(credentials);
    return moto.driver(raw, new TestPluginContext(Clock.systemUTC(), "sts-it", "moto-sts"));
  }

  @Test
  void staticSessionCredentialsFromGetSessionTokenReportTheirExpiration() throws Exception {
    Instant asked = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Session s = sts("GetSessionToken", "DurationSeconds=900");
    Instant expiration = Instant.parse(s.expiration());
    assertThat(expiration).as("moto honours DurationSeconds").isBetween(asked.plusSeconds(899), asked.plusSeconds(960));
    try (CloudDriver d = driver(Map.of("access-key-id", s.accessKeyId(), "secret-access-key", s.secret(),
        "session-token", s.token(), "session-expiration", s.expiration()))) {
      assertThat(d.credentialsExpireAt()).contains(expiration);
      assertThat(d.flavors()).as("calls signed with the session credentials go through").isNotEmpty();
    }
  }

  @Test
  void aProfileWhoseCredentialProcessHandsAssumedRoleCredentialsReportsTheirExpiration(@TempDir Path dir) throws Exception {
    Instant asked = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Session s = sts("AssumeRole", "DurationSeconds=1800&RoleArn=arn:aws:iam::123456789012:role/csv2&RoleSessionName=csv2-it");
    Instant expiration = Instant.parse(s.expiration());
    assertThat(expiration).as("moto honours DurationSeconds").isBetween(asked.plusSeconds(1799), asked.plusSeconds(1860));
    // the documented credential_process output: the SDK reads Expiration itself, csv2 is told nothing
    Path json = dir.resolve("session.json");
    Files.writeString(json, "{\"Version\": 1, \"AccessKeyId\": \"" + s.accessKeyId() + "\", \"SecretAccessKey\": \""
        + s.secret() + "\", \"SessionToken\": \"" + s.token() + "\", \"Expiration\": \"" + s.expiration() + "\"}");
    Path config = dir.resolve("config");
    Files.writeString(config, "[profile csv2-sts]\ncredential_process = cat " + json + "\n");
    Path credentials = dir.resolve("credentials");
    Files.writeString(credentials, "");
    String oldConfig = System.getProperty("aws.configFile");
    String oldCredentials = System.getProperty("aws.sharedCredentialsFile");
    System.setProperty("aws.configFile", config.toString());
    System.setProperty("aws.sharedCredentialsFile", credentials.toString());
    try (CloudDriver d = driver(Map.of("profile", "csv2-sts"))) {
      assertThat(d.credentialsExpireAt()).contains(expiration);
      assertThat(d.flavors()).as("calls signed with the assumed role's credentials go through").isNotEmpty();
    } finally {
      restore("aws.configFile", oldConfig);
      restore("aws.sharedCredentialsFile", oldCredentials);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}

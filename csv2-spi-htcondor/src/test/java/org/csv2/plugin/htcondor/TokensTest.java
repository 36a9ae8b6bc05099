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
package org.csv2.plugin.htcondor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.csv2.api.JobSourceException;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code exp} claim of hand-built, unsigned tokens, and the job source's {@code token-file}. */
class TokensTest {
  static final long EXP = 1_800_000_000L;

  /** An unsigned JWT ({@code alg: none}, empty signature) with the given claims as JSON. */
  static String jwt(String claims) {
    Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
    return b.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".";
  }

  @Test
  void theExpClaimIsTheExpiry() {
    String token = jwt("{\"iss\":\"cm.example.org\",\"sub\":\"csv2@cm.example.org\",\"exp\":" + EXP + ",\"iat\":1700000000}");
    assertThat(Tokens.expiry(token, "t")).contains(Instant.ofEpochSecond(EXP));
  }

  @Test
  void aTokenWithoutExpNeverExpires() {
    assertThat(Tokens.expiry(jwt("{\"sub\":\"csv2@cm.example.org\",\"iat\":1700000000}"), "t")).isEmpty();
    assertThat(Tokens.expiry(jwt("{\"exp\":" + EXP + "}") + "\n" + jwt("{\"sub\":\"x\"}"), "t"))
        .as("one token of the file never expires").isEmpty();
  }

  @Test
  void aFileExpiresWithItsLastToken() {
    String text = "# tokens of csv2\n\n" + jwt("{\"exp\":" + EXP + "}") + "\n" + jwt("{\"exp\":" + (EXP + 86_400) + "}") + "\n";
    assertThat(Tokens.expiry(text, "t")).contains(Instant.ofEpochSecond(EXP + 86_400));
  }

  @Test
  void paddedPayloadsAreRead() {
    Base64.Encoder padded = Base64.getUrlEncoder();
    String token = padded.encodeToString("{}".getBytes(StandardCharsets.UTF_8)) + "."
        + padded.encodeToString(("{\"exp\":" + EXP + "}").getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    assertThat(Tokens.expiry(token, "t")).contains(Instant.ofEpochSecond(EXP));
  }

  @Test
  void malformedTokensAreNamedWithTheirLine() {
    assertThatThrownBy(() -> Tokens.expiry("# c\nnot-a-token\n", "/etc/tok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("/etc/tok:2: not a JSON Web Token (header.payload.signature): 1 part(s) separated by '.'");
    assertThatThrownBy(() -> Tokens.expiry("a.%%%.c", "/etc/tok"))
        .hasMessageStartingWith("/etc/tok:1: the token's payload is not base64url-encoded JSON");
    assertThatThrownBy(() -> Tokens.expiry(jwt("{\"exp\":\"tomorrow\"}"), "/etc/tok"))
        .hasMessage("/etc/tok:1: the token's exp claim is not seconds since 1970: \"tomorrow\"");
    assertThatThrownBy(() -> Tokens.expiry(jwt("[1]"), "/etc/tok")).hasMessage("/etc/tok:1: the token's payload is not a JSON object");
    assertThatThrownBy(() -> Tokens.expiry("\n# only a comment\n", "/etc/tok")).hasMessage("/etc/tok: holds no token");
  }

  @Test
  void theJobSourceReadsItsTokenFileAtEveryCall(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("csv2.token");
    Files.writeString(file, jwt("{\"exp\":" + EXP + "}"));
    try (var source = new HtCondorJobSourceProvider().create(
        TestPluginConfig.of(Map.of("token-file", file.toString()), "job-sources[0].config"),
        new TestPluginContext(java.time.Clock.systemUTC(), "e1", "cm-atlas"))) {
      assertThat(source.credentialsExpireAt()).contains(Instant.ofEpochSecond(EXP));
      Files.writeString(file, jwt("{\"exp\":" + (EXP + 3600) + "}")); // renewed in place
      assertThat(source.credentialsExpireAt()).contains(Instant.ofEpochSecond(EXP + 3600));
      Files.writeString(file, "garbage");
      assertThatThrownBy(source::credentialsExpireAt)
          .isInstanceOf(JobSourceException.class)
          .hasMessage("job source cm-atlas: token-file " + file + ":1: not a JSON Web Token (header.payload.signature): 1 part(s) separated by '.'");
      Files.delete(file);
      assertThatThrownBy(source::credentialsExpireAt)
          .isInstanceOf(JobSourceException.class)
          .hasMessageStartingWith("job source cm-atlas: token-file " + file + " cannot be read: java.nio.file.NoSuchFileException");
    }
    try (var none = new HtCondorJobSourceProvider().create(
        TestPluginConfig.of(Map.of(), "job-sources[0].config"), new TestPluginContext(java.time.Clock.systemUTC(), "e1", "cm-atlas"))) {
      assertThat(none.credentialsExpireAt()).as("no token-file: nothing known").isEqualTo(Optional.empty());
    }
  }

  @Test
  void aBlankTokenFileIsAConfigurationError() {
    assertThatThrownBy(() -> new HtCondorJobSourceProvider().create(
            TestPluginConfig.of(Map.of("token-file", " "), "job-sources[0].config"),
            new TestPluginContext(java.time.Clock.systemUTC(), "e1", "cm-atlas")))
        .hasMessageContaining("job-sources[0].config.token-file: must not be blank");
  }
}

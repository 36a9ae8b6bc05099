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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * When an HTCondor token expires: the {@code exp} claim of an IDTOKEN (what {@code
 * condor_token_create} prints) or a SciToken, both JSON Web Tokens. The claim is read <em>without
 * verifying the signature</em>: csv2 holds no key to verify with, and only wants to know how long
 * the pool will still take the token.
 *
 * <p>A token file holds one token per line, as HTCondor's token directories do (blank lines and
 * {@code #} comments are skipped). HTCondor tries the tokens of a file until one is accepted, so the
 * file expires with its <em>last</em> token to expire; a token without {@code exp} never expires.
 *
 * <p><b>Thread safety:</b> stateless.
 */
final class Tokens {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Tokens() {}

  /**
   * The expiry of a token file.
   *
   * @param file the file
   * @return the latest expiry of its tokens, or empty when one of them never expires
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it holds no token or a malformed one, naming the file and
   *     line
   */
  static Optional<Instant> expiryOf(Path file) throws IOException {
    return expiry(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * The expiry of the tokens in a text.
   *
   * @param text one token per line
   * @param where the text's source, for messages
   * @return the latest expiry, or empty when one of the tokens never expires
   * @throws IllegalArgumentException when the text holds no token or a malformed one
   */
  static Optional<Instant> expiry(String text, String where) {
    Instant latest = null;
    int tokens = 0;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      tokens++;
      Instant exp = exp(line, where + ":" + (i + 1));
      if (exp == null) {
        return Optional.empty();
      }
      latest = latest == null || exp.isAfter(latest) ? exp : latest;
    }
    if (tokens == 0) {
      throw new IllegalArgumentException(where + ": holds no token");
    }
    return Optional.of(latest);
  }

  /**
   * The {@code exp} claim of one token.
   *
   * @param token the token ({@code header.payload.signature}, base64url)
   * @param where where it is, for messages
   * @return the expiry, or null when the token has no {@code exp}
   * @throws IllegalArgumentException when it is no JSON Web Token
   */
  static @Nullable Instant exp(String token, String where) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          where + ": not a JSON Web Token (header.payload.signature): " + parts.length + " part(s) separated by '.'");
    }
    JsonNode claims;
    try {
      claims = JSON.readTree(Base64.getUrlDecoder().decode(strip(parts[1])));
    } catch (IllegalArgumentException | IOException e) {
      throw new IllegalArgumentException(where + ": the token's payload is not base64url-encoded JSON: " + e.getMessage());
    }
    if (claims == null || !claims.isObject()) {
      throw new IllegalArgumentException(where + ": the token's payload is not a JSON object");
    }
    JsonNode exp = claims.get("exp");
    if (exp == null || exp.isNull()) {
      return null;
    }
    if (!exp.isNumber() || exp.asDouble() < 0 || exp.asDouble() > Instant.MAX.getEpochSecond()) {
      throw new IllegalArgumentException(where + ": the token's exp claim is not seconds since 1970: " + exp);
    }
    return Instant.ofEpochSecond(exp.asLong());
  }

  /** base64url without padding, as JWTs are; tolerate padding. */
  private static String strip(String part) {
    int end = part.length();
    while (end > 0 && part.charAt(end - 1) == '=') {
      end--;
    }
    return part.substring(0, end);
  }
}

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
package org.csv2.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csv2.model.ApiToken;
import org.jspecify.annotations.Nullable;

/**
 * API tokens: {@code csv2_<id>_<secret>}, where the store keeps the id and the SHA-256 of the
 * secret. The secret has 256 random bits, so a fast hash is enough (unlike passwords).
 */
final class Tokens {
  private static final Pattern FORMAT = Pattern.compile("csv2_([a-z0-9]{20})_([A-Za-z0-9_-]{43})");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private Tokens() {}

  /** A new token: what the user is shown once, and what the store keeps. */
  static Issued issue(String user, String label, Instant now, @Nullable Instant expires) {
    StringBuilder id = new StringBuilder(20);
    for (int i = 0; i < 20; i++) {
      id.append(ID_CHARS[RANDOM.nextInt(ID_CHARS.length)]);
    }
    String secret = Sessions.random();
    ApiToken stored = new ApiToken(id.toString(), user, hash(secret), label, now, expires);
    return new Issued("csv2_" + id + "_" + secret, stored);
  }

  /** The id and secret of a presented token, if it has the token's shape. */
  static Optional<String[]> parse(String presented) {
    Matcher m = FORMAT.matcher(presented);
    return m.matches() ? Optional.of(new String[] {m.group(1), m.group(2)}) : Optional.empty();
  }

  static boolean matches(String secret, ApiToken token) {
    return MessageDigest.isEqual(
        hash(secret).getBytes(StandardCharsets.US_ASCII), token.secretHash().getBytes(StandardCharsets.US_ASCII));
  }

  static String hash(String secret) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      return "sha256:" + HexFormat.of().formatHex(d.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** A token as issued: the clear text is shown to its owner once and never stored. */
  record Issued(String token, ApiToken stored) {}
}

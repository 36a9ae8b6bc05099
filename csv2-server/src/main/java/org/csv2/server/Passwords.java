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

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/**
 * Password hashes (bcrypt, from a maintained library). Cost 12 in production; tests may lower it.
 *
 * <p><b>Thread safety:</b> immutable.
 */
final class Passwords {
  static final int MIN_LENGTH = 10;
  /** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently cut. */
  static final int MAX_BYTES = 72;

  /** A valid hash of a random password, checked when the user is unknown so timing tells nothing. */
  private final String decoy;
  private final int cost;

  Passwords(int cost) {
    if (cost < 4 || cost > 31) {
      throw new IllegalArgumentException("bcrypt cost must be 4-31, was " + cost);
    }
    this.cost = cost;
    this.decoy = hash("decoy-password-never-used");
  }

  String hash(String password) {
    check(password);
    return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
  }

  boolean verify(String password, String hash) {
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return false;
    }
    if (hash.isEmpty()) {
      BCrypt.verifyer().verify(password.toCharArray(), decoy);
      return false;
    }
    return BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
  }

  /** Spends the time of one check, for an unknown user. */
  void verifyDecoy(String password) {
    verify(password, decoy);
  }

  static void check(String password) {
    if (password.length() < MIN_LENGTH) {
      throw ApiException.badRequest("the password must have at least " + MIN_LENGTH + " characters");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw ApiException.badRequest("the password must have at most " + MAX_BYTES + " bytes");
    }
  }
}

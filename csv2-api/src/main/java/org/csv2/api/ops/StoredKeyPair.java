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
package org.csv2.api.ops;

import java.time.Instant;
import java.util.Objects;

/**
 * A public key csv2 keeps so that it can import the key pair into any cloud (clouds do not hand
 * public keys back): what key-pair replication and {@code csv2 keypair copy} use.
 *
 * @param name the key pair's name (1 to 255 printable characters)
 * @param publicKey the OpenSSH public key line (at most {@link #MAX_KEY} characters)
 * @param fingerprint its fingerprint as a cloud reported it, or empty
 * @param created when it was stored
 */
public record StoredKeyPair(String name, String publicKey, String fingerprint, Instant created) {
  /** The longest public key kept (an 8192-bit RSA key is about 1400 characters). */
  public static final int MAX_KEY = 16_384;

  /** Validates. */
  public StoredKeyPair {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(created, "created");
    if (name.isBlank() || name.length() > 255 || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("key pair name must be 1 to 255 printable characters");
    }
    String[] parts = publicKey.trim().split("\\s+");
    if (publicKey.length() > MAX_KEY || parts.length < 2 || !parts[0].matches("(ssh|ecdsa|sk)-[a-z0-9@.-]+")
        || publicKey.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0)) {
      throw new IllegalArgumentException(
          "key pair " + name + ": the public key must be one OpenSSH line ('ssh-rsa AAAA... comment'), at most " + MAX_KEY + " characters");
    }
    if (fingerprint.length() > 255) {
      throw new IllegalArgumentException("key pair " + name + ": fingerprint longer than 255 characters");
    }
  }
}

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
package org.csv2.plugin.jdbc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.csv2.api.StateStoreException;
import org.csv2.spi.Secret;

/**
 * Encrypts the stored configuration document at rest.
 *
 * <p>Format {@value #FORMAT} (the {@code csv2_config.format} column): the {@code document} column
 * holds Base64 (RFC 4648, with padding) of {@code salt (16 bytes) || iv (12 bytes) || ciphertext
 * with the 16-byte GCM tag appended}. The AES-256 key is PBKDF2-HMAC-SHA256 of the operator's key
 * (its UTF-8 bytes) with the salt and {@value #ITERATIONS} iterations. The IV is random for every
 * write. The additional authenticated data is {@code csv2-config:<version>} (UTF-8), so a document
 * cannot be moved to another version row unnoticed.
 *
 * <p>Each store instance draws one random salt when it starts and derives its key once; keys for
 * other salts (documents written by other engines) are derived once and cached.
 *
 * <p><b>Thread safety:</b> safe for concurrent use.
 */
final class ConfigCipher {
  static final String FORMAT = "aes-256-gcm+pbkdf2-sha256";
  static final String PLAIN = "plain";
  static final int ITERATIONS = 600_000;
  private static final int SALT_BYTES = 16;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final Secret key;
  private final SecureRandom random = new SecureRandom();
  private final byte[] salt;
  private final Map<String, SecretKeySpec> keys = new ConcurrentHashMap<>();

  ConfigCipher(Secret key) {
    this.key = key;
    this.salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
  }

  /**
   * Encrypts a document.
   *
   * @param document the YAML text
   * @param version the version it is stored as
   * @return the stored form
   */
  String encrypt(String document, long version) {
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, keyFor(salt), new GCMParameterSpec(TAG_BITS, iv));
      c.updateAAD(aad(version));
      byte[] sealed = c.doFinal(document.getBytes(StandardCharsets.UTF_8));
      ByteBuffer out = ByteBuffer.allocate(SALT_BYTES + IV_BYTES + sealed.length);
      out.put(salt).put(iv).put(sealed);
      return Base64.getEncoder().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM: " + e.getMessage(), e);
    }
  }

  /**
   * Decrypts a stored document.
   *
   * @param stored the stored form
   * @param version the version it is stored as
   * @return the YAML text
   * @throws StateStoreException CORRUPT if it cannot be decrypted with this key
   */
  String decrypt(String stored, long version) {
    byte[] all;
    try {
      all = Base64.getDecoder().decode(stored.strip());
    } catch (IllegalArgumentException e) {
      throw corrupt(version, "its document is not Base64", e);
    }
    if (all.length < SALT_BYTES + IV_BYTES + TAG_BITS / 8) {
      throw corrupt(version, "its document is too short to be encrypted", null);
    }
    byte[] s = new byte[SALT_BYTES];
    byte[] iv = new byte[IV_BYTES];
    ByteBuffer in = ByteBuffer.wrap(all);
    in.get(s).get(iv);
    byte[] sealed = new byte[in.remaining()];
    in.get(sealed);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, keyFor(s), new GCMParameterSpec(TAG_BITS, iv));
      c.updateAAD(aad(version));
      return new String(c.doFinal(sealed), StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw corrupt(
          version,
          "it cannot be decrypted with the configured encryption-key (a different key, or the row"
              + " was altered); set the key it was written with",
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM: " + e.getMessage(), e);
    }
  }

  private SecretKeySpec keyFor(byte[] s) {
    return keys.computeIfAbsent(Base64.getEncoder().encodeToString(s), k -> derive(s));
  }

  private SecretKeySpec derive(byte[] s) {
    char[] password = key.reveal().toCharArray();
    PBEKeySpec spec = new PBEKeySpec(password, s, ITERATIONS, 256);
    try {
      byte[] k = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      return new SecretKeySpec(k, "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
    } finally {
      spec.clearPassword();
      java.util.Arrays.fill(password, '\0');
    }
  }

  private static byte[] aad(long version) {
    return ("csv2-config:" + version).getBytes(StandardCharsets.UTF_8);
  }

  private static StateStoreException corrupt(long version, String why, @org.jspecify.annotations.Nullable Throwable cause) {
    String message = "stored configuration version " + version + ": " + why;
    return cause == null
        ? new StateStoreException(StateStoreException.Reason.CORRUPT, message)
        : new StateStoreException(StateStoreException.Reason.CORRUPT, message, cause);
  }
}

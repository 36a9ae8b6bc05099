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

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

/** Fresh public keys in OpenSSH format, for key-pair tests. */
public final class SshKeys {
  private SshKeys() {}

  /**
   * A new 2048-bit RSA public key as one {@code authorized_keys} line.
   *
   * @param comment the comment after the key
   * @return {@code ssh-rsa AAAA... comment}
   */
  public static String rsaPublicKey(String comment) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      RSAPublicKey key = (RSAPublicKey) g.generateKeyPair().getPublic();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      byte[] type = "ssh-rsa".getBytes(StandardCharsets.US_ASCII);
      out.writeInt(type.length);
      out.write(type);
      writeMpint(out, key.getPublicExponent());
      writeMpint(out, key.getModulus());
      return "ssh-rsa " + Base64.getEncoder().encodeToString(bytes.toByteArray()) + " " + comment;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA key generation is not available", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeMpint(DataOutputStream out, BigInteger n) throws IOException {
    byte[] b = n.toByteArray();
    out.writeInt(b.length);
    out.write(b);
  }
}

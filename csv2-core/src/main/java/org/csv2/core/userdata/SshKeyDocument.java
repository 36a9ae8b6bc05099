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
package org.csv2.core.userdata;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.csv2.model.Group;
import org.csv2.model.UserDataDocument;

/**
 * A reservation owner's SSH public key as one more cloud-config document of the VMs booted for
 * the reservation (issue 15): {@code ssh_authorized_keys} with the key as a double-quoted YAML
 * scalar. It joins the group's documents in the same MIME multipart message, so cloud-init merges
 * it with them; it sorts last ({@link #PRIORITY}).
 *
 * <p>The key is checked strictly before it is stored (booking) and again before it is rendered:
 * one OpenSSH public key line, a known key type, base64 key material, and a comment of printable
 * ASCII without braces (which the template language would read), quotes or backslashes. What
 * passes needs no escaping in a double-quoted YAML scalar; {@link #yamlQuoted} escapes anyway, so
 * the document stays valid YAML should the check ever be relaxed.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class SshKeyDocument {
  /** The document's name (a plain template, not Jinja). */
  public static final String NAME = "csv2-reservation-ssh-key.yaml";

  /** Its priority: after the group's documents. */
  public static final int PRIORITY = Integer.MAX_VALUE;

  /** The longest key accepted (an 16384-bit RSA key is about 2,800 characters). */
  public static final int MAX_LENGTH = 8_192;

  private static final Pattern KEY =
      Pattern.compile(
          "(ssh-ed25519|ssh-rsa|ssh-dss|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521"
              + "|sk-ssh-ed25519@openssh\\.com|sk-ecdsa-sha2-nistp256@openssh\\.com)"
              + " (AAAA[A-Za-z0-9+/]+={0,3})( [ !#-\\[\\]-z|~]*)?");

  private SshKeyDocument() {}

  /**
   * Checks a key and returns it trimmed.
   *
   * @param key an OpenSSH public key line ({@code ssh-ed25519 AAAA... you@host})
   * @return the key without surrounding white space
   * @throws IllegalArgumentException saying what is wrong, never echoing the key
   */
  public static String check(String key) {
    String k = key.strip();
    if (k.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("the SSH key has more than " + MAX_LENGTH + " characters");
    }
    if (k.contains("PRIVATE KEY")) {
      throw new IllegalArgumentException("the SSH key is a private key: give the public one (the .pub file)");
    }
    if (!KEY.matcher(k).matches()) {
      throw new IllegalArgumentException(
          "the SSH key is not one OpenSSH public key line ('ssh-ed25519 AAAA... comment': a known type,"
              + " base64 key material, a comment of printable ASCII without braces, quotes or backslashes)");
    }
    return k;
  }

  /**
   * The key as a YAML double-quoted scalar.
   *
   * @param text the text
   * @return {@code "text"} with backslashes, quotes and control characters escaped
   */
  static String yamlQuoted(String text) {
    StringBuilder b = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /**
   * The cloud-config document that authorises the key on the VMs (cloud-init's default user).
   *
   * @param key the key (checked here)
   * @return the document
   * @throws IllegalArgumentException if the key does not pass {@link #check}
   */
  public static UserDataDocument of(String key) {
    String template = "#cloud-config\n# the SSH key of the reservation's owner (csv2)\nssh_authorized_keys:\n  - " + yamlQuoted(check(key)) + "\n";
    return new UserDataDocument(NAME, PRIORITY, UserDataComposer.CLOUD_CONFIG, template, true);
  }

  /**
   * The group with the key's document added to its user data, for the boots of one reservation.
   *
   * @param group the group
   * @param key the key (checked here)
   * @return a copy of the group
   * @throws IllegalArgumentException if the key does not pass {@link #check}
   */
  public static Group withKey(Group group, String key) {
    List<UserDataDocument> docs = new ArrayList<>(group.userData());
    docs.removeIf(d -> d.name().equals(NAME));
    docs.add(of(key));
    return new Group(group.name(), group.jobDefaults(), group.vmDefaults(), docs, group.submitters(), group.weight(), group.variables());
  }
}

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
package org.csv2.model;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An API token of a user, for the command line and scripts, as the state store keeps it.
 *
 * <p>The token a client sends is {@code csv2_<id>_<secret>}; the store keeps only the id and a hash
 * of the secret (SHA-256, made by the server), so a copy of the database signs nobody in.
 *
 * @param id the public part: 16-32 lower-case letters and digits
 * @param user the owner's name
 * @param secretHash the hash of the secret part
 * @param label what the owner calls it, up to 128 characters
 * @param created when it was made
 * @param expires when it stops working, or null for never
 */
public record ApiToken(
    String id, String user, String secretHash, String label, Instant created, @Nullable Instant expires) {
  private static final Pattern ID = Pattern.compile("[a-z0-9]{16,32}");

  /** Validates. */
  public ApiToken {
    Objects.requireNonNull(id, "token id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("token id must be 16-32 lower-case letters and digits");
    }
    if (!User.validName(Objects.requireNonNull(user, "user"))) {
      throw new IllegalArgumentException("token owner is not a valid user name");
    }
    Names.nonBlank(secretHash, "secretHash");
    Objects.requireNonNull(label, "label");
    if (label.length() > 128) {
      throw new IllegalArgumentException("token label is longer than 128 characters");
    }
    Objects.requireNonNull(created, "created");
  }

  /**
   * Whether the token works at a time.
   *
   * @param now the time
   * @return false once expired
   */
  public boolean validAt(Instant now) {
    return expires == null || now.isBefore(expires);
  }

  /** Never prints the hash. */
  @Override
  public String toString() {
    return "ApiToken[" + id + ", user=" + user + ", label=" + label + "]";
  }
}

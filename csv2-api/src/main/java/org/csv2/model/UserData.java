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

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * A VM's user data as the engine composed it: base64 text, gzip-compressed when it was large.
 * Clouds take the base64 form as it is.
 *
 * @param base64 the base64 encoding of the bytes to hand the cloud
 * @param gzipped true when those bytes are gzip-compressed
 */
public record UserData(String base64, boolean gzipped) {
  /** No user data. */
  public static final UserData EMPTY = new UserData("", false);

  /** Validates. */
  public UserData {
    Objects.requireNonNull(base64, "base64");
  }

  /**
   * User data from plain text, not compressed.
   *
   * @param text the text
   * @return the user data
   */
  public static UserData ofText(String text) {
    return new UserData(
        Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)), false);
  }

  /**
   * The raw bytes handed to the cloud.
   *
   * @return the decoded bytes
   */
  public byte[] bytes() {
    return Base64.getDecoder().decode(base64);
  }

  /**
   * The text a VM's cloud-init reads, uncompressed.
   *
   * @return the text
   */
  public String text() {
    byte[] raw = bytes();
    if (!gzipped) {
      return new String(raw, StandardCharsets.UTF_8);
    }
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("user data is marked gzipped but is not", e);
    }
  }

  /**
   * Whether there is no user data.
   *
   * @return true when empty
   */
  public boolean isEmpty() {
    return base64.isEmpty();
  }
}

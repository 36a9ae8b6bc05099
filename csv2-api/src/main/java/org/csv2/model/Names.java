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

import java.util.Objects;
import java.util.regex.Pattern;

/** Shared validation of the typed names. */
final class Names {
  static final Pattern SLUG = Pattern.compile("[a-z0-9]([a-z0-9_-]*[a-z0-9])?");

  private Names() {}

  static String slug(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.length() > 63 || !SLUG.matcher(value).matches() || value.contains("--")) {
      throw new IllegalArgumentException(
          what
              + " '"
              + value
              + "' is invalid: use 1-63 lower-case letters, digits, '-' or '_', starting and ending"
              + " with a letter or digit, without '--'");
    }
    return value;
  }

  static String nonBlank(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }
}

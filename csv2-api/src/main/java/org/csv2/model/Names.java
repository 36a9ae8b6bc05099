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

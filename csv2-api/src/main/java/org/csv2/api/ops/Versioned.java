package org.csv2.api.ops;

import java.util.Objects;

/**
 * A configuration object with the version of the stored configuration it was read from. Pass the
 * version back as {@code expectedVersion} to a configuration verb; if the configuration changed in
 * the meantime the write is refused ({@link org.csv2.api.StateStoreException} {@code CONFLICT}).
 *
 * @param value the object
 * @param version the stored configuration version, 0 when none is stored
 * @param <T> the object's type
 */
public record Versioned<T>(T value, long version) {
  /** Validates. */
  public Versioned {
    Objects.requireNonNull(value, "value");
    if (version < 0) {
      throw new IllegalArgumentException("negative version " + version);
    }
  }
}

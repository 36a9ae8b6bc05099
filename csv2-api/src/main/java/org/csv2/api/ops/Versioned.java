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

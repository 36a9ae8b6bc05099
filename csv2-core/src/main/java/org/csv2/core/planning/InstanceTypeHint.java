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
package org.csv2.core.planning;

import java.util.ArrayList;
import java.util.List;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.jspecify.annotations.Nullable;

/**
 * A job's instance-type hint, parsed: a comma list of {@code flavor} (any cloud) or {@code
 * cloud:flavor} (that cloud only) entries. Blank entries are ignored; a hint with no usable entry
 * allows nothing.
 */
final class InstanceTypeHint {
  /** The hint of a job that gave none: every flavor is allowed. */
  static final InstanceTypeHint NONE = new InstanceTypeHint(null, List.of());

  private final @Nullable String text;
  private final List<String[]> entries;

  private InstanceTypeHint(@Nullable String text, List<String[]> entries) {
    this.text = text;
    this.entries = entries;
  }

  static InstanceTypeHint parse(@Nullable String hint) {
    if (hint == null || hint.isBlank()) {
      return NONE;
    }
    List<String[]> entries = new ArrayList<>();
    for (String raw : hint.split(",")) {
      String e = raw.trim();
      if (e.isEmpty()) {
        continue;
      }
      int colon = e.indexOf(':');
      entries.add(
          colon < 0
              ? new String[] {null, e}
              : new String[] {e.substring(0, colon).trim(), e.substring(colon + 1).trim()});
    }
    return new InstanceTypeHint(hint, List.copyOf(entries));
  }

  /** Whether the job gave a hint at all. */
  boolean present() {
    return text != null;
  }

  /** The hint as the job wrote it, for messages. */
  String text() {
    return text == null ? "" : text;
  }

  /**
   * Whether the hint allows a flavor on a cloud.
   *
   * @param cloud the cloud
   * @param flavor the flavor
   * @return true without a hint, or if an entry names the flavor for any cloud or for this one
   */
  boolean allows(CloudName cloud, FlavorName flavor) {
    if (text == null) {
      return true;
    }
    for (String[] e : entries) {
      if ((e[0] == null || e[0].equals(cloud.value())) && e[1].equals(flavor.value())) {
        return true;
      }
    }
    return false;
  }
}

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

import java.util.List;
import java.util.Objects;

/**
 * What a configuration verb changed.
 *
 * @param version the stored configuration version after the change
 * @param target the object changed ({@code cloud c1}, {@code group g1}, {@code allocation g1/c1}, ...)
 * @param before the object before, as YAML with secrets redacted; empty if it was added
 * @param after the object after, as YAML with secrets redacted; empty if it was deleted
 * @param intents intents stored with the change (retirements of a deleted cloud's VMs, ...)
 */
public record ConfigChange(long version, String target, String before, String after, List<Intent> intents) {
  /** Validates and copies. */
  public ConfigChange {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    intents = List.copyOf(intents);
  }
}

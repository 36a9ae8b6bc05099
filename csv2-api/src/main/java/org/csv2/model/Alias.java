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
import java.util.Set;

/**
 * A named set of a group's clouds; a job that targets the alias runs only on VMs of those clouds.
 *
 * @param group the group
 * @param name the alias
 * @param clouds its clouds (exact names, never substrings)
 */
public record Alias(GroupName group, AliasName name, Set<CloudName> clouds) {
  /** Validates and copies. */
  public Alias {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(name, "name");
    clouds = Set.copyOf(clouds);
  }
}

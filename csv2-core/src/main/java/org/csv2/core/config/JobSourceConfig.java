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
package org.csv2.core.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One job source of the engine: a batch system that groups read their jobs from (production gives
 * each group its own HTCondor central manager).
 *
 * @param name the source's name, which groups name in their {@code job-source}; {@value
 *     #DEFAULT_NAME} for the single source of a {@code job-source:} section
 * @param plugin its provider and settings
 */
public record JobSourceConfig(String name, PluginSelection plugin) {
  /** The name of the single source of a {@code job-source:} section. */
  public static final String DEFAULT_NAME = "default";

  /** What a job source's name may be. */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  /** Validates. */
  public JobSourceConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(plugin, "plugin");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("job source name '" + name + "' does not match " + NAME.pattern());
    }
  }
}

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

/**
 * The configuration document the engine runs with, as kept in a state store so that operators can
 * change it without a restart.
 *
 * @param document the YAML text (secrets appear only as references such as {@code ${ENV}})
 * @param version increases with every save
 * @param updatedAt when it was saved
 * @param updatedBy who saved it
 */
public record StoredConfig(String document, long version, Instant updatedAt, String updatedBy) {
  /** Validates. */
  public StoredConfig {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(updatedBy, "updatedBy");
  }
}

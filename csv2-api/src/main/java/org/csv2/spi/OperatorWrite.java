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
package org.csv2.spi;

import java.util.List;
import java.util.Objects;
import org.csv2.api.ops.AuditEntry;
import org.csv2.api.ops.Intent;
import org.csv2.model.StoredConfig;
import org.jspecify.annotations.Nullable;

/**
 * What one operator action writes, applied by {@link StateStore#submit} in one transaction: an
 * optional new configuration document, new intents and audit entries.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param document the new configuration document, or null to leave it
 * @param expectedConfigVersion the configuration version the document was built from (0 if none
 *     was stored); ignored without a document
 * @param by who saves the document ({@link StoredConfig#updatedBy()})
 * @param intents new intents, each with id 0 and version 0
 * @param audit audit entries, each with id 0
 */
public record OperatorWrite(
    @Nullable String document, long expectedConfigVersion, String by, List<Intent> intents, List<AuditEntry> audit) {
  /** Validates and copies. */
  public OperatorWrite {
    Objects.requireNonNull(by, "by");
    intents = List.copyOf(intents);
    audit = List.copyOf(audit);
    for (Intent i : intents) {
      if (i.id() != 0 || i.version() != 0) {
        throw new IllegalArgumentException("a new intent has id 0 and version 0, was " + i.id() + "/" + i.version());
      }
    }
  }

  /**
   * What a store wrote.
   *
   * @param config the stored configuration, if a document was written
   * @param intents the stored intents, with their ids and version 1, in the order given
   * @param audit the stored audit entries, with their ids
   */
  public record Result(@Nullable StoredConfig config, List<Intent> intents, List<AuditEntry> audit) {
    /** Copies. */
    public Result {
      intents = List.copyOf(intents);
      audit = List.copyOf(audit);
    }
  }
}

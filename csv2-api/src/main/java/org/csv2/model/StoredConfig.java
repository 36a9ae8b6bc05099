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

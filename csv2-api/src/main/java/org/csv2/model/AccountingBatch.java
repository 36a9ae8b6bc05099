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
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A batch of accounting records (one APEL message) about to be handed to the sender: recorded in
 * the store before its file becomes visible and marked sent once it is, so that a crash between
 * the two neither loses nor repeats it (docs/accounting.md).
 *
 * @param id the batch's id, also its file's name
 * @param createdAt when it was prepared
 * @param entries what it carries: each record's key (such as a VM and month) and the fingerprint
 *     of the figures sent for it
 */
public record AccountingBatch(String id, Instant createdAt, Map<String, String> entries) {
  /** Validates and copies. */
  public AccountingBatch {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createdAt, "createdAt");
    if (!id.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("accounting batch id must be 1 to 64 letters, digits, '_', '.' or '-'");
    }
    entries = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(entries));
  }
}

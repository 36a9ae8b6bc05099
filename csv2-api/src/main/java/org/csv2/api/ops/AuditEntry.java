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

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the audit log: who did what to what, with the object before and after. Secrets are
 * redacted before an entry is built ({@code Operations} replaces every secret value by {@code
 * ***}), so stores keep the text as given.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * @param id the store's id, 0 before it is stored
 * @param at when
 * @param actor who
 * @param action the verb, in the production system's words ({@code vm retire}, {@code cloud
 *     update}, ...)
 * @param target the object acted on ({@code vm name}, {@code cloud}, {@code group/cloud}, ...)
 * @param before the object before, as text (empty when it did not exist), at most {@link #MAX_TEXT}
 * @param after the object after, or the intent stored (empty when deleted), at most {@link
 *     #MAX_TEXT}
 */
public record AuditEntry(long id, Instant at, Actor actor, String action, String target, String before, String after) {
  /** The longest action or target. */
  public static final int MAX_NAME = 256;

  /** The longest before or after text kept; longer text is cut and marked. */
  public static final int MAX_TEXT = 65_536;

  /** Validates and cuts. */
  public AuditEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    if (id < 0) {
      throw new IllegalArgumentException("audit entry: negative id");
    }
    if (action.isBlank() || action.length() > MAX_NAME || target.length() > MAX_NAME) {
      throw new IllegalArgumentException("audit entry: action must be 1 to " + MAX_NAME + " characters, target up to " + MAX_NAME);
    }
    before = cut(before);
    after = cut(after);
  }

  /**
   * A new entry, not yet stored.
   *
   * @param at when
   * @param actor who
   * @param action the verb
   * @param target the object
   * @param before the object before (redacted)
   * @param after the object after (redacted)
   * @return the entry, id 0
   */
  public static AuditEntry of(Instant at, Actor actor, String action, String target, String before, String after) {
    return new AuditEntry(0, at, actor, action, target, before, after);
  }

  private static String cut(String s) {
    String marker = "\n... (cut)";
    return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT - marker.length()) + marker;
  }
}

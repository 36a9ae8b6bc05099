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
package org.csv2.api;

import java.util.Objects;

/** A state store could not read or write. */
public final class StateStoreException extends Csv2Exception {
  /** Why. */
  public enum Reason {
    /** An optimistic-lock version did not match: somebody else wrote first. Re-read and retry. */
    CONFLICT(true),
    /** The store could not be reached. */
    UNAVAILABLE(true),
    /** Stored data cannot be read back. */
    CORRUPT(false);

    private final boolean retryable;

    Reason(boolean retryable) {
      this.retryable = retryable;
    }

    /**
     * Whether this reason is transient.
     *
     * @return true if a later try may succeed
     */
    public boolean retryable() {
      return retryable;
    }
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason why
   * @param message what
   */
  public StateStoreException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Creates the exception.
   *
   * @param reason why
   * @param message what
   * @param cause the underlying exception
   */
  public StateStoreException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Why.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }

  @Override
  public boolean retryable() {
    return reason.retryable();
  }
}

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

/** A job source could not be read or could not act on a worker. */
public final class JobSourceException extends Csv2Exception {
  /** Why. */
  public enum Reason {
    /** The batch system could not be reached or timed out. */
    UNAVAILABLE(true),
    /** The batch system answered with something that cannot be understood. */
    INVALID_DATA(false),
    /** The batch system refused the command (permissions). */
    REFUSED(false);

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
  public JobSourceException(Reason reason, String message) {
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
  public JobSourceException(Reason reason, String message, Throwable cause) {
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

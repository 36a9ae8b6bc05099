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

/** A cloud call failed. The message names the cloud and what was asked. */
public final class CloudException extends Csv2Exception {
  /** Why, as Karpenter's typed cloud errors. */
  public enum Reason {
    /** The thing asked about does not exist (never thrown by an idempotent terminate). */
    NOT_FOUND(false),
    /** The project's quota would be exceeded. */
    QUOTA_EXCEEDED(false),
    /** The cloud has no room for this flavor now ("No valid host", insufficient capacity). */
    CAPACITY_UNAVAILABLE(true),
    /** The credentials were refused, even after re-authenticating. */
    AUTHENTICATION(false),
    /** The request is wrong: unknown flavor or image, bad parameter; the message says which. */
    INVALID_REQUEST(false),
    /** The cloud could not be reached or failed (5xx, timeout, throttling). */
    UNAVAILABLE(true);

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
   * @param message what, naming the cloud
   */
  public CloudException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Creates the exception.
   *
   * @param reason why
   * @param message what, naming the cloud
   * @param cause the client's exception
   */
  public CloudException(Reason reason, String message, Throwable cause) {
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

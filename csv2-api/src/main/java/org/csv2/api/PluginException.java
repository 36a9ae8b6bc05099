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

/** A plugin cannot be found, is ambiguous, incompatible, or failed to start. */
public final class PluginException extends Csv2Exception {
  /** Why. */
  public enum Reason {
    /** No provider has the configured name. */
    NOT_FOUND,
    /** Two providers have the same name. */
    DUPLICATE,
    /** The provider was built for another csv2 API version. */
    INCOMPATIBLE,
    /** The provider failed to load or to create its instance. */
    FAILED
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason why
   * @param message what, naming the plugin, what is available and what to add
   */
  public PluginException(Reason reason, String message) {
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
  public PluginException(Reason reason, String message, Throwable cause) {
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

  /** Never: the classpath or configuration must change. */
  @Override
  public boolean retryable() {
    return false;
  }
}

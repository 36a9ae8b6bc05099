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

/**
 * The root of every exception csv2 and its plugins throw. Unchecked.
 *
 * <p>Each subclass carries a reason enum; {@link #retryable()} follows from the reason. Plugins
 * throw these types and never retry by themselves; the engine alone decides to retry.
 */
public abstract class Csv2Exception extends RuntimeException {
  /**
   * Creates the exception.
   *
   * @param message what went wrong, naming the cloud, VM, job or config path, and the fix
   * @param cause the underlying exception, or null
   */
  protected Csv2Exception(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception.
   *
   * @param message what went wrong
   */
  protected Csv2Exception(String message) {
    super(message);
  }

  /**
   * Whether trying the same thing again later may succeed.
   *
   * @return true for transient failures
   */
  public abstract boolean retryable();
}

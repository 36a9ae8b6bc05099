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

import java.util.Objects;
import org.csv2.api.Csv2Exception;

/**
 * An operation refused before anything was stored: what it names does not exist, or the action
 * is not allowed in the object's state. A stale configuration write is a {@link
 * org.csv2.api.StateStoreException} with reason {@code CONFLICT}; an invalid configuration a {@link
 * org.csv2.api.ConfigurationException} listing every problem.
 */
public final class OperationException extends Csv2Exception {
  /** Why an operation is refused. */
  public enum Reason {
    /** The VM, cloud, group, alias or document named does not exist. */
    NOT_FOUND,
    /** The object exists but the action is not allowed (a delete with live VMs, ...). */
    REFUSED
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason the reason
   * @param message what was refused and why, naming the object
   */
  public OperationException(Reason reason, String message) {
    super(message);
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
    return false;
  }
}

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

/** Where an {@link Intent} stands. */
public enum IntentStatus {
  /** Stored; the engine holding the group's lease carries it out at its next cycle. */
  PENDING,
  /** Carried out. */
  DONE,
  /** Could not be carried out; the message says why. */
  FAILED,
  /** Its VM was gone when the engine came to it: reported, never silently dropped. */
  VANISHED;

  /**
   * Whether the intent is finished.
   *
   * @return true for every status but {@link #PENDING}
   */
  public boolean isFinal() {
    return this != PENDING;
  }
}

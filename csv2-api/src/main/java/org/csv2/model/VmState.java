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

/**
 * Where a VM the engine asked for is in its life. Derived each cycle from the cloud's and the
 * batch system's snapshots, never from counters.
 */
public enum VmState {
  /** Intent written; the cloud has not answered the boot call yet. */
  REQUESTED,
  /** The cloud is building it. */
  BOOTING,
  /** The cloud says it is active; the batch system has not seen it. */
  UNREGISTERED,
  /** Registered with the batch system and running no job. */
  IDLE,
  /** Registered and running at least one job. */
  RUNNING,
  /** Asked to drain: running jobs finish, no new ones start. */
  RETIRING,
  /** Termination asked of the cloud. */
  TERMINATING,
  /** Gone from the cloud. */
  TERMINATED,
  /** The cloud reports an error. */
  ERROR,
  /** Under an operator's manual control: the engine never touches it. */
  MANUAL;

  /**
   * Whether the VM holds or will hold cloud capacity.
   *
   * @return false only for {@link #TERMINATED}
   */
  public boolean holdsCapacity() {
    return this != TERMINATED;
  }

  /**
   * Whether the VM is on its way to being a worker that can take jobs.
   *
   * @return true for REQUESTED, BOOTING and UNREGISTERED
   */
  public boolean isStarting() {
    return this == REQUESTED || this == BOOTING || this == UNREGISTERED;
  }
}

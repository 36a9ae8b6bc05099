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

/** The state of an instance as its cloud reports it, mapped from the cloud's own words. */
public enum InstanceState {
  /** Being built (Nova BUILD, EC2 pending). */
  PENDING,
  /** Running (Nova ACTIVE, EC2 running). */
  ACTIVE,
  /** Failed (Nova ERROR); {@link Instance#fault()} says why. */
  ERROR,
  /** Stopped, paused, suspended or shelved: holds quota, runs nothing. */
  STOPPED,
  /** Being deleted (EC2 shutting-down, Nova deleting task). */
  TERMINATING,
  /** Deleted (Nova DELETED, EC2 terminated). */
  TERMINATED,
  /** Any state the driver cannot map. */
  UNKNOWN
}

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
package org.csv2.testkit;

/**
 * What a cloud driver may or may not do beyond the verbs every driver has. {@link
 * CloudDriverContract#capabilities()} returns all of them by default; a driver that lacks one
 * removes it, and the contract then checks the documented behaviour of the missing capability
 * instead of skipping the test.
 */
public enum DriverCapability {
  /**
   * {@link org.csv2.spi.CloudDriver#keyPairs()} lists the project's key pairs. Without it the
   * method throws {@link UnsupportedOperationException}.
   */
  KEY_PAIRS,
  /**
   * {@link org.csv2.spi.CloudDriver#networks()} lists the project's networks. Without it the
   * method throws {@link UnsupportedOperationException}.
   */
  NETWORKS,
  /**
   * {@link org.csv2.spi.CloudDriver#capacity()} reports a real quota: at least one of cores, RAM
   * and instances is limited. Without it the driver reports {@link
   * org.csv2.model.Limits#NONE} as the maximum.
   */
  CAPACITY_LIMITS
}

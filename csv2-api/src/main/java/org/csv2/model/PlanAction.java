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
 * One decision of a cycle. Every action carries a reason a person can read, such as "boot 3 x
 * c8-30gb on arbutus for 24 idle 1-core jobs of atlas: arbutus is priority 0 and cheapest per
 * job".
 */
public sealed interface PlanAction permits Boot, Retire, Terminate, Adopt {
  /**
   * Why the engine decided this, for people.
   *
   * @return the reason
   */
  String reason();
}

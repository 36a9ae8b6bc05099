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
package org.csv2.core.plugin;

import org.csv2.core.planning.Planners;
import org.csv2.testkit.PlannerContract;

/** The engine's own policy passes the planner contract through the planner SPI. */
class DefaultPlannerContractTest extends PlannerContract {
  @Override
  protected String providerName() {
    return Planners.DEFAULT;
  }
}

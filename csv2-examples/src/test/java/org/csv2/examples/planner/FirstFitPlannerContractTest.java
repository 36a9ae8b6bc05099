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
package org.csv2.examples.planner;

import org.csv2.testkit.Csv2ArchRules;
import org.csv2.testkit.PlannerContract;
import org.junit.jupiter.api.Test;

/** The sample third-party planner passes the planner contract and the plugin rules from outside. */
class FirstFitPlannerContractTest extends PlannerContract {
  @Override
  protected String providerName() {
    return FirstFitPlannerProvider.NAME;
  }

  @Test
  void followsThePluginRules() {
    Csv2ArchRules.plugin("org.csv2.examples.planner")
        .check(Csv2ArchRules.mainClasses("org.csv2.examples.planner"));
  }
}

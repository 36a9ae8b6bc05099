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

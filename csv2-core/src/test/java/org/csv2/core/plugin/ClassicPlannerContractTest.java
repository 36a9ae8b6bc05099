package org.csv2.core.plugin;

import org.csv2.core.planning.Planners;
import org.csv2.testkit.PlannerContract;

/** Production's rules pass the planner contract through the planner SPI. */
class ClassicPlannerContractTest extends PlannerContract {
  @Override
  protected String providerName() {
    return Planners.CLASSIC;
  }
}

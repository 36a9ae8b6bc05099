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

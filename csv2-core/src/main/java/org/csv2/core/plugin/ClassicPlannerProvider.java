package org.csv2.core.plugin;

import org.csv2.core.planning.Planners;

/** The production cloudscheduler's rules, {@code engine.policy: csv2-classic} (see docs/planner.md). */
public final class ClassicPlannerProvider extends BuiltInPlannerProvider {
  @Override
  public String name() {
    return Planners.CLASSIC;
  }
}

package org.csv2.core.plugin;

import org.csv2.core.planning.Planners;

/** The project's planning policy, {@code engine.policy: default} (see docs/planner.md). */
public final class DefaultPlannerProvider extends BuiltInPlannerProvider {
  @Override
  public String name() {
    return Planners.DEFAULT;
  }
}

package org.csv2.core.plugin;

import org.csv2.core.planning.Planner;
import org.csv2.core.planning.Planners;
import org.csv2.model.Plan;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.PlannerProvider;
import org.csv2.spi.PlanningPolicy;
import org.csv2.spi.PlanningView;
import org.csv2.spi.PluginContext;

/**
 * A policy of the engine itself, offered through the planner SPI like any other. The engine runs
 * {@link #planner()} on its own snapshot directly; {@link #create} serves views made elsewhere
 * (the planner contract, a third party comparing with the built-in policies).
 */
public abstract sealed class BuiltInPlannerProvider implements PlannerProvider
    permits DefaultPlannerProvider, ClassicPlannerProvider {
  @Override
  public final String apiVersion() {
    return Csv2Api.VERSION;
  }

  /**
   * The engine's planner of this policy.
   *
   * @return a new planner
   */
  public final Planner planner() {
    return Planners.forPolicy(name());
  }

  @Override
  public final PlanningPolicy create(PluginContext context) {
    Planner planner = planner();
    String policy = name();
    return new PlanningPolicy() {
      @Override
      public Plan plan(PlanningView view) {
        return planner.plan(PlanningViews.snapshot(view, policy));
      }
    };
  }
}

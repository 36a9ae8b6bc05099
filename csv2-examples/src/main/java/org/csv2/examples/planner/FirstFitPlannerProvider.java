package org.csv2.examples.planner;

import org.csv2.spi.Csv2Api;
import org.csv2.spi.PlannerProvider;
import org.csv2.spi.PlanningPolicy;
import org.csv2.spi.PluginContext;

/**
 * A third-party planning policy, written against csv2-api only: {@code engine.policy: first-fit}.
 * It is a sample of the planner SPI, not a policy for production: one VM per idle job, on the
 * first cloud (by allocation priority) with room for the smallest flavor that fits the job.
 */
public final class FirstFitPlannerProvider implements PlannerProvider {
  /** The policy's name in {@code engine.policy}. */
  public static final String NAME = "first-fit";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String apiVersion() {
    return Csv2Api.VERSION;
  }

  @Override
  public PlanningPolicy create(PluginContext context) {
    return new FirstFitPlanner();
  }
}

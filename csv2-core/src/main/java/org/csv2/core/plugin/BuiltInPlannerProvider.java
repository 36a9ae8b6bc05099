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

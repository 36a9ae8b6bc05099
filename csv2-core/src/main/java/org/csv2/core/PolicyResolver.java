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
package org.csv2.core;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.csv2.api.PluginException;
import org.csv2.core.engine.PluginMetrics;
import org.csv2.core.planning.Planner;
import org.csv2.core.plugin.BuiltInPlannerProvider;
import org.csv2.core.plugin.PlanningViews;
import org.csv2.core.plugin.PluginCatalog;
import org.csv2.model.Plan;
import org.csv2.spi.PlannerProvider;
import org.csv2.spi.PlanningPolicy;
import org.jspecify.annotations.Nullable;

/**
 * The planner of each {@code engine.policy} name, through the plugin catalog: the engine's own
 * policies run on its snapshot directly, any other {@link PlannerProvider} gets the snapshot as a
 * {@link org.csv2.spi.PlanningView}. Each policy is created once, at its first use. A policy bound
 * by an embedder's Guice module replaces whatever {@code engine.policy} names.
 *
 * <p><b>Thread safety:</b> safe for concurrent use.
 */
final class PolicyResolver implements Function<String, Planner> {
  private final PluginCatalog catalog;
  private final Clock clock;
  private final String instanceId;
  private final PluginMetrics metrics;
  private final Map<String, Planner> planners = new ConcurrentHashMap<>();
  private final @Nullable PlanningPolicy override;

  PolicyResolver(
      PluginCatalog catalog, Clock clock, String instanceId, PluginMetrics metrics, @Nullable PlanningPolicy override) {
    this.override = override;
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * The planner of a policy.
   *
   * @throws PluginException NOT_FOUND listing the policies available, INCOMPATIBLE, or FAILED when
   *     the provider cannot create the policy
   */
  @Override
  public Planner apply(String policy) {
    return planners.computeIfAbsent(policy, this::create);
  }

  private Planner create(String policy) {
    if (override != null) {
      return adapt(override, policy + " (replaced by " + override.getClass().getName() + ")");
    }
    PlannerProvider provider = catalog.planner(policy);
    if (provider instanceof BuiltInPlannerProvider builtIn) {
      return builtIn.planner();
    }
    PlanningPolicy created;
    try {
      created = provider.create(new EnginePluginContext(clock, instanceId, "planner", metrics.sink(policy, "planner"), metrics.rejections().sink(policy, "planner")));
    } catch (RuntimeException e) {
      throw new PluginException(
          PluginException.Reason.FAILED, "planner '" + policy + "' (" + provider.getClass().getName() + ") failed to start: " + e, e);
    }
    if (created == null) {
      throw new PluginException(PluginException.Reason.FAILED, "planner '" + policy + "': its provider returned no policy");
    }
    return adapt(created, policy);
  }

  private static Planner adapt(PlanningPolicy p, String policy) {
    return snapshot -> {
      Plan plan = p.plan(PlanningViews.of(snapshot));
      if (plan == null) {
        throw new PluginException(PluginException.Reason.FAILED, "planner '" + policy + "' returned no plan");
      }
      return plan;
    };
  }
}

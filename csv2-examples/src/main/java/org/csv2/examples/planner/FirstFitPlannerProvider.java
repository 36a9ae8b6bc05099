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

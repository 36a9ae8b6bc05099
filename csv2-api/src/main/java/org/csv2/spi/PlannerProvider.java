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
package org.csv2.spi;

/**
 * The entry point of a planning policy, found by {@link java.util.ServiceLoader} through {@code
 * META-INF/services/org.csv2.spi.PlannerProvider} and selected by {@link #name()} from {@code
 * engine.policy}. The engine's own policies, {@code default} and {@code csv2-classic}, are
 * registered the same way.
 *
 * <p><b>Thread safety:</b> stateless; may be called from any thread.
 *
 * <p><b>Lifecycle:</b> loaded once when the engine is built; {@link #create} is called when the
 * engine needs the policy (at build time and when a stored configuration names another policy).
 */
public interface PlannerProvider extends PluginProvider {
  /**
   * Creates the policy.
   *
   * @param context the engine's services ({@link PluginContext#name()} is {@code planner}); a
   *     policy must not read its clock (it plans from {@link PlanningView#now()})
   * @return the policy
   */
  PlanningPolicy create(PluginContext context);
}

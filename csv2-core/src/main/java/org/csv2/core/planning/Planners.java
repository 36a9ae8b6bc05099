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
package org.csv2.core.planning;

import java.util.List;
import org.csv2.api.ConfigurationException;

/** Selects a planning policy by its configured name. */
public final class Planners {
  /** The project's policy. */
  public static final String DEFAULT = "default";

  /** The production cloudscheduler's rules. */
  public static final String CLASSIC = "csv2-classic";

  private Planners() {}

  /**
   * The planner of a policy.
   *
   * @param name {@code default} or {@code csv2-classic}
   * @return a new planner
   * @throws ConfigurationException naming the policies available when the name is unknown
   */
  public static Planner forPolicy(String name) {
    return switch (name) {
      case DEFAULT -> new DefaultPlanner();
      case CLASSIC -> new ClassicPlanner();
      default ->
          throw new ConfigurationException(
              List.of(
                  "engine.policy: unknown planning policy '" + name + "'; use '" + DEFAULT
                      + "' or '" + CLASSIC + "'"));
    };
  }
}

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
package org.csv2.core.config;

import java.util.Objects;
import org.csv2.model.Cloud;

/**
 * A configured cloud: the model's {@link Cloud} and its driver's configuration.
 *
 * @param cloud the cloud
 * @param driver the driver selection ({@code driver} equals {@code cloud.driver()})
 */
public record CloudConfig(Cloud cloud, PluginSelection driver) {
  /** Validates. */
  public CloudConfig {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(driver, "driver");
    if (!cloud.driver().equals(driver.driver())) {
      throw new IllegalArgumentException("cloud " + cloud.name() + ": driver mismatch");
    }
  }
}

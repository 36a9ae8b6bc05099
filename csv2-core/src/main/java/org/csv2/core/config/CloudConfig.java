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

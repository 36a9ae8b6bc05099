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
package org.csv2.model;

import java.util.Map;
import java.util.Objects;

/**
 * A machine type a cloud offers.
 *
 * @param name the flavor's name on its cloud
 * @param resources what one VM of this flavor has
 * @param pricePerHour the price of one VM-hour, in the operator's currency; 0 when unknown
 * @param available false when the cloud has it listed but cannot start it now (disabled, no
 *     capacity)
 * @param properties the cloud's extra specs or attributes (may be empty)
 */
public record Flavor(
    FlavorName name,
    Resources resources,
    double pricePerHour,
    boolean available,
    Map<String, String> properties) {
  /** Validates and copies. */
  public Flavor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(resources, "resources");
    if (!(pricePerHour >= 0) || Double.isInfinite(pricePerHour)) {
      throw new IllegalArgumentException("flavor " + name + ": price must be >= 0, was " + pricePerHour);
    }
    properties = Map.copyOf(properties);
  }

  /**
   * An available flavor with no price and no properties.
   *
   * @param name the name
   * @param resources its resources
   * @return the flavor
   */
  public static Flavor of(String name, Resources resources) {
    return new Flavor(FlavorName.of(name), resources, 0, true, Map.of());
  }

  /**
   * An available priced flavor with no properties.
   *
   * @param name the name
   * @param resources its resources
   * @param pricePerHour its price per hour
   * @return the flavor
   */
  public static Flavor of(String name, Resources resources, double pricePerHour) {
    return new Flavor(FlavorName.of(name), resources, pricePerHour, true, Map.of());
  }

  /**
   * The same flavor with another price.
   *
   * @param price the new price per hour
   * @return the copy
   */
  public Flavor withPrice(double price) {
    return new Flavor(name, resources, price, available, properties);
  }
}

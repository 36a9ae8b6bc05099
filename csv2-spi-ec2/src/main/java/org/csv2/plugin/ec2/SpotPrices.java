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
package org.csv2.plugin.ec2;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ec2.model.SpotPrice;

/**
 * The current spot price per instance type from a DescribeSpotPriceHistory answer: per type and
 * availability zone the latest entry counts; across zones the lowest counts (AWS places a request
 * without subnet or zone where it chooses, and the cheapest zone is what a flexible request can
 * get), unless a zone is given, in which case only that zone counts (a subnet pins the zone).
 *
 * <p><b>Thread safety:</b> stateless.
 */
final class SpotPrices {
  /** A price and the zone it was seen in. */
  record ZonePrice(double price, String zone, Instant at) {}

  private SpotPrices() {}

  /**
   * The current price per type.
   *
   * @param history entries of DescribeSpotPriceHistory, in any order
   * @param product the product description that counts, such as {@code Linux/UNIX}
   * @param zone the only zone that counts, or null for the cheapest of all zones
   * @param rejected told of each entry of the product that cannot be read (its name, the reason):
   *     it is left out, and only it
   * @return type name to current price
   */
  static Map<String, ZonePrice> current(
      List<SpotPrice> history, String product, @Nullable String zone, BiConsumer<String, String> rejected) {
    Map<String, Map<String, ZonePrice>> latest = new HashMap<>();
    for (SpotPrice p : history) {
      if (!product.equals(p.productDescriptionAsString())
          || (zone != null && p.availabilityZone() != null && !zone.equals(p.availabilityZone()))) {
        continue; // another product's or zone's price: not asked for, not wrong
      }
      String name = "spot price of " + (p.instanceTypeAsString() == null ? "(no type)" : p.instanceTypeAsString())
          + " in " + (p.availabilityZone() == null ? "(no zone)" : p.availabilityZone());
      if (p.instanceTypeAsString() == null || p.instanceTypeAsString().isBlank()) {
        rejected.accept(name, "no instance type");
        continue;
      }
      if (p.availabilityZone() == null || p.availabilityZone().isBlank()) {
        rejected.accept(name, "no availability zone");
        continue;
      }
      if (p.spotPrice() == null) {
        rejected.accept(name, "no price");
        continue;
      }
      double price;
      try {
        price = Double.parseDouble(p.spotPrice());
      } catch (NumberFormatException e) {
        rejected.accept(name, "price '" + p.spotPrice() + "' is not a number");
        continue;
      }
      if (!(price > 0) || Double.isInfinite(price)) {
        rejected.accept(name, "price " + p.spotPrice() + " is not a positive finite number");
        continue;
      }
      Instant at = p.timestamp() == null ? Instant.EPOCH : p.timestamp();
      ZonePrice candidate = new ZonePrice(price, p.availabilityZone(), at);
      latest
          .computeIfAbsent(p.instanceTypeAsString(), t -> new HashMap<>())
          .merge(p.availabilityZone(), candidate, (a, b) -> b.at().isAfter(a.at()) ? b : a);
    }
    Map<String, ZonePrice> current = new HashMap<>();
    latest.forEach(
        (type, byZone) ->
            byZone.values().stream()
                .min((a, b) -> a.price() != b.price() ? Double.compare(a.price(), b.price()) : a.zone().compareTo(b.zone()))
                .ifPresent(p -> current.put(type, p)));
    return current;
  }
}

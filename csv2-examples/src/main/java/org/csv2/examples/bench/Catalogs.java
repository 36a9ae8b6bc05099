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
package org.csv2.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.Resources;

/**
 * Reads the real instance catalogs of {@code shared/data/catalogs} into flavors with prices:
 *
 * <ul>
 *   <li>{@code aws/ec2instances-info-instances-2017-11-12.json.gz}: 88 EC2 types with vCPU, memory
 *       (GiB), instance storage, GPUs, and the on-demand Linux price per region;
 *   <li>{@code multicloud/libcloud-pricing-2023-08-06.json.gz}: libcloud's on-demand prices (its
 *       {@code ec2_linux} table prices a 2017 type in a region the 2017 file does not price; its
 *       {@code rackspacenovaus} table prices the Rackspace flavors);
 *   <li>{@code openstack/libcloud-rackspace-flavors-detail.json}: a real OpenStack {@code GET
 *       /flavors/detail} of Rackspace's public cloud.
 * </ul>
 */
public final class Catalogs {
  /** The 2017 EC2 catalog, relative to the data folder. */
  public static final String EC2_2017 = "catalogs/aws/ec2instances-info-instances-2017-11-12.json.gz";

  /** libcloud's price file, relative to the data folder. */
  public static final String LIBCLOUD = "catalogs/multicloud/libcloud-pricing-2023-08-06.json.gz";

  /** The Rackspace flavor list, relative to the data folder. */
  public static final String RACKSPACE = "catalogs/openstack/libcloud-rackspace-flavors-detail.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Catalogs() {}

  /**
   * The EC2 flavors each region offers at a known on-demand Linux price: the 2017 price, else
   * libcloud's price for the same type and region. Types without a price there are left out.
   *
   * @param data the data folder
   * @return region to its flavors, sorted by name; regions sorted by name
   */
  public static Map<String, List<Flavor>> ec2ByRegion(Path data) {
    JsonNode types = read(data.resolve(EC2_2017));
    Map<String, Map<String, Double>> libcloud = libcloudTable(data, "ec2_linux");
    Map<String, List<Flavor>> byRegion = new TreeMap<>();
    java.util.Set<String> regions = new java.util.TreeSet<>();
    for (JsonNode t : types) {
      t.path("pricing").properties().forEach(e -> regions.add(e.getKey()));
    }
    for (JsonNode t : types) {
      String type = t.path("instance_type").asText();
      Resources resources = ec2Resources(t);
      for (String region : regions) {
        double price = number(t.path("pricing").path(region).path("linux").path("ondemand"));
        if (!(price > 0)) {
          price = libcloud.getOrDefault(type, Map.of()).getOrDefault(region, 0.0);
        }
        if (price > 0) {
          byRegion
              .computeIfAbsent(region, r -> new ArrayList<>())
              .add(
                  new Flavor(
                      FlavorName.of(type),
                      resources,
                      price,
                      true,
                      Map.of("family", t.path("family").asText("unknown"), "region", region)));
        }
      }
    }
    byRegion.values().forEach(l -> l.sort(Comparator.comparing(f -> f.name().value())));
    return byRegion;
  }

  /**
   * The Rackspace OpenStack flavors, priced from libcloud's {@code rackspacenovaus} table by flavor
   * id; a flavor without a price is left out (a price of 0 would read as free).
   *
   * @param data the data folder
   * @return the flavors, sorted by cores then memory
   */
  public static List<Flavor> rackspace(Path data) {
    JsonNode root = read(data.resolve(RACKSPACE));
    Map<String, Double> prices = flatTable(data, "rackspacenovaus");
    List<Flavor> out = new ArrayList<>();
    for (JsonNode f : root.path("flavors")) {
      String id = f.path("id").asText();
      double price = prices.getOrDefault(id, 0.0);
      if (!(price > 0)) {
        continue;
      }
      Resources r =
          new Resources(
              f.path("vcpus").asInt(), f.path("ram").asLong(), f.path("disk").asLong(), f.path("swap").asLong(0), 0);
      out.add(
          new Flavor(
              FlavorName.of(f.path("name").asText().replace(' ', '-')),
              r,
              price,
              true,
              Map.of("id", id)));
    }
    out.sort(Comparator.comparingInt((Flavor f) -> f.resources().cores()).thenComparingLong(f -> f.resources().ramMiB()));
    return out;
  }

  /**
   * One of libcloud's per-region price tables ({@code type -> region -> price}); zero prices (not
   * offered) are left out.
   *
   * @param data the data folder
   * @param table the table, e.g. {@code ec2_linux}
   * @return the prices
   */
  public static Map<String, Map<String, Double>> libcloudTable(Path data, String table) {
    JsonNode node = read(data.resolve(LIBCLOUD)).path("compute").path(table);
    if (!node.isObject()) {
      throw new IllegalStateException(LIBCLOUD + " has no compute table '" + table + "'");
    }
    Map<String, Map<String, Double>> out = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      Map<String, Double> byRegion = new HashMap<>();
      e.getValue()
          .properties()
          .forEach(
              r -> {
                double p = number(r.getValue());
                if (p > 0) {
                  byRegion.put(r.getKey(), p);
                }
              });
      out.put(e.getKey(), byRegion);
    }
    return out;
  }

  /**
   * One of libcloud's flat price tables ({@code flavor -> price}), such as {@code rackspacenovaus}.
   *
   * @param data the data folder
   * @param table the table
   * @return the prices (zero prices included)
   */
  public static Map<String, Double> flatTable(Path data, String table) {
    JsonNode node = read(data.resolve(LIBCLOUD)).path("compute").path(table);
    if (!node.isObject()) {
      throw new IllegalStateException(LIBCLOUD + " has no compute table '" + table + "'");
    }
    Map<String, Double> out = new HashMap<>();
    node.properties().forEach(e -> out.put(e.getKey(), number(e.getValue())));
    return out;
  }

  private static Resources ec2Resources(JsonNode t) {
    int cores = t.path("vCPU").asInt();
    long ramMiB = Math.round(t.path("memory").asDouble() * 1024);
    JsonNode storage = t.path("storage");
    long disk = storage.isObject() ? storage.path("devices").asLong(1) * storage.path("size").asLong(0) : 0;
    int gpus = t.path("GPU").asInt(0);
    if (cores <= 0 || ramMiB <= 0) {
      throw new IllegalStateException(
          EC2_2017 + ": type " + t.path("instance_type").asText() + " has no vCPU or memory");
    }
    return new Resources(cores, ramMiB, disk, 0, gpus);
  }

  /** A JSON number or numeric string; 0 when absent or not a number. */
  private static double number(JsonNode n) {
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isTextual()) {
      try {
        return Double.parseDouble(n.asText());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  private static final Map<Path, JsonNode> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  private static JsonNode read(Path file) {
    return CACHE.computeIfAbsent(file.toAbsolutePath().normalize(), Catalogs::parse);
  }

  private static JsonNode parse(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("catalog " + file + " not found: is the shared data folder right?");
    }
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read catalog " + file, e);
    }
  }
}

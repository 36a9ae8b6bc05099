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

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;

/**
 * On-demand prices per instance type for one region and operating system, read from a file the
 * operator supplies. Three formats are understood, plain or gzip-compressed (detected from the
 * content, not the name):
 *
 * <ul>
 *   <li>{@code ec2instances-info}: the JSON of ec2instances.info, an array of instances (or one
 *       instance object) with {@code instance_type} and {@code
 *       pricing.<region>.<os>.ondemand};
 *   <li>{@code libcloud}: Apache libcloud's {@code pricing.json}, {@code compute.ec2_<os>.<type>.<region>};
 *   <li>{@code csv}: lines {@code type,price}; blank lines, {@code #} comments and a header line
 *       are skipped.
 * </ul>
 *
 * <p>Prices of 0 or below mean "not offered" and are left out.
 *
 * <p><b>Thread safety:</b> immutable.
 */
final class PriceTable {
  static final PriceTable EMPTY = new PriceTable(Map.of(), "no price table");

  private final Map<String, Double> prices;
  private final String source;

  private PriceTable(Map<String, Double> prices, String source) {
    this.prices = Map.copyOf(prices);
    this.source = source;
  }

  /**
   * Reads a price table.
   *
   * @param file the file
   * @param format {@code auto}, {@code ec2instances-info}, {@code libcloud} or {@code csv}
   * @param region the region whose prices count (JSON formats)
   * @param os the operating system whose prices count (JSON formats), such as {@code linux}
   * @return the table
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if the content is not in the format, naming where
   */
  static PriceTable load(Path file, String format, String region, String os) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    return parse(bytes, format, region, os, file.toString());
  }

  static PriceTable parse(byte[] raw, String format, String region, String os, String source)
      throws IOException {
    byte[] bytes = gunzipIfNeeded(raw);
    String kind = format.equals("auto") ? detect(bytes) : format;
    Map<String, Double> prices =
        switch (kind) {
          case "ec2instances-info" -> ec2InstancesInfo(json(bytes, source), region, os, source);
          case "libcloud" -> libcloud(json(bytes, source), region, os, source);
          case "csv" -> csv(new String(bytes, StandardCharsets.UTF_8), source);
          default -> throw new IllegalArgumentException(source + ": unknown price table format '" + kind + "'");
        };
    if (prices.isEmpty()) {
      throw new IllegalArgumentException(
          source + ": no price for region " + region + " and os " + os + " in this " + kind + " table");
    }
    return new PriceTable(prices, source + " (" + kind + ", " + region + ", " + os + ")");
  }

  /**
   * The on-demand price of a type.
   *
   * @param type the instance type
   * @return its price per hour, if the table has one
   */
  OptionalDouble price(String type) {
    Double p = prices.get(type);
    return p == null ? OptionalDouble.empty() : OptionalDouble.of(p);
  }

  int size() {
    return prices.size();
  }

  @Override
  public String toString() {
    return "PriceTable[" + source + ", " + prices.size() + " types]";
  }

  private static byte[] gunzipIfNeeded(byte[] raw) throws IOException {
    if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        return in.readAllBytes();
      }
    }
    return raw;
  }

  private static String detect(byte[] bytes) {
    String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.UTF_8).stripLeading();
    if (head.startsWith("[")) {
      return "ec2instances-info";
    }
    if (head.startsWith("{")) {
      // libcloud's file opens with "compute"; an ec2instances.info object holds "instance_type"
      return head.contains("\"compute\"") && !head.contains("\"instance_type\"") ? "libcloud" : "ec2instances-info";
    }
    return "csv";
  }

  private static JsonNode json(byte[] bytes, String source) {
    try {
      return JsonNodeParser.create().parse(bytes);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  private static Map<String, Double> ec2InstancesInfo(JsonNode root, String region, String os, String source) {
    List<JsonNode> instances = root.isArray() ? root.asArray() : List.of(root);
    String osKey = ec2InstancesInfoOs(os);
    Map<String, Double> prices = new HashMap<>();
    for (int i = 0; i < instances.size(); i++) {
      JsonNode instance = instances.get(i);
      if (!instance.isObject()) {
        throw new IllegalArgumentException(source + ": entry [" + i + "] is not an object");
      }
      String type = instance.field("instance_type").filter(JsonNode::isString).map(JsonNode::asString).orElse(null);
      if (type == null) {
        throw new IllegalArgumentException(source + ": entry [" + i + "] has no instance_type");
      }
      instance
          .field("pricing")
          .flatMap(p -> p.field(region))
          .flatMap(r -> r.field(osKey))
          .flatMap(o -> o.field("ondemand"))
          .ifPresent(v -> put(prices, type, v, source + ": " + type + ".pricing." + region + "." + osKey + ".ondemand"));
    }
    return prices;
  }

  private static Map<String, Double> libcloud(JsonNode root, String region, String os, String source) {
    String key = "ec2_" + libcloudOs(os);
    JsonNode table =
        root.field("compute")
            .flatMap(c -> c.field(key))
            .orElseThrow(() -> new IllegalArgumentException(source + ": no compute." + key + " table"));
    if (!table.isObject()) {
      throw new IllegalArgumentException(source + ": compute." + key + " is not an object");
    }
    Map<String, Double> prices = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : table.asObject().entrySet()) {
      JsonNode v = e.getValue();
      if (v.isObject()) {
        v.field(region).ifPresent(p -> put(prices, e.getKey(), p, source + ": compute." + key + "." + e.getKey() + "." + region));
      }
    }
    return prices;
  }

  private static Map<String, Double> csv(String text, String source) {
    Map<String, Double> prices = new HashMap<>();
    String[] lines = text.split("\r?\n", -1);
    boolean first = true;
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cells = line.split(",", -1);
      String where = source + ":" + (n + 1);
      if (cells.length != 2) {
        throw new IllegalArgumentException(where + ": expected 'type,price', got '" + line + "'");
      }
      String type = cells[0].strip();
      String price = cells[1].strip();
      if (first && !looksNumeric(price)) {
        first = false;
        continue;
      }
      first = false;
      if (type.isEmpty()) {
        throw new IllegalArgumentException(where + ": empty instance type");
      }
      double value;
      try {
        value = Double.parseDouble(price);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(where + ": price '" + price + "' is not a number", e);
      }
      if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
        throw new IllegalArgumentException(where + ": price " + price + " must be a number >= 0");
      }
      if (value > 0) {
        prices.put(type, value);
      }
    }
    return prices;
  }

  private static boolean looksNumeric(String s) {
    return !s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '.');
  }

  private static void put(Map<String, Double> prices, String type, JsonNode value, String where) {
    String text;
    if (value.isNumber()) {
      text = value.asNumber();
    } else if (value.isString()) {
      text = value.asString();
    } else if (value.isNull()) {
      return;
    } else {
      throw new IllegalArgumentException(where + ": not a price");
    }
    double price;
    try {
      price = Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      // ec2instances.info writes "N/A" for types not sold in a region
      return;
    }
    if (price > 0 && !Double.isInfinite(price)) {
      prices.put(type, price);
    }
  }

  private static String ec2InstancesInfoOs(String os) {
    return switch (os.toLowerCase(Locale.ROOT)) {
      case "windows" -> "mswin";
      case "suse" -> "sles";
      default -> os;
    };
  }

  private static String libcloudOs(String os) {
    return switch (os.toLowerCase(Locale.ROOT)) {
      case "mswin" -> "windows";
      case "sles" -> "suse";
      default -> os.toLowerCase(Locale.ROOT);
    };
  }
}

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
package org.csv2.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/**
 * One column of a table: its header, how to get the cell from a row of the server's JSON, and
 * whether it is a number (right-aligned).
 *
 * @param header the header, in capitals by convention ("NAME", "CORES")
 * @param cell the cell's text from the row
 * @param numeric right-aligned when true
 */
public record Column(String header, Function<JsonNode, String> cell, boolean numeric) {
  /**
   * A text column of a field ({@code "name"}) or a JSON pointer ({@code "/cores/used"}).
   *
   * @param header the header
   * @param field the field name or JSON pointer
   * @return the column
   */
  public static Column of(String header, String field) {
    return new Column(header, row -> text(field.startsWith("/") ? row.at(field) : row.path(field)), false);
  }

  /**
   * A number column of a field or JSON pointer.
   *
   * @param header the header
   * @param field the field name or JSON pointer
   * @return the column
   */
  public static Column num(String header, String field) {
    return new Column(header, row -> text(field.startsWith("/") ? row.at(field) : row.path(field)), true);
  }

  /**
   * A computed text column.
   *
   * @param header the header
   * @param cell the cell from the row
   * @return the column
   */
  public static Column computed(String header, Function<JsonNode, String> cell) {
    return new Column(header, cell, false);
  }

  /**
   * The text of a JSON value as a cell: empty for null or missing, arrays joined with commas,
   * objects as {@code key=value} pairs.
   *
   * @param n the value
   * @return the text
   */
  public static String text(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "";
    }
    if (n.isArray()) {
      StringBuilder b = new StringBuilder();
      n.forEach(e -> b.append(b.length() == 0 ? "" : ",").append(text(e)));
      return b.toString();
    }
    if (n.isObject()) {
      StringBuilder b = new StringBuilder();
      n.properties().forEach(e -> b.append(b.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(text(e.getValue())));
      return b.toString();
    }
    return n.asText();
  }
}

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
package org.csv2.plugin.htcondor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * ClassAds as the HTCondor tools print them with {@code -json}: an array of objects, or nothing at
 * all when there is nothing to list ({@code condor_status} prints no {@code []}). Attribute names
 * are case-insensitive in ClassAds, so every ad is indexed by lower-case name. Expressions come as
 * strings of the form <code>/Expr(...)/</code>.
 */
final class ClassAds {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EXPR_START = "/Expr(";
  private static final String EXPR_END = ")/";

  private ClassAds() {}

  /** Output that is not a JSON array of objects; the message says what is wrong. */
  static final class MalformedOutput extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedOutput(String message) {
      super(message);
    }
  }

  /** One ad, with case-insensitive access. */
  static final class Ad {
    private final Map<String, JsonNode> values;

    Ad(Map<String, JsonNode> values) {
      this.values = values;
    }

    /** The raw value, or null if the ad lacks it. */
    @Nullable JsonNode get(String name) {
      JsonNode v = values.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isNull() ? null : v;
    }

    /** Whether the ad has the attribute (with any value). */
    boolean has(String name) {
      return get(name) != null;
    }

    /** Whether the value is an unevaluated expression. */
    boolean isExpression(String name) {
      JsonNode v = get(name);
      return v != null && v.isTextual() && isExpr(v.asText());
    }

    /**
     * A string literal value; null when absent, an expression, or not a string.
     *
     * @param name the attribute
     * @return the value
     */
    @Nullable String string(String name) {
      JsonNode v = get(name);
      if (v == null || !v.isTextual() || isExpr(v.asText())) {
        return null;
      }
      return v.asText();
    }

    /**
     * A number, also from a string holding a number; null when absent or an expression.
     *
     * @param name the attribute
     * @return the value
     * @throws NumberFormatException when present but not a number
     */
    @Nullable Double number(String name) {
      JsonNode v = get(name);
      if (v == null) {
        return null;
      }
      if (v.isNumber()) {
        return v.asDouble();
      }
      if (v.isTextual()) {
        String t = v.asText().strip();
        if (isExpr(t)) {
          return null;
        }
        try {
          return Double.parseDouble(t);
        } catch (NumberFormatException e) {
          throw new NumberFormatException(name + " is not a number: \"" + Commands.head(t, 40) + "\"");
        }
      }
      if (v.isBoolean()) {
        throw new NumberFormatException(name + " is a boolean, not a number");
      }
      throw new NumberFormatException(name + " is not a number: " + v);
    }

    /** A boolean literal; null when absent or not a boolean. */
    @Nullable Boolean bool(String name) {
      JsonNode v = get(name);
      return v != null && v.isBoolean() ? v.asBoolean() : null;
    }

    /**
     * The text of an attribute: a string literal's value, or an expression's text without its
     * <code>/Expr(</code> wrapper; null when absent.
     */
    @Nullable String text(String name) {
      JsonNode v = get(name);
      if (v == null) {
        return null;
      }
      if (!v.isTextual()) {
        return v.toString();
      }
      String t = v.asText();
      return isExpr(t) ? t.substring(EXPR_START.length(), t.length() - EXPR_END.length()) : t;
    }

    /** The values of a list attribute (such as ChildState); empty when absent or not a list. */
    List<JsonNode> list(String name) {
      JsonNode v = get(name);
      List<JsonNode> out = new ArrayList<>();
      if (v != null && v.isArray()) {
        v.forEach(out::add);
      }
      return out;
    }

    @Override
    public String toString() {
      return values.toString();
    }
  }

  /**
   * Parses a tool's {@code -json} output.
   *
   * @param output the standard output
   * @return the ads; empty for empty output
   * @throws MalformedOutput when it is not a JSON array of objects
   */
  static List<Ad> parse(String output) throws MalformedOutput {
    if (output.isBlank()) {
      return List.of();
    }
    JsonNode root;
    try {
      root = JSON.readTree(output);
    } catch (JsonProcessingException e) {
      throw new MalformedOutput("not JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isArray()) {
      throw new MalformedOutput("not a JSON array of ads");
    }
    List<Ad> ads = new ArrayList<>(root.size());
    for (JsonNode element : root) {
      if (!element.isObject()) {
        throw new MalformedOutput("an element of the array is not an ad: " + Commands.head(element.toString(), 80));
      }
      Map<String, JsonNode> values = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : element.properties()) {
        values.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
      }
      ads.add(new Ad(values));
    }
    return ads;
  }

  private static boolean isExpr(String s) {
    return s.startsWith(EXPR_START) && s.endsWith(EXPR_END) && s.length() >= EXPR_START.length() + EXPR_END.length();
  }

  /**
   * A ClassAd string literal: the text in double quotes with backslashes and quotes escaped.
   *
   * @param text the text
   * @return the literal
   */
  static String quote(String text) {
    StringBuilder b = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append('"').toString();
  }
}

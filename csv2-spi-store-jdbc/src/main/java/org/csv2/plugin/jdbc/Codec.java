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
package org.csv2.plugin.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.csv2.model.VmState;
import org.jspecify.annotations.Nullable;

/**
 * How values are written to columns: times and durations as exact {@code DECIMAL(30,9)} seconds
 * since 1970-01-01T00:00:00Z, string maps (sample labels, VM transitions) as flat JSON objects.
 */
final class Codec {
  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

  private Codec() {}

  static BigDecimal seconds(Instant t) {
    return BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9));
  }

  static @Nullable BigDecimal secondsOrNull(@Nullable Instant t) {
    return t == null ? null : seconds(t);
  }

  static Instant instant(BigDecimal seconds) {
    BigInteger[] qr = seconds.setScale(9).unscaledValue().divideAndRemainder(NANOS_PER_SECOND);
    long s = qr[0].longValueExact();
    long n = qr[1].longValueExact();
    return Instant.ofEpochSecond(s, n);
  }

  static @Nullable Instant instantOrNull(@Nullable BigDecimal seconds) {
    return seconds == null ? null : instant(seconds);
  }

  static @Nullable BigDecimal durationOrNull(@Nullable Duration d) {
    return d == null ? null : BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
  }

  static @Nullable Duration durationOrNull(@Nullable BigDecimal seconds) {
    if (seconds == null) {
      return null;
    }
    BigInteger[] qr = seconds.setScale(9).unscaledValue().divideAndRemainder(NANOS_PER_SECOND);
    return Duration.ofSeconds(qr[0].longValueExact(), qr[1].longValueExact());
  }

  /** Transitions as {@code {"REQUESTED":"2024-05-01T10:00:00Z",...}} in state order. */
  static String transitions(Map<VmState, Instant> transitions) {
    Map<VmState, Instant> ordered = new EnumMap<>(VmState.class);
    ordered.putAll(transitions);
    Map<String, String> m = new LinkedHashMap<>();
    ordered.forEach((k, v) -> m.put(k.name(), v.toString()));
    return json(m);
  }

  static Map<VmState, Instant> transitions(String json) {
    Map<VmState, Instant> t = new EnumMap<>(VmState.class);
    parse(json).forEach((k, v) -> t.put(VmState.valueOf(k), Instant.parse(v)));
    return t;
  }

  /** Sample labels as a flat JSON object with sorted keys. */
  static String labels(Map<String, String> labels) {
    return json(new TreeMap<>(labels));
  }

  /** A string map as a flat JSON object, in the map's order. */
  static String json(Map<String, String> map) {
    StringBuilder b = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      quote(b, e.getKey());
      b.append(':');
      quote(b, e.getValue());
    }
    return b.append('}').toString();
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /**
   * Parses a flat JSON object of strings, as written by {@link #json}.
   *
   * @param json the text
   * @return the map, in the text's order
   * @throws IllegalArgumentException if the text is not such an object
   */
  static Map<String, String> parse(String json) {
    Parser p = new Parser(json);
    return p.object();
  }

  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    Map<String, String> object() {
      Map<String, String> m = new LinkedHashMap<>();
      skip();
      expect('{');
      skip();
      if (peek() == '}') {
        i++;
        end();
        return m;
      }
      while (true) {
        skip();
        String k = string();
        skip();
        expect(':');
        skip();
        m.put(k, string());
        skip();
        char c = next();
        if (c == '}') {
          end();
          return m;
        }
        if (c != ',') {
          throw bad("',' or '}'");
        }
      }
    }

    private String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> b.append(e);
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw bad("4 hex digits");
            }
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> throw bad("an escape");
        }
      }
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private char peek() {
      if (i >= s.length()) {
        throw bad("more text");
      }
      return s.charAt(i);
    }

    private char next() {
      char c = peek();
      i++;
      return c;
    }

    private void expect(char c) {
      if (next() != c) {
        throw bad("'" + c + "'");
      }
    }

    private void end() {
      skip();
      if (i != s.length()) {
        throw bad("the end");
      }
    }

    private IllegalArgumentException bad(String expected) {
      return new IllegalArgumentException("malformed JSON object at character " + i + ": expected " + expected);
    }
  }
}

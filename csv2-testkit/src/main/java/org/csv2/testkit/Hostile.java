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
package org.csv2.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * Generators of hostile values for fuzzing records from outside (job and worker ads, cloud
 * replies, configuration, trace lines) with QuickTheories: values at and past every bound a parser
 * meets (huge and negative numbers, NaN and infinities as text, numbers no long or Instant holds),
 * wrong types, empty and very long strings, line breaks, control and format characters, YAML and
 * shell metacharacters. Each generator is bounded (no value is larger than 64 KiB), so that a
 * property runs in a bounded time.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class Hostile {
  /** Hostile texts, each a known trouble maker. */
  public static final List<String> TEXTS =
      List.of(
          "", " ", "\n", "a\nruncmd: [[sh, -c, id]]", "x\r\ny: 1", "\u0000", "\u202e", "\ufeff",
          "$(id)", "`id`", "'; DROP TABLE vm; --", "\"", "\\", "{{image}}", "/Expr(1/0)/",
          "*alias", "&anchor x", "!!java.lang.Runtime", "%", "#", "- -", "..", "../../etc/passwd",
          "9223372036854775808", "-9223372036854775809", "1e300", "-1e300", "NaN", "Infinity",
          "-0", "0x1F", "1_000", "99999999999999999999999999999999", "soon", "true", "null",
          "ünïcødé-名前", "\uD83D\uDE00", "a".repeat(70_000 / 2));

  private Hostile() {}

  /**
   * Hostile JSON values: numbers past every bound, wrong types, hostile texts.
   *
   * @return the generator
   */
  public static Gen<JsonNode> json() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    List<JsonNode> fixed =
        List.of(
            f.numberNode(Long.MAX_VALUE), f.numberNode(Long.MIN_VALUE), f.numberNode(-1), f.numberNode(0),
            f.numberNode(Integer.MAX_VALUE + 1L), f.numberNode(1e300), f.numberNode(-1e300), f.numberNode(4.9e-324),
            f.numberNode(0.5), f.numberNode(new BigInteger("123456789012345678901234567890")),
            f.numberNode(new BigDecimal("1e400")), f.booleanNode(true), f.nullNode(), f.arrayNode(),
            f.arrayNode().add(1).add("x"), f.objectNode(), f.objectNode().put("a", 1));
    Gen<JsonNode> fixedGen = SourceDSL.integers().between(0, fixed.size() - 1).map(fixed::get);
    Gen<JsonNode> textGen = text().map(t -> (JsonNode) f.textNode(t));
    Gen<JsonNode> longs = SourceDSL.longs().all().map(l -> (JsonNode) f.numberNode(l));
    Gen<JsonNode> doubles = SourceDSL.doubles().any().map(d -> (JsonNode) f.numberNode(d));
    return fixedGen.mix(textGen, 40).mix(longs.mix(doubles, 50), 30);
  }

  /**
   * Hostile texts: the known trouble makers and random strings of any code point, up to 200.
   *
   * @return the generator
   */
  public static Gen<String> text() {
    Gen<String> known = SourceDSL.integers().between(0, TEXTS.size() - 1).map(TEXTS::get);
    Gen<String> random = SourceDSL.strings().allPossible().ofLengthBetween(0, 200);
    return known.mix(random, 40);
  }
}

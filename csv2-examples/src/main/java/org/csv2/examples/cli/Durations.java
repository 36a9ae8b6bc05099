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

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them ({@code 30s}, {@code 10m}, {@code 1h}) and as people read them. */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("([0-9]{1,9})\\s*(s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT10M}).
   *
   * @param text the duration
   * @param option the option it came from, for the message
   * @return the ISO-8601 form
   */
  public static String iso(String text, String option) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return d.toString();
    }
    try {
      return Duration.parse(text.trim()).toString();
    } catch (DateTimeParseException e) {
      throw CliException.usage(option + ": '" + Csv2Client.bounded(text) + "' is not a duration: give e.g. 30s, 10m, 2h or PT10M");
    }
  }

  /**
   * A duration as people read it: {@code 30 s}, {@code 10 min}, {@code 1 h 30 min}.
   *
   * @param d the duration
   * @return the text
   */
  public static String human(Duration d) {
    long s = d.getSeconds();
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
    }
    long h = s / 3600;
    long min = (s % 3600) / 60;
    return min == 0 ? h + " h" : h + " h " + min + " min";
  }
}

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
package org.csv2.core.sim;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code ;} header comments of a Standard Workload Format file.
 *
 * @param fields the {@code ; Key: value} lines, first value of each key (for example {@code
 *     Version}, {@code Computer}, {@code Acknowledge}, {@code MaxJobs}, {@code UnixStartTime})
 * @param lines every header line as written, without the leading {@code ;}
 */
public record SwfHeader(Map<String, String> fields, List<String> lines) {
  /** Copies. */
  public SwfHeader {
    fields = Map.copyOf(fields);
    lines = List.copyOf(lines);
  }

  /**
   * One header field.
   *
   * @param key the key, such as {@code Installation}
   * @return its first value, trimmed
   */
  public Optional<String> field(String key) {
    return Optional.ofNullable(fields.get(Objects.requireNonNull(key, "key")));
  }

  /**
   * The {@code MaxJobs} field.
   *
   * @return the number of jobs the log claims, if given and numeric
   */
  public OptionalLong maxJobs() {
    return number("MaxJobs");
  }

  /**
   * The {@code UnixStartTime} field: the epoch of submit time 0.
   *
   * @return the start of the log, if given
   */
  public Optional<Instant> unixStartTime() {
    OptionalLong n = number("UnixStartTime");
    return n.isPresent() ? Optional.of(Instant.ofEpochSecond(n.getAsLong())) : Optional.empty();
  }

  /**
   * The {@code Acknowledge} field: who provided the data, to credit.
   *
   * @return the acknowledgement, if given
   */
  public Optional<String> acknowledge() {
    return field("Acknowledge");
  }

  private OptionalLong number(String key) {
    String v = fields.get(key);
    if (v == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}

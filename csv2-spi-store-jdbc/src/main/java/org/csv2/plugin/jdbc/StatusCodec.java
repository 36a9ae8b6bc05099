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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.csv2.api.ops.GroupStatus;

/**
 * A {@link GroupStatus} snapshot as one JSON document (table {@code csv2_status}): the records'
 * components by name, times as ISO-8601 text. Unknown fields are ignored, so that an older engine
 * reads a snapshot written by a newer one.
 *
 * <p><b>Thread safety:</b> stateless; the mapper is thread-safe once configured.
 */
final class StatusCodec {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private StatusCodec() {}

  static String write(GroupStatus status) {
    try {
      return MAPPER.writeValueAsString(status);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("status of group " + status.group() + " cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
  }

  static GroupStatus read(String json) {
    try {
      return MAPPER.readValue(json, GroupStatus.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a status snapshot: " + e.getOriginalMessage(), e);
    }
  }
}

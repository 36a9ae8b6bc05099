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
package org.csv2.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An instance as a cloud reports it, with the tags (metadata) csv2 put on it at boot.
 *
 * @param id the cloud's id
 * @param name the VM name csv2 gave it
 * @param flavor its flavor
 * @param state its state in csv2's words
 * @param fault the cloud's fault message when in ERROR, else empty
 * @param tags its tags or metadata; csv2's keys are in {@code org.csv2.spi.Csv2Tags}
 * @param launchedAt when the cloud launched it, or null if unknown
 */
public record Instance(
    InstanceId id,
    VmId name,
    FlavorName flavor,
    InstanceState state,
    String fault,
    Map<String, String> tags,
    @Nullable Instant launchedAt) {
  /** Validates and copies. */
  public Instance {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(flavor, "flavor");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(fault, "fault");
    tags = Map.copyOf(tags);
  }

  /**
   * A tag's value.
   *
   * @param key the tag key
   * @return its value, if set
   */
  public Optional<String> tag(String key) {
    return Optional.ofNullable(tags.get(key));
  }

  /**
   * The same instance in another state.
   *
   * @param s the state
   * @param why the fault message (empty unless ERROR)
   * @return the copy
   */
  public Instance withState(InstanceState s, String why) {
    return new Instance(id, name, flavor, s, why, tags, launchedAt);
  }
}

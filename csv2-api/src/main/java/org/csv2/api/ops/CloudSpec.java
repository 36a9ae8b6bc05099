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
package org.csv2.api.ops;

import java.util.Map;
import java.util.Objects;
import org.csv2.model.CloudName;

/**
 * A cloud as configured ({@code clouds[]} in the YAML): what {@code cloud add} and {@code cloud
 * update} take and {@link CloudView} shows.
 *
 * @param name the cloud
 * @param driver the driver name ({@code openstack}, {@code ec2}, ...)
 * @param enabled whether groups may boot there
 * @param config the driver's settings as YAML values (maps, lists, strings, numbers, booleans);
 *     give secrets as {@code ${ENV}} references, which are stored as written. Views show secret
 *     values redacted as {@code ***}.
 */
public record CloudSpec(CloudName name, String driver, boolean enabled, Map<String, Object> config) {
  /** Validates and copies. */
  public CloudSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(driver, "driver");
    config = Map.copyOf(config);
  }
}

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

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One cloud endpoint, project and region, driven by a named driver. Its credentials live in the
 * driver's configuration, never here.
 *
 * @param name the cloud's name
 * @param driver the {@code CloudDriverProvider} name that drives it
 * @param enabled false to stop booting there (existing VMs are left alone)
 */
public record Cloud(CloudName name, String driver, boolean enabled) {
  private static final Pattern DRIVER = Pattern.compile("[a-z][a-z0-9-]*");

  /** Validates. */
  public Cloud {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(driver, "driver");
    if (!DRIVER.matcher(driver).matches()) {
      throw new IllegalArgumentException("cloud " + name + ": driver name '" + driver + "' is invalid");
    }
  }
}

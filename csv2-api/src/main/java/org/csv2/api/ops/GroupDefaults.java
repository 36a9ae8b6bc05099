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

import java.util.Objects;
import org.csv2.model.Resources;
import org.csv2.model.VmDefaults;

/**
 * A group's defaults (production's {@code group defaults}): what a job asks for when it says
 * nothing, and what its VMs boot with.
 *
 * @param jobDefaults resources of a job that asks for none
 * @param vmDefaults image, flavor, keep-alive, key, network, security groups
 */
public record GroupDefaults(Resources jobDefaults, VmDefaults vmDefaults) {
  /** Validates. */
  public GroupDefaults {
    Objects.requireNonNull(jobDefaults, "jobDefaults");
    Objects.requireNonNull(vmDefaults, "vmDefaults");
  }
}

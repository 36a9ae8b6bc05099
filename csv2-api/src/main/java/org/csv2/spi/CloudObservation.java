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
package org.csv2.spi;

import java.util.List;
import java.util.Objects;
import org.csv2.model.Cloud;
import org.csv2.model.CloudCapacity;
import org.csv2.model.Flavor;
import org.csv2.model.Image;
import org.csv2.model.Instance;

/**
 * What the engine observed of one cloud this cycle, as a planner sees it.
 *
 * @param cloud the configured cloud
 * @param reachable false when the cloud could not be read this cycle or its circuit breaker is
 *     open: a planner then boots nothing there and draws no conclusion from missing instances
 * @param flavors its flavors (possibly cached from an earlier cycle)
 * @param images its images (possibly cached)
 * @param capacity its quota and usage (everything used in the project, csv2's VMs included)
 * @param instances the instances tagged with this engine's instance id
 */
public record CloudObservation(
    Cloud cloud,
    boolean reachable,
    List<Flavor> flavors,
    List<Image> images,
    CloudCapacity capacity,
    List<Instance> instances) {
  /** Validates and copies. */
  public CloudObservation {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(capacity, "capacity");
    flavors = List.copyOf(flavors);
    images = List.copyOf(images);
    instances = List.copyOf(instances);
  }
}

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
package org.csv2.core.planning;

import java.util.List;
import java.util.Objects;
import org.csv2.model.Cloud;
import org.csv2.model.CloudCapacity;
import org.csv2.model.Flavor;
import org.csv2.model.Image;
import org.csv2.model.Instance;
import org.csv2.model.OpportunisticPolicy;

/**
 * What the engine observed of one cloud this cycle.
 *
 * @param cloud the configured cloud
 * @param reachable false when the cloud could not be read this cycle or its circuit breaker is
 *     open: the planner then boots nothing there and draws no conclusion from missing instances
 * @param flavors its flavors (possibly cached from an earlier cycle)
 * @param images its images (possibly cached)
 * @param capacity its quota and usage
 * @param instances the instances tagged with this engine's instance id
 * @param opportunistic what the cloud's administrators allow opportunistic groups ({@link
 *     OpportunisticPolicy#NONE}: nothing beyond csv2's configuration)
 */
public record CloudView(
    Cloud cloud,
    boolean reachable,
    List<Flavor> flavors,
    List<Image> images,
    CloudCapacity capacity,
    List<Instance> instances,
    OpportunisticPolicy opportunistic) {
  /** Validates and copies. */
  public CloudView {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(capacity, "capacity");
    Objects.requireNonNull(opportunistic, "opportunistic");
    flavors = List.copyOf(flavors);
    images = List.copyOf(images);
    instances = List.copyOf(instances);
  }

  /**
   * A view of a cloud whose administrators govern nothing.
   *
   * @param cloud the configured cloud
   * @param reachable whether it was read this cycle
   * @param flavors its flavors
   * @param images its images
   * @param capacity its quota and usage
   * @param instances this engine's instances there
   */
  public CloudView(
      Cloud cloud,
      boolean reachable,
      List<Flavor> flavors,
      List<Image> images,
      CloudCapacity capacity,
      List<Instance> instances) {
    this(cloud, reachable, flavors, images, capacity, instances, OpportunisticPolicy.NONE);
  }
}

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

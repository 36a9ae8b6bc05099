package org.csv2.model;

import java.util.Objects;

/**
 * What a cloud reports about its quota for the project csv2 uses: the maximum and everything used
 * in the project, by csv2 and by anybody else. The engine derives foreign usage as {@code used}
 * minus its own VMs.
 *
 * @param max the quota ({@link Limits#UNLIMITED} components have no limit)
 * @param used what is used in the project, csv2's VMs included
 */
public record CloudCapacity(Limits max, Limits used) {
  /** A cloud with no limit and nothing used. */
  public static final CloudCapacity UNLIMITED = new CloudCapacity(Limits.NONE, Limits.ZERO);

  /** Validates. */
  public CloudCapacity {
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(used, "used");
  }
}

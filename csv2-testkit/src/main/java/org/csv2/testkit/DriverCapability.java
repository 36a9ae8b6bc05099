package org.csv2.testkit;

/**
 * What a cloud driver may or may not do beyond the verbs every driver has. {@link
 * CloudDriverContract#capabilities()} returns all of them by default; a driver that lacks one
 * removes it, and the contract then checks the documented behaviour of the missing capability
 * instead of skipping the test.
 */
public enum DriverCapability {
  /**
   * {@link org.csv2.spi.CloudDriver#keyPairs()} lists the project's key pairs. Without it the
   * method throws {@link UnsupportedOperationException}.
   */
  KEY_PAIRS,
  /**
   * {@link org.csv2.spi.CloudDriver#networks()} lists the project's networks. Without it the
   * method throws {@link UnsupportedOperationException}.
   */
  NETWORKS,
  /**
   * {@link org.csv2.spi.CloudDriver#capacity()} reports a real quota: at least one of cores, RAM
   * and instances is limited. Without it the driver reports {@link
   * org.csv2.model.Limits#NONE} as the maximum.
   */
  CAPACITY_LIMITS
}

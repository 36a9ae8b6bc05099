package org.csv2.core.sim;

import java.time.Duration;

/** Configurations of the contract tests: nothing waits in virtual time. */
final class SimulatedFixturesForContracts {
  static final SimulatedCloudConfig CLOUD =
      SimulatedCloudConfig.DEFAULTS.withBootDelay(SimulatedCloudConfig.BootDelay.NONE);

  static final SimulatedJobSourceConfig JOB_SOURCE =
      new SimulatedJobSourceConfig(null, null, Duration.ZERO);

  private SimulatedFixturesForContracts() {}
}

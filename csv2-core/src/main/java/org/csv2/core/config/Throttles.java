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
package org.csv2.core.config;

/**
 * Limits on how fast the engine grows. The production system's values are in {@link #CLASSIC}.
 *
 * @param vmsPerBootCall the most VMs one boot call asks for (production: 5)
 * @param startingPerCloud the most VMs REQUESTED, BOOTING or UNREGISTERED on one cloud at once
 *     (production: 5)
 * @param idleVms no boots for a group while it has at least {@code max(idleVms, idleVmsFraction x
 *     running VMs)} idle VMs (production: 10)
 * @param idleVmsFraction see {@code idleVms} (production: 0.1)
 * @param bootsPerGroupPerCycle the most boot calls for one group in one cycle; 0 for no limit
 *     (production: 1)
 */
public record Throttles(
    int vmsPerBootCall,
    int startingPerCloud,
    int idleVms,
    double idleVmsFraction,
    int bootsPerGroupPerCycle) {
  /** The production system's throttles. */
  public static final Throttles CLASSIC = new Throttles(5, 5, 10, 0.1, 1);

  /** The default policy's throttles: wider, because supply already coming is counted. */
  public static final Throttles DEFAULTS = new Throttles(20, 50, 10, 0.1, 0);

  /** Validates. */
  public Throttles {
    if (vmsPerBootCall < 1) {
      throw new IllegalArgumentException("vms-per-boot-call must be >= 1, was " + vmsPerBootCall);
    }
    if (startingPerCloud < 1) {
      throw new IllegalArgumentException("starting-per-cloud must be >= 1, was " + startingPerCloud);
    }
    if (idleVms < 0 || idleVmsFraction < 0 || bootsPerGroupPerCycle < 0) {
      throw new IllegalArgumentException("throttles must not be negative");
    }
  }
}

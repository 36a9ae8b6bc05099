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

import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.Resources;

/**
 * One way to run a job shape on a new VM: an allocation (group on cloud), a flavor and the image to
 * boot.
 *
 * @param allocation the allocation
 * @param flavor the flavor
 * @param image the image to boot
 * @param jobsPerVm how many jobs of the shape one VM of the flavor takes (at least 1)
 * @param vmCost the flavor's price per hour, or its core count when the price is unknown (0)
 * @param costPerJob {@code vmCost / jobsPerVm}
 * @param unusedCores the fraction of the flavor's cores a full VM of the shape leaves unused
 * @param unusedRam the fraction of its RAM left unused
 * @param expectedCostPerJob {@code costPerJob x H(jobsPerVm)}, {@code H(n) = 1 + 1/2 + ... + 1/n}:
 *     what a job is expected to cost when the VM is paid until the last of its jobs ends and run
 *     times are unknown (memoryless), the rank of {@code LEAST_EXPECTED_COST}
 */
record Candidate(
    Allocation allocation,
    Flavor flavor,
    String image,
    int jobsPerVm,
    double vmCost,
    double costPerJob,
    double unusedCores,
    double unusedRam,
    double expectedCostPerJob) {

  static Candidate of(Allocation a, Flavor f, String image, Resources request, boolean fits) {
    return of(a, f, image, request, fits, Candidate::harmonic);
  }

  /**
   * A candidate whose expected cost per job uses the given spread (how much longer than a mean run
   * a VM taking n jobs lives) instead of H(n).
   */
  static Candidate of(
      Allocation a, Flavor f, String image, Resources request, boolean fits, java.util.function.IntToDoubleFunction spread) {
    int perVm = fits ? Math.max(1, f.resources().howMany(request)) : 1;
    double cost = vmCost(f);
    Resources r = f.resources();
    double uc = r.cores() == 0 ? 0 : Math.max(0, (double) (r.cores() - (long) perVm * request.cores())) / r.cores();
    double ur = r.ramMiB() == 0 ? 0 : Math.max(0, (double) (r.ramMiB() - perVm * request.ramMiB())) / r.ramMiB();
    return new Candidate(a, f, image, perVm, cost, cost / perVm, uc, ur, cost / perVm * spread.applyAsDouble(perVm));
  }

  /**
   * The harmonic number {@code H(n) = 1 + 1/2 + ... + 1/n}: the expected longest of n memoryless
   * run times, in mean run times.
   *
   * @param n at least 1
   * @return H(n)
   */
  static double harmonic(int n) {
    return n < HARMONIC.length ? HARMONIC[n] : sum(n);
  }

  /** {@link #harmonic} of 0 to 1023, summed the same way (the planner asks for it per candidate). */
  private static final double[] HARMONIC = new double[1024];

  static {
    for (int n = 1; n < HARMONIC.length; n++) {
      HARMONIC[n] = sum(n);
    }
  }

  private static double sum(int n) {
    double h = 0;
    for (int i = n; i >= 1; i--) {
      h += 1.0 / i;
    }
    return h;
  }

  /** The price per core-hour used to compare flavors when VMs grow (see {@code vmCost}). */
  double costPerCore() {
    return vmCost / Math.max(1, flavor.resources().cores());
  }

  CloudName cloud() {
    return allocation.cloud();
  }

  boolean priceKnown() {
    return flavor.pricePerHour() > 0;
  }

  /**
   * The cost of one VM of a flavor for ordering: its price per hour, or, when the cloud reports no
   * price (0), its number of cores. An unknown price thus counts as one currency unit per
   * core-hour: flavors without prices compare by cores among themselves, and lose against any
   * priced flavor cheaper than one unit per core-hour.
   */
  static double vmCost(Flavor f) {
    return f.pricePerHour() > 0 ? f.pricePerHour() : f.resources().cores();
  }
}

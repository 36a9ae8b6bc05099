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

/**
 * An amount of machine resources: what a job requests, what a flavor offers, what a quota allows.
 *
 * <p>All components are non-negative. Arithmetic is exact; {@link #minus(Resources)} refuses to go
 * below zero so that a ledger error shows up where it is made.
 *
 * @param cores CPU cores
 * @param ramMiB memory in MiB
 * @param diskGiB disk in GiB
 * @param swapMiB swap in MiB
 * @param gpus GPUs
 */
public record Resources(int cores, long ramMiB, long diskGiB, long swapMiB, int gpus) {
  /** No resources at all; the identity of {@link #plus(Resources)}. */
  public static final Resources ZERO = new Resources(0, 0, 0, 0, 0);

  /** Validates that no component is negative. */
  public Resources {
    if (cores < 0 || ramMiB < 0 || diskGiB < 0 || swapMiB < 0 || gpus < 0) {
      throw new IllegalArgumentException(
          String.format(
              "negative resources: cores=%d ramMiB=%d diskGiB=%d swapMiB=%d gpus=%d",
              cores, ramMiB, diskGiB, swapMiB, gpus));
    }
  }

  /**
   * Cores and memory only.
   *
   * @param cores CPU cores
   * @param ramMiB memory in MiB
   * @return the resources
   */
  public static Resources of(int cores, long ramMiB) {
    return new Resources(cores, ramMiB, 0, 0, 0);
  }

  /**
   * Cores, memory and disk.
   *
   * @param cores CPU cores
   * @param ramMiB memory in MiB
   * @param diskGiB disk in GiB
   * @return the resources
   */
  public static Resources of(int cores, long ramMiB, long diskGiB) {
    return new Resources(cores, ramMiB, diskGiB, 0, 0);
  }

  /**
   * The component-wise sum.
   *
   * @param other the resources to add
   * @return the sum
   */
  public Resources plus(Resources other) {
    return new Resources(
        Math.addExact(cores, other.cores),
        Math.addExact(ramMiB, other.ramMiB),
        Math.addExact(diskGiB, other.diskGiB),
        Math.addExact(swapMiB, other.swapMiB),
        Math.addExact(gpus, other.gpus));
  }

  /**
   * The component-wise difference.
   *
   * @param other the resources to subtract; must fit in this
   * @return the difference
   * @throws IllegalArgumentException if any component would become negative
   */
  public Resources minus(Resources other) {
    return new Resources(
        cores - other.cores,
        ramMiB - other.ramMiB,
        diskGiB - other.diskGiB,
        swapMiB - other.swapMiB,
        gpus - other.gpus);
  }

  /**
   * The component-wise difference, floored at zero.
   *
   * @param other the resources to subtract
   * @return the difference with negative components replaced by zero
   */
  public Resources minusOrZero(Resources other) {
    return new Resources(
        Math.max(0, cores - other.cores),
        Math.max(0, ramMiB - other.ramMiB),
        Math.max(0, diskGiB - other.diskGiB),
        Math.max(0, swapMiB - other.swapMiB),
        Math.max(0, gpus - other.gpus));
  }

  /**
   * This amount {@code n} times.
   *
   * @param n a non-negative factor
   * @return the product
   */
  public Resources times(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative factor " + n);
    }
    return new Resources(
        Math.multiplyExact(cores, n),
        Math.multiplyExact(ramMiB, (long) n),
        Math.multiplyExact(diskGiB, (long) n),
        Math.multiplyExact(swapMiB, (long) n),
        Math.multiplyExact(gpus, n));
  }

  /**
   * The component-wise maximum.
   *
   * @param other the other amount
   * @return the maximum
   */
  public Resources max(Resources other) {
    return new Resources(
        Math.max(cores, other.cores),
        Math.max(ramMiB, other.ramMiB),
        Math.max(diskGiB, other.diskGiB),
        Math.max(swapMiB, other.swapMiB),
        Math.max(gpus, other.gpus));
  }

  /**
   * Whether every component of this is at most the same component of {@code other}.
   *
   * @param other the container
   * @return true if this fits in {@code other}
   */
  public boolean fitsIn(Resources other) {
    return cores <= other.cores
        && ramMiB <= other.ramMiB
        && diskGiB <= other.diskGiB
        && swapMiB <= other.swapMiB
        && gpus <= other.gpus;
  }

  /**
   * How many copies of {@code unit} fit in this amount.
   *
   * @param unit the amount of one copy; a zero component does not limit
   * @return the number of whole copies, or {@link Integer#MAX_VALUE} if {@code unit} is zero
   */
  public int howMany(Resources unit) {
    long n = Integer.MAX_VALUE;
    if (unit.cores > 0) n = Math.min(n, cores / unit.cores);
    if (unit.ramMiB > 0) n = Math.min(n, ramMiB / unit.ramMiB);
    if (unit.diskGiB > 0) n = Math.min(n, diskGiB / unit.diskGiB);
    if (unit.swapMiB > 0) n = Math.min(n, swapMiB / unit.swapMiB);
    if (unit.gpus > 0) n = Math.min(n, gpus / unit.gpus);
    return (int) n;
  }

  /**
   * Whether every component is zero.
   *
   * @return true for {@link #ZERO}
   */
  public boolean isZero() {
    return equals(ZERO);
  }

  /**
   * A short human form, such as {@code 4c/8192MiB/20GiB}.
   *
   * @return the text
   */
  public String describe() {
    StringBuilder b = new StringBuilder().append(cores).append("c/").append(ramMiB).append("MiB");
    if (diskGiB > 0) b.append('/').append(diskGiB).append("GiB");
    if (swapMiB > 0) b.append("/swap").append(swapMiB).append("MiB");
    if (gpus > 0) b.append('/').append(gpus).append("gpu");
    return b.toString();
  }
}

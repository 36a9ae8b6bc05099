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
 * Cores, memory and instances: a quota, or what is used of it. A negative component of a quota
 * means "no limit" ({@link #UNLIMITED}).
 *
 * @param cores cores
 * @param ramMiB memory in MiB
 * @param instances VM count
 */
public record Limits(int cores, long ramMiB, int instances) {
  /** The marker of a component without limit. */
  public static final int UNLIMITED = -1;

  /** No limit at all. */
  public static final Limits NONE = new Limits(UNLIMITED, UNLIMITED, UNLIMITED);

  /** Nothing used. */
  public static final Limits ZERO = new Limits(0, 0, 0);

  /** Normalises every negative component to {@link #UNLIMITED}. */
  public Limits {
    cores = cores < 0 ? UNLIMITED : cores;
    ramMiB = ramMiB < 0 ? UNLIMITED : ramMiB;
    instances = instances < 0 ? UNLIMITED : instances;
  }

  /**
   * Usage of one VM of the given resources.
   *
   * @param resources the VM's resources
   * @return one instance with its cores and memory
   */
  public static Limits of(Resources resources) {
    return new Limits(resources.cores(), resources.ramMiB(), 1);
  }

  /**
   * The component-wise sum, for usage values (components of {@link #UNLIMITED} stay unlimited).
   *
   * @param other the usage to add
   * @return the sum
   */
  public Limits plus(Limits other) {
    return new Limits(
        cores < 0 || other.cores < 0 ? UNLIMITED : cores + other.cores,
        ramMiB < 0 || other.ramMiB < 0 ? UNLIMITED : ramMiB + other.ramMiB,
        instances < 0 || other.instances < 0 ? UNLIMITED : instances + other.instances);
  }
}

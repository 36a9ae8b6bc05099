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

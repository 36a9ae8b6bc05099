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

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A tenant of csv2: an experiment or project whose jobs get VMs.
 *
 * @param name the group's name
 * @param jobDefaults what a job requests when it says nothing (production: 1 core, 1000 MiB, 5
 *     GiB)
 * @param vmDefaults the defaults of the group's VMs
 * @param userData the group's user-data documents
 * @param submitters the job owners served; empty means every owner
 * @param weight the group's fair-share weight (positive)
 * @param variables extra template variables for the group's user data (for example the condor
 *     host)
 */
public record Group(
    GroupName name,
    Resources jobDefaults,
    VmDefaults vmDefaults,
    List<UserDataDocument> userData,
    List<String> submitters,
    double weight,
    Map<String, String> variables) {
  /** Production's default job request: 1 core, 1000 MiB, 5 GiB. */
  public static final Resources DEFAULT_JOB = Resources.of(1, 1000, 5);

  /** Validates and copies. */
  public Group {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(jobDefaults, "jobDefaults");
    Objects.requireNonNull(vmDefaults, "vmDefaults");
    userData = List.copyOf(userData);
    submitters = List.copyOf(submitters);
    variables = Map.copyOf(variables);
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("group " + name + ": weight must be > 0, was " + weight);
    }
  }

  /**
   * A group with production's defaults, no documents, every submitter and weight 1.
   *
   * @param name the name
   * @return the group
   */
  public static Group of(String name) {
    return new Group(
        GroupName.of(name), DEFAULT_JOB, VmDefaults.NONE, List.of(), List.of(), 1.0, Map.of());
  }

  /**
   * Whether jobs of this owner belong to the group.
   *
   * @param owner the job's owner
   * @return true if {@link #submitters()} is empty or lists the owner
   */
  public boolean serves(String owner) {
    return submitters.isEmpty() || submitters.contains(owner);
  }
}

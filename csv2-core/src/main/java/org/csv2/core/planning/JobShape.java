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

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.csv2.model.AliasName;
import org.csv2.model.CloudName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.Resources;
import org.jspecify.annotations.Nullable;

/**
 * Everything about an idle job that decides where it may run and on what: jobs with equal shapes
 * are planned together, so the planner's cost grows with the number of shapes, not of jobs. The
 * owner is not part of the shape: it only decides, through {@link Group#serves(String)}, whether
 * the job is demand at all.
 *
 * @param group the job's group
 * @param alias the alias it targets, or null
 * @param clouds the explicit clouds it may run on (empty: no restriction)
 * @param image the image it asks for, or null
 * @param instanceType its instance-type hint, or null
 * @param maxPrice the most its VM may cost per hour (0: no limit)
 * @param keepAlive the keep-alive it asks for, or null
 * @param userData the optional user-data documents it asks for
 * @param request what one job needs (normalised: at least one core and some memory)
 */
record JobShape(
    GroupName group,
    @Nullable AliasName alias,
    Set<CloudName> clouds,
    @Nullable String image,
    @Nullable String instanceType,
    double maxPrice,
    @Nullable Duration keepAlive,
    List<String> userData,
    Resources request) {

  /**
   * The deterministic order of shapes with equal priority: largest request first (first-fit
   * decreasing), then every other component, so that no two distinct shapes compare equal.
   */
  static final Comparator<JobShape> CANONICAL =
      Comparator.comparing(JobShape::group)
          .thenComparing((JobShape s) -> s.request.cores(), Comparator.reverseOrder())
          .thenComparing((JobShape s) -> s.request.ramMiB(), Comparator.reverseOrder())
          .thenComparing((JobShape s) -> s.request.gpus(), Comparator.reverseOrder())
          .thenComparing((JobShape s) -> s.request.diskGiB(), Comparator.reverseOrder())
          .thenComparing((JobShape s) -> s.request.swapMiB(), Comparator.reverseOrder())
          .thenComparing(s -> s.alias == null ? "" : s.alias.value())
          .thenComparing(s -> s.clouds.stream().map(CloudName::value).sorted().toList().toString())
          .thenComparing(s -> s.image == null ? "" : s.image)
          .thenComparing(s -> s.instanceType == null ? "" : s.instanceType)
          .thenComparingDouble(JobShape::maxPrice)
          .thenComparing(s -> s.keepAlive == null ? Duration.ZERO : s.keepAlive)
          .thenComparing(s -> String.join(",", s.userData));

  JobShape {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(clouds, "clouds");
    Objects.requireNonNull(userData, "userData");
    Objects.requireNonNull(request, "request");
  }

  /**
   * The shape of a job. A request without cores or memory takes the group's job defaults for the
   * missing component (at least one core), so that every shape occupies room and packing ends.
   *
   * @param job the job
   * @param group its group
   * @return the shape
   */
  static JobShape of(Job job, Group group) {
    return new JobShape(
        job.group(),
        job.targetAlias(),
        job.targetClouds(),
        job.image(),
        job.instanceType(),
        job.maxPrice(),
        job.keepAlive(),
        job.userData(),
        normalise(job.request(), group.jobDefaults()));
  }

  /**
   * Whether {@code of(job, group)} would equal this shape, without building it.
   *
   * @param job the job
   * @param group its group
   * @return true if the job has this shape
   */
  boolean isShapeOf(Job job, Group group) {
    return job.group().equals(this.group)
        && Objects.equals(job.targetAlias(), alias)
        && job.targetClouds().equals(clouds)
        && Objects.equals(job.image(), image)
        && Objects.equals(job.instanceType(), instanceType)
        && Double.compare(job.maxPrice(), maxPrice) == 0
        && Objects.equals(job.keepAlive(), keepAlive)
        && job.userData().equals(userData)
        && normalise(job.request(), group.jobDefaults()).equals(request);
  }

  static Resources normalise(Resources r, Resources defaults) {
    if (r.cores() > 0 && r.ramMiB() > 0) {
      return r;
    }
    return new Resources(
        r.cores() > 0 ? r.cores() : Math.max(1, defaults.cores()),
        r.ramMiB() > 0 ? r.ramMiB() : defaults.ramMiB(),
        r.diskGiB(),
        r.swapMiB(),
        r.gpus());
  }

  /**
   * A short description for reasons and notes, such as {@code 1-core} or {@code 8-core/30000MiB}.
   *
   * @return the text
   */
  String describe() {
    return request.cores() + "-core";
  }
}

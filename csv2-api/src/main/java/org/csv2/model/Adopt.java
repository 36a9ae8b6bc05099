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
 * Record an instance that carries this csv2 instance's tag but that the store does not know (a
 * crash between a boot call and its reply).
 *
 * @param cloud the cloud it runs on
 * @param group the group its tags name
 * @param instance the instance
 * @param reason why
 */
public record Adopt(CloudName cloud, GroupName group, Instance instance, String reason)
    implements PlanAction {
  /** Validates. */
  public Adopt {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(reason, "reason");
  }
}

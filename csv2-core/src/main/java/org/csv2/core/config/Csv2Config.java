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

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.csv2.model.Alias;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;

/**
 * The whole configuration of one engine, validated: every allocation and alias names a configured
 * group and cloud, names are unique.
 *
 * @param engine engine-wide settings
 * @param groups the groups
 * @param clouds the clouds
 * @param allocations the groups' rights on clouds
 * @param aliases named sets of a group's clouds
 * @param jobSource the job source
 * @param stateStore the state store
 * @param images the image cache, transfers and replication (docs/images.md)
 */
public record Csv2Config(
    EngineSettings engine,
    List<Group> groups,
    List<CloudConfig> clouds,
    List<Allocation> allocations,
    List<Alias> aliases,
    PluginSelection jobSource,
    PluginSelection stateStore,
    ImageSettings images) {
  /**
   * A configuration with the default {@link ImageSettings}.
   *
   * @param engine engine-wide settings
   * @param groups the groups
   * @param clouds the clouds
   * @param allocations the groups' rights on clouds
   * @param aliases named sets of a group's clouds
   * @param jobSource the job source
   * @param stateStore the state store
   */
  public Csv2Config(
      EngineSettings engine,
      List<Group> groups,
      List<CloudConfig> clouds,
      List<Allocation> allocations,
      List<Alias> aliases,
      PluginSelection jobSource,
      PluginSelection stateStore) {
    this(engine, groups, clouds, allocations, aliases, jobSource, stateStore, ImageSettings.DEFAULTS);
  }

  /** Validates and copies. */
  public Csv2Config {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(jobSource, "jobSource");
    Objects.requireNonNull(stateStore, "stateStore");
    groups = List.copyOf(groups);
    clouds = List.copyOf(clouds);
    allocations = List.copyOf(allocations);
    aliases = List.copyOf(aliases);
  }

  /**
   * A group by name.
   *
   * @param name the name
   * @return the group
   */
  public Optional<Group> group(GroupName name) {
    return groups.stream().filter(g -> g.name().equals(name)).findFirst();
  }

  /**
   * A cloud by name.
   *
   * @param name the name
   * @return the cloud
   */
  public Optional<CloudConfig> cloud(CloudName name) {
    return clouds.stream().filter(c -> c.cloud().name().equals(name)).findFirst();
  }
}

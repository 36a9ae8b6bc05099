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

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 * @param jobSources the job sources, at least one, with unique names
 * @param groupJobSources the job source each group reads its jobs from, by the source's name; a
 *     group not listed reads from the only source (allowed only when there is one)
 * @param stateStore the state store
 * @param accounting usage accounting and APEL records (docs/accounting.md)
 * @param images the image cache, transfers and replication (docs/images.md)
 */
public record Csv2Config(
    EngineSettings engine,
    List<Group> groups,
    List<CloudConfig> clouds,
    List<Allocation> allocations,
    List<Alias> aliases,
    List<JobSourceConfig> jobSources,
    Map<GroupName, String> groupJobSources,
    PluginSelection stateStore,
    AccountingSettings accounting,
    ImageSettings images) {
  /** Validates and copies. */
  public Csv2Config {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(accounting, "accounting");
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(stateStore, "stateStore");
    groups = List.copyOf(groups);
    clouds = List.copyOf(clouds);
    allocations = List.copyOf(allocations);
    aliases = List.copyOf(aliases);
    jobSources = List.copyOf(jobSources);
    groupJobSources = Map.copyOf(groupJobSources);
    if (jobSources.isEmpty()) {
      throw new IllegalArgumentException("at least one job source is needed");
    }
    Set<String> names = new HashSet<>();
    for (JobSourceConfig s : jobSources) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("job source '" + s.name() + "' is named twice");
      }
    }
    for (Map.Entry<GroupName, String> e : groupJobSources.entrySet()) {
      if (!names.contains(e.getValue())) {
        throw new IllegalArgumentException("group " + e.getKey() + " names unknown job source '" + e.getValue() + "'");
      }
    }
    if (jobSources.size() > 1) {
      for (Group g : groups) {
        if (!groupJobSources.containsKey(g.name())) {
          throw new IllegalArgumentException("group " + g.name() + " names no job source, and there are " + jobSources.size());
        }
      }
    }
  }

  /**
   * A configuration with one job source, named {@value JobSourceConfig#DEFAULT_NAME}, that every
   * group reads from.
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
    this(
        engine,
        groups,
        clouds,
        allocations,
        aliases,
        List.of(new JobSourceConfig(JobSourceConfig.DEFAULT_NAME, Objects.requireNonNull(jobSource, "jobSource"))),
        Map.of(),
        stateStore,
        AccountingSettings.NONE,
        ImageSettings.DEFAULTS);
  }

  /**
   * A configuration with its job sources and without accounting.
   *
   * @param engine engine-wide settings
   * @param groups the groups
   * @param clouds the clouds
   * @param allocations the groups' rights on clouds
   * @param aliases named sets of a group's clouds
   * @param jobSources the job sources
   * @param groupJobSources the job source of each group, by name
   * @param stateStore the state store
   */
  public Csv2Config(
      EngineSettings engine,
      List<Group> groups,
      List<CloudConfig> clouds,
      List<Allocation> allocations,
      List<Alias> aliases,
      List<JobSourceConfig> jobSources,
      Map<GroupName, String> groupJobSources,
      PluginSelection stateStore) {
    this(engine, groups, clouds, allocations, aliases, jobSources, groupJobSources, stateStore, AccountingSettings.NONE,
        ImageSettings.DEFAULTS);
  }

  /**
   * The first job source (the only one in most configurations).
   *
   * @return its plugin selection
   */
  public PluginSelection jobSource() {
    return jobSources.get(0).plugin();
  }

  /**
   * The name of the job source a group reads its jobs from.
   *
   * @param group the group (configured or not)
   * @return the source's name, or empty for a group not configured while there are several
   */
  public Optional<String> jobSourceOf(GroupName group) {
    String name = groupJobSources.get(group);
    if (name != null) {
      return Optional.of(name);
    }
    return jobSources.size() == 1 ? Optional.of(jobSources.get(0).name()) : Optional.empty();
  }

  /**
   * A configuration with one job source and accounting.
   *
   * @param engine engine-wide settings
   * @param groups the groups
   * @param clouds the clouds
   * @param allocations the groups' rights on clouds
   * @param aliases named sets of a group's clouds
   * @param jobSource the job source
   * @param stateStore the state store
   * @param accounting usage accounting
   */
  public Csv2Config(
      EngineSettings engine,
      List<Group> groups,
      List<CloudConfig> clouds,
      List<Allocation> allocations,
      List<Alias> aliases,
      PluginSelection jobSource,
      PluginSelection stateStore,
      AccountingSettings accounting) {
    this(engine, groups, clouds, allocations, aliases,
        List.of(new JobSourceConfig(JobSourceConfig.DEFAULT_NAME, Objects.requireNonNull(jobSource, "jobSource"))),
        Map.of(), stateStore, accounting, ImageSettings.DEFAULTS);
  }

  /**
   * A configuration with one job source and image settings.
   *
   * @param engine engine-wide settings
   * @param groups the groups
   * @param clouds the clouds
   * @param allocations the groups' rights on clouds
   * @param aliases named sets of a group's clouds
   * @param jobSource the job source
   * @param stateStore the state store
   * @param images the image cache, transfers and replication
   */
  public Csv2Config(
      EngineSettings engine,
      List<Group> groups,
      List<CloudConfig> clouds,
      List<Allocation> allocations,
      List<Alias> aliases,
      PluginSelection jobSource,
      PluginSelection stateStore,
      ImageSettings images) {
    this(engine, groups, clouds, allocations, aliases,
        List.of(new JobSourceConfig(JobSourceConfig.DEFAULT_NAME, Objects.requireNonNull(jobSource, "jobSource"))),
        Map.of(), stateStore, AccountingSettings.NONE, images);
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

  /**
   * What is legal but probably a mistake, one sentence each: a group whose VMs get no user data at
   * all (none on the group, none on any of its allocations), so that nothing connects them to the
   * batch system unless their image does. The engine logs these at WARN when it is built; {@code
   * csv2 validate} prints them.
   *
   * @return the warnings, empty when there are none
   */
  public List<String> warnings() {
    List<String> out = new java.util.ArrayList<>();
    for (Group g : groups) {
      if (!g.userData().isEmpty()) {
        continue;
      }
      boolean any = false;
      for (Allocation a : allocations) {
        if (a.group().equals(g.name()) && !a.userData().isEmpty()) {
          any = true;
          break;
        }
      }
      if (!any) {
        out.add(
            "group " + g.name() + ": its VMs get no user data (no user-data on the group or its allocations);"
                + " nothing connects them to the batch system unless their image does");
      }
    }
    return out;
  }
}

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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.model.AliasName;
import org.csv2.model.AllocationMode;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.VmDefaults;
import org.jspecify.annotations.Nullable;

/**
 * The shape of the YAML file, one record per section, as {@link RecordBinder} binds it. Absent
 * values are null here; {@link ConfigLoader} applies the defaults. Keys are the kebab-case
 * component names ({@code ramCtlMib} is {@code ram-ctl-mib}).
 */
final class YamlModel {
  /** The top-level keys, in documentation order. */
  static final List<String> TOP_LEVEL =
      List.of(
          "engine", "timers", "throttles", "groups", "clouds", "allocations", "aliases",
          "job-source", "job-sources", "state-store", "accounting", "images");

  private YamlModel() {}

  record EngineYaml(
      @Nullable String instanceId,
      @Nullable String policy,
      @Nullable FlavorPolicy flavorPolicy,
      @Nullable Duration callTimeout,
      @Nullable Integer breakerFailures,
      @Nullable Duration breakerOpenFor,
      @Nullable Duration leaseTtl,
      @Nullable Duration credentialWarn,
      @Nullable Duration credentialStop) {}

  record TimersYaml(
      @Nullable Duration cycle,
      @Nullable Duration keepAlive,
      @Nullable Duration keepAliveFloor,
      @Nullable Duration comeAlive,
      @Nullable Duration jobAlive,
      @Nullable Duration errorDelay,
      @Nullable Duration retireInterval,
      @Nullable Duration flavorRefresh,
      @Nullable Duration giveBackGrace,
      @Nullable Duration reservationWarning) {
    Timers over(Timers d) {
      return new Timers(
          cycle != null ? cycle : d.cycle(),
          keepAlive != null ? keepAlive : d.keepAlive(),
          keepAliveFloor != null ? keepAliveFloor : d.keepAliveFloor(),
          comeAlive != null ? comeAlive : d.comeAlive(),
          jobAlive != null ? jobAlive : d.jobAlive(),
          errorDelay != null ? errorDelay : d.errorDelay(),
          retireInterval != null ? retireInterval : d.retireInterval(),
          flavorRefresh != null ? flavorRefresh : d.flavorRefresh(),
          giveBackGrace != null ? giveBackGrace : d.giveBackGrace(),
          reservationWarning != null ? reservationWarning : d.reservationWarning());
    }
  }

  record ThrottlesYaml(
      @Nullable Integer vmsPerBootCall,
      @Nullable Integer startingPerCloud,
      @Nullable Integer idleVms,
      @Nullable Double idleVmsFraction,
      @Nullable Integer bootsPerGroupPerCycle) {
    Throttles over(Throttles d) {
      return new Throttles(
          vmsPerBootCall != null ? vmsPerBootCall : d.vmsPerBootCall(),
          startingPerCloud != null ? startingPerCloud : d.startingPerCloud(),
          idleVms != null ? idleVms : d.idleVms(),
          idleVmsFraction != null ? idleVmsFraction : d.idleVmsFraction(),
          bootsPerGroupPerCycle != null ? bootsPerGroupPerCycle : d.bootsPerGroupPerCycle());
    }
  }

  record JobDefaultsYaml(
      @Nullable Integer cores,
      @Nullable Long ramMib,
      @Nullable Long diskGib,
      @Nullable Long swapMib,
      @Nullable Integer gpus) {
    Resources over(Resources d) {
      return new Resources(
          cores != null ? cores : d.cores(),
          ramMib != null ? ramMib : d.ramMiB(),
          diskGib != null ? diskGib : d.diskGiB(),
          swapMib != null ? swapMib : d.swapMiB(),
          gpus != null ? gpus : d.gpus());
    }
  }

  record UserDataYaml(
      String name,
      @Nullable Integer priority,
      @Nullable String mimeType,
      @Nullable String template,
      @Nullable String file,
      @Nullable String resource,
      @Nullable Boolean enabled) {}

  record GroupYaml(
      GroupName name,
      @Nullable JobDefaultsYaml jobDefaults,
      @Nullable VmDefaults vmDefaults,
      List<UserDataYaml> userData,
      @Nullable List<String> submitters,
      @Nullable Double weight,
      Map<String, String> variables,
      @Nullable String jobSource) {}

  record CloudYaml(
      CloudName name, String driver, @Nullable Boolean enabled, Map<String, Object> config) {}

  record AllocationYaml(
      GroupName group,
      CloudName cloud,
      @Nullable Integer priority,
      @Nullable Integer coresCtl,
      @Nullable Integer coresSoftmax,
      @Nullable Long ramCtlMib,
      @Nullable AllocationMode mode,
      Set<FlavorName> excludeFlavors,
      @Nullable VmDefaults vmOverrides,
      List<UserDataYaml> userData,
      @Nullable Boolean enabled) {}

  record AliasYaml(GroupName group, AliasName name, List<CloudName> clouds) {}

  record AccountingYaml(
      @Nullable String siteName,
      @Nullable String cloudComputeService,
      @Nullable String outgoing,
      @Nullable Duration interval,
      List<BenchmarkYaml> benchmarks,
      List<GroupIdentityYaml> groups) {}

  record BenchmarkYaml(FlavorName flavor, String type, double value) {}

  record GroupIdentityYaml(GroupName group, String fqan, @Nullable String globalUserName) {}

  record ImagesYaml(
      @Nullable String cacheDir,
      @Nullable Double cacheMaxGib,
      @Nullable Integer parallelTransfers,
      @Nullable Integer maxAttempts,
      @Nullable String diskFormat,
      @Nullable List<GroupName> replicate) {}

  record PluginYaml(@Nullable String driver, @Nullable Map<String, Object> config) {}

  record JobSourceYaml(String name, @Nullable String driver, @Nullable Map<String, Object> config) {}
}

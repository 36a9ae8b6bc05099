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

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.jspecify.annotations.Nullable;

/**
 * The {@code accounting} section of the configuration: what APEL cloud records say about the site
 * and where they go (docs/accounting.md).
 *
 * @param siteName the site's name in GOCDB (APEL's SiteName), blank when APEL records are not made
 * @param cloudComputeService APEL's CloudComputeService, blank for the VM's cloud name
 * @param outgoing the directory the APEL SSM sender sends from, null when records are not written
 * @param interval how often the engine writes records, null when only on demand
 * @param benchmarks the benchmark of each flavor (by flavor name)
 * @param groups the VO identity of each group (by group name)
 */
public record AccountingSettings(
    String siteName,
    String cloudComputeService,
    @Nullable Path outgoing,
    @Nullable Duration interval,
    Map<FlavorName, Benchmark> benchmarks,
    Map<GroupName, GroupIdentity> groups) {
  /** No accounting configured. */
  public static final AccountingSettings NONE = new AccountingSettings("", "", null, null, Map.of(), Map.of());

  /** Validates and copies. */
  public AccountingSettings {
    Objects.requireNonNull(siteName, "siteName");
    Objects.requireNonNull(cloudComputeService, "cloudComputeService");
    benchmarks = Map.copyOf(benchmarks);
    groups = Map.copyOf(groups);
    if (interval != null && (interval.isNegative() || interval.isZero())) {
      throw new IllegalArgumentException("accounting.interval must be positive");
    }
  }

  /**
   * A flavor's benchmark.
   *
   * @param type APEL's BenchmarkType (such as HEPSPEC or HEPscore23)
   * @param value the benchmark of one core (APEL's Benchmark), {@code >= 0}
   */
  public record Benchmark(String type, double value) {
    /** Validates. */
    public Benchmark {
      Objects.requireNonNull(type, "type");
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("benchmark value must be >= 0, was " + value);
      }
    }
  }

  /**
   * The VO identity a group's usage is reported under.
   *
   * @param fqan the VOMS FQAN (such as {@code /atlas/Role=production}); APEL takes the VO from it
   * @param globalUserName the certificate DN of the group's pilot or robot, blank when none
   */
  public record GroupIdentity(String fqan, String globalUserName) {
    /** Validates. */
    public GroupIdentity {
      Objects.requireNonNull(fqan, "fqan");
      Objects.requireNonNull(globalUserName, "globalUserName");
    }
  }

  /**
   * A flavor's benchmark, if configured.
   *
   * @param flavor the flavor
   * @return the benchmark
   */
  public Optional<Benchmark> benchmark(FlavorName flavor) {
    return Optional.ofNullable(benchmarks.get(flavor));
  }

  /**
   * A group's identity: the configured one, else the group's name as its VO.
   *
   * @param group the group
   * @return the identity
   */
  public GroupIdentity identity(GroupName group) {
    GroupIdentity id = groups.get(group);
    return id != null ? id : new GroupIdentity("/" + group.value(), "");
  }
}

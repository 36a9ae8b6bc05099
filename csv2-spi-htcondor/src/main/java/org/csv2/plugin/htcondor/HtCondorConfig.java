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
package org.csv2.plugin.htcondor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.csv2.api.ConfigurationException;
import org.csv2.model.GroupName;
import org.jspecify.annotations.Nullable;

/**
 * The {@code job-source.config} subtree of {@code job-source: {driver: htcondor}}.
 *
 * @param commandPrefix words put before every HTCondor tool, such as {@code [chroot, /srv/pool]}
 *     or {@code [ssh, condor@cm.example.org]}; empty to run the tools directly
 * @param pool the collector to ask ({@code -pool host:port}); null for the tools' own
 *     configuration
 * @param schedds the schedds whose queues to read ({@code -name}); empty for the local schedd
 * @param defaultGroup the group of jobs that name none; null makes such jobs foreign (skipped)
 * @param timeout how long one tool call may take before it is killed; default 30 s
 * @param shellQuote true when the prefix hands the command line to a shell (ssh): every word
 *     after the prefix is then single-quoted; default false
 * @param tokenFile the file holding the token (IDTOKEN or SciToken) the tools reach the pool
 *     with, read on the csv2 host for its expiry (the {@code exp} claim); null when none is known
 */
record HtCondorConfig(
    List<String> commandPrefix,
    @Nullable String pool,
    List<String> schedds,
    @Nullable String defaultGroup,
    @Nullable Duration timeout,
    @Nullable Boolean shellQuote,
    @Nullable String tokenFile) {
  /** The default per-call timeout. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Copies and fills defaults; {@link #validate(String)} checks. */
  HtCondorConfig {
    commandPrefix = copy(commandPrefix);
    schedds = copy(schedds);
    if (timeout == null) {
      timeout = DEFAULT_TIMEOUT;
    }
    if (shellQuote == null) {
      shellQuote = false;
    }
  }

  /** Without a token file. */
  HtCondorConfig(
      List<String> commandPrefix,
      @Nullable String pool,
      List<String> schedds,
      @Nullable String defaultGroup,
      @Nullable Duration timeout,
      @Nullable Boolean shellQuote) {
    this(commandPrefix, pool, schedds, defaultGroup, timeout, shellQuote, null);
  }

  /** The timeout, never null after construction. */
  Duration callTimeout() {
    return timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  /**
   * Checks every rule and reports all broken ones at once.
   *
   * @param path the subtree's YAML path
   * @return this
   * @throws ConfigurationException listing the problems
   */
  HtCondorConfig validate(String path) {
    List<String> problems = new ArrayList<>();
    if (callTimeout().isZero() || callTimeout().isNegative()) {
      problems.add(path + ".timeout: must be positive, was " + timeout);
    }
    for (int i = 0; i < commandPrefix.size(); i++) {
      if (commandPrefix.get(i).isBlank()) {
        problems.add(path + ".command-prefix[" + i + "]: must not be blank");
      }
    }
    for (int i = 0; i < schedds.size(); i++) {
      if (schedds.get(i).isBlank()) {
        problems.add(path + ".schedds[" + i + "]: must not be blank");
      }
    }
    if (pool != null && pool.isBlank()) {
      problems.add(path + ".pool: must not be blank (leave it out to use the tools' own collector)");
    }
    if (tokenFile != null && tokenFile.isBlank()) {
      problems.add(path + ".token-file: must not be blank (leave it out when the pool needs no token)");
    }
    if (defaultGroup != null) {
      try {
        GroupName.of(defaultGroup);
      } catch (IllegalArgumentException e) {
        problems.add(path + ".default-group: " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return this;
  }

  /** The default group, typed. */
  @Nullable GroupName defaultGroupName() {
    return defaultGroup == null ? null : GroupName.of(defaultGroup);
  }

  /** A copy; binders that do not default absent lists (plain Jackson) hand null. */
  private static <T> List<T> copy(@Nullable List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}

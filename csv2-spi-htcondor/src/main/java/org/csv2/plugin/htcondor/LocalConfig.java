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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.csv2.api.ConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * The {@code config:} subtree of a cloud with {@code driver: local}.
 *
 * @param flavors the machine sizes offered (at least one)
 * @param commandPrefix words put before every command, such as {@code [chroot, /srv/pool]}; empty
 *     to run the helpers directly
 * @param helpersDir where {@code vm-start.sh}, {@code vm-stop.sh} and {@code vm-list.sh} are (as
 *     seen behind the prefix); default {@code /opt/csv2}
 * @param stateDir where the driver keeps one directory per VM with its tags and config (behind the
 *     prefix); default {@code /var/lib/csv2-local}
 * @param vmDir where {@code vm-start.sh} keeps its VMs ({@code NAME/run/master.pid}); default
 *     {@code /var/lib/condor-vm}
 * @param maxInstances the quota of VMs on this machine, all engines together; default 8
 * @param maxCores the quota of cores; null for none
 * @param maxRamMib the quota of memory in MiB; null for none
 * @param timeout how long one command may take (a VM start included) before it is killed, and
 *     how long a VM may stay without a master before it is reported in ERROR; default 60 s
 * @param shellQuote true when the prefix hands the command line to a shell (ssh); default false
 */
record LocalConfig(
    List<LocalFlavor> flavors,
    List<String> commandPrefix,
    @Nullable String helpersDir,
    @Nullable String stateDir,
    @Nullable String vmDir,
    @Nullable Integer maxInstances,
    @Nullable Integer maxCores,
    @Nullable Long maxRamMib,
    @Nullable Duration timeout,
    @Nullable Boolean shellQuote) {

  /**
   * One flavor.
   *
   * @param name its name
   * @param cores the cores its startd advertises
   * @param ramMib the memory its startd advertises, in MiB
   * @param diskGib the disk it claims to have, in GiB; default 20 (the jobs' disk requests must fit
   *     in it, and HTCondor jobs request at least 1 GiB once rounded up)
   */
  record LocalFlavor(String name, int cores, long ramMib, @Nullable Long diskGib) {}

  /** Copies and fills defaults; {@link #validate(String)} checks. */
  LocalConfig {
    flavors = copy(flavors);
    commandPrefix = copy(commandPrefix);
    if (helpersDir == null) {
      helpersDir = "/opt/csv2";
    }
    if (stateDir == null) {
      stateDir = "/var/lib/csv2-local";
    }
    if (vmDir == null) {
      vmDir = "/var/lib/condor-vm";
    }
    if (maxInstances == null) {
      maxInstances = 8;
    }
    if (timeout == null) {
      timeout = Duration.ofSeconds(60);
    }
    if (shellQuote == null) {
      shellQuote = false;
    }
  }

  /**
   * Checks every rule and reports all broken ones at once.
   *
   * @param path the subtree's YAML path
   * @return this
   * @throws ConfigurationException listing the problems
   */
  LocalConfig validate(String path) {
    List<String> problems = new ArrayList<>();
    if (flavors.isEmpty()) {
      problems.add(path + ".flavors: list at least one flavor (name, cores, ram-mib)");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < flavors.size(); i++) {
      LocalFlavor f = flavors.get(i);
      String at = path + ".flavors[" + i + "]";
      if (f.name() == null || f.name().isBlank()) {
        problems.add(at + ".name: must not be blank");
      } else if (!names.add(f.name())) {
        problems.add(at + ".name: duplicate flavor '" + f.name() + "'");
      }
      if (f.cores() < 1) {
        problems.add(at + ".cores: must be at least 1, was " + f.cores());
      }
      if (f.ramMib() < 1) {
        problems.add(at + ".ram-mib: must be at least 1, was " + f.ramMib());
      }
      if (f.diskGib() != null && f.diskGib() < 0) {
        problems.add(at + ".disk-gib: must not be negative, was " + f.diskGib());
      }
    }
    for (String[] dir : new String[][] {{"helpers-dir", helpersDir()}, {"state-dir", stateDir()}, {"vm-dir", vmDir()}}) {
      if (!dir[1].startsWith("/")) {
        problems.add(path + "." + dir[0] + ": must be an absolute path, was '" + dir[1] + "'");
      }
    }
    if (maxInstances() < 0) {
      problems.add(path + ".max-instances: must not be negative, was " + maxInstances);
    }
    if (maxCores != null && maxCores < 0) {
      problems.add(path + ".max-cores: must not be negative, was " + maxCores);
    }
    if (maxRamMib != null && maxRamMib < 0) {
      problems.add(path + ".max-ram-mib: must not be negative, was " + maxRamMib);
    }
    if (callTimeout().isZero() || callTimeout().isNegative()) {
      problems.add(path + ".timeout: must be positive, was " + timeout);
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return this;
  }

  @Override
  public String helpersDir() {
    return helpersDir == null ? "/opt/csv2" : helpersDir;
  }

  @Override
  public String stateDir() {
    return stateDir == null ? "/var/lib/csv2-local" : stateDir;
  }

  @Override
  public String vmDir() {
    return vmDir == null ? "/var/lib/condor-vm" : vmDir;
  }

  @Override
  public Integer maxInstances() {
    return maxInstances == null ? 8 : maxInstances;
  }

  /** The timeout, never null. */
  Duration callTimeout() {
    return timeout == null ? Duration.ofSeconds(60) : timeout;
  }

  /** A copy; binders that do not default absent lists (plain Jackson) hand null. */
  private static <T> List<T> copy(@Nullable List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}

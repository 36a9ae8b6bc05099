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
package org.csv2.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.csv2.api.ConfigurationException;
import org.csv2.core.Csv2Scheduler;
import org.csv2.core.config.ConfigLoader;
import org.csv2.core.config.Csv2Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Makes every check {@code plan} and {@code run} make, changing nothing: the configuration file
 * (every problem with its path), then every plugin created as a dry run would create it (each
 * plugin's configuration, unknown drivers, the state store reachable and its schema current), then
 * one dry read of the clouds (their credentials), the job source and the store. Exit codes: {@link
 * ExitCodes}.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "validate",
    description = {
      "Check a configuration as plan and run would, changing nothing: the file (every problem with its path),"
          + " every plugin's configuration, the state store and its schema, and one read of the clouds and the job source.",
      "Exit codes: 0 valid, 2 invalid configuration or plugin not installed, 4 a store, cloud or job source"
          + " cannot be used, 1 unexpected failure."
    })
final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML configuration file.")
  Path config;

  @Override
  public Integer call() {
    return ExitCodes.guard("validate", this::validate);
  }

  private int validate() {
    Csv2Config c;
    try {
      c = ConfigLoader.load(config);
    } catch (ConfigurationException e) {
      System.err.println(config + ": " + e.getMessage());
      return ExitCodes.CONFIG;
    }
    for (String warning : c.warnings()) {
      System.err.println(config + ": warning: " + warning);
    }
    List<String> failures;
    try (Csv2Scheduler scheduler = (Csv2Scheduler) Csv2Scheduler.builder().config(config).dryRunOnly().build()) {
      failures = scheduler.check();
    }
    if (!failures.isEmpty()) {
      System.err.println(config + ": the configuration is valid, but " + failures.size() + " check(s) failed:");
      for (String f : failures) {
        System.err.println("  - " + f);
      }
      return ExitCodes.UNAVAILABLE;
    }
    System.out.printf(
        "%s: valid (%d groups, %d clouds, %d allocations, %d aliases, policy %s, instance id %s);"
            + " plugins, state store and clouds checked%n",
        config,
        c.groups().size(),
        c.clouds().size(),
        c.allocations().size(),
        c.aliases().size(),
        c.engine().policy(),
        c.engine().instanceId());
    return ExitCodes.OK;
  }
}

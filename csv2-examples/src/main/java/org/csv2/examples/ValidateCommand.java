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
import java.util.concurrent.Callable;
import org.csv2.api.ConfigurationException;
import org.csv2.core.config.ConfigLoader;
import org.csv2.core.config.Csv2Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Checks a configuration file and lists every problem with its path. */
@Command(mixinStandardHelpOptions = true, name = "validate", description = "Check a configuration file; list every problem with its path.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML configuration file.")
  Path config;

  @Override
  public Integer call() {
    try {
      Csv2Config c = ConfigLoader.load(config);
      System.out.printf(
          "%s: valid (%d groups, %d clouds, %d allocations, %d aliases, policy %s, instance id %s)%n",
          config,
          c.groups().size(),
          c.clouds().size(),
          c.allocations().size(),
          c.aliases().size(),
          c.engine().policy(),
          c.engine().instanceId());
      return 0;
    } catch (ConfigurationException e) {
      System.err.println(config + ": " + e.getMessage());
      return 2;
    }
  }
}

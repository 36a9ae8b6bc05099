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

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

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code csv2} command: {@code java -jar csv2.jar <command> [options]}. */
@Command(
    name = "csv2",
    mixinStandardHelpOptions = true,
    versionProvider = Csv2Cli.Version.class,
    description = "Keeps cloud capacity matched to batch demand.",
    subcommands = {
      QuickstartCommand.class,
      ValidateCommand.class,
      PlanCommand.class,
      RunCommand.class,
      ServeCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Csv2Cli implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Runs the command line.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line, with the exit codes of {@link ExitCodes} for any failure a command does not
   * handle itself (a message, no stack trace unless {@code --verbose}).
   *
   * @return the command line
   */
  static CommandLine commandLine() {
    return new CommandLine(new Csv2Cli())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(
            (e, cl, parsed) -> ExitCodes.report(cl.getCommandName(), e, System.err));
  }

  /**
   * {@code --verbose}, on every command: failures print their stack trace.
   *
   * @param on whether given
   */
  @CommandLine.Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print the stack trace of a failure (the message alone otherwise).")
  void verbose(boolean on) {
    ExitCodes.verbose(on);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 0;
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Csv2Cli.class.getPackage().getImplementationVersion();
      return new String[] {"csv2 " + (v == null ? "(development build)" : v)};
    }
  }
}

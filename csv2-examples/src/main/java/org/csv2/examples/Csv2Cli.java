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
import org.csv2.examples.cli.AccountingCommand;
import org.csv2.examples.cli.AliasCommand;
import org.csv2.examples.cli.AuditCommand;
import org.csv2.examples.cli.CliException;
import org.csv2.examples.cli.CloudCommand;
import org.csv2.examples.cli.DefaultsCommand;
import org.csv2.examples.cli.GroupCommand;
import org.csv2.examples.cli.ImageCommand;
import org.csv2.examples.cli.JobCommand;
import org.csv2.examples.cli.KeypairCommand;
import org.csv2.examples.cli.MetadataCommand;
import org.csv2.examples.cli.MyCommand;
import org.csv2.examples.cli.ReservationCommand;
import org.csv2.examples.cli.ServerCommand;
import org.csv2.examples.cli.StatusCommand;
import org.csv2.examples.cli.UserCommand;
import org.csv2.examples.cli.VmCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code csv2} command: {@code java -jar csv2.jar <command> [options]}. */
@Command(
    name = "csv2",
    mixinStandardHelpOptions = true,
    // every command inherits --help and --version: help is never an error, with or without a configuration
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = Csv2Cli.Version.class,
    description = {
      "Keeps cloud capacity matched to batch demand.",
      "The engine's commands run a configuration; the operators' commands (csv2 <object> <action>) talk to a",
      "csv2 server through a profile made with 'csv2 defaults set' (docs/cli.md)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:refused or failed (the message says why and what to do); an unexpected failure (run again with --verbose)",
      "2:wrong usage (unknown command or option, missing or malformed argument)",
      "3:invalid configuration (or a plugin it names is not installed)",
      "4:a service cannot be used: the csv2 server, a state store, plugin, cloud or job source"
    },
    footer = {"", "Examples:", "  csv2 quickstart", "  csv2 defaults set --server-url http://127.0.0.1:8080 --token-file token.txt -g atlas", "  csv2 status"},
    subcommands = {
      QuickstartCommand.class,
      ValidateCommand.class,
      PlanCommand.class,
      RunCommand.class,
      ServeCommand.class,
      // the operators' objects (csv2 <object> <action>, docs/cli.md "Adding an object"): one line each
      DefaultsCommand.class,
      StatusCommand.class,
      VmCommand.class,
      CloudCommand.class,
      GroupCommand.class,
      AliasCommand.class,
      JobCommand.class,
      MetadataCommand.class,
      UserCommand.class,
      MyCommand.class,
      ServerCommand.class,
      AuditCommand.class,
      ReservationCommand.class,
      AccountingCommand.class,
      ImageCommand.class,
      KeypairCommand.class,
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
   * The command line, with the operators' error handling: a {@link CliException} prints
   * {@code csv2 <object> <action>: <message>} on standard error and exits with its code ({@link ExitCodes}); wrong arguments exit 2 with picocli's message. Any other failure of the
   * engine's commands gets the exit code of {@link ExitCodes} and a message, no stack trace unless
   * {@code --verbose}.
   *
   * @return a new command line
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Csv2Cli()).setCaseInsensitiveEnumValuesAllowed(true);
    // wrong usage: the message, suggestions for a misspelt name, and where the help is (not the whole usage)
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine cmd = ex.getCommandLine();
          cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
          CommandLine.UnmatchedArgumentException.printSuggestions(ex, cmd.getErr());
          cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
          cmd.getErr().flush();
          return ExitCodes.USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          if (ex instanceof CliException e) {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            cmd.getErr().flush();
            return e.exitCode();
          }
          return ExitCodes.report(cmd.getCommandName(), ex, System.err);
        });
    return cl;
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

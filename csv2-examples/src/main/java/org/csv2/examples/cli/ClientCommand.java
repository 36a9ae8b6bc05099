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
package org.csv2.examples.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The base of every {@code csv2 <object> <action>} command: the server profile ({@code -s}), the
 * active group ({@code -g}), the output format ({@code --json}, {@code --csv}, {@code --width}),
 * and a {@link Csv2Client} built from them. A command implements {@link #run}; what it throws as
 * {@link CliException} becomes its message and exit code (docs/cli.md).
 */
public abstract class ClientCommand implements Callable<Integer> {
  /** This command, for its name and its output streams. */
  @Spec protected CommandSpec spec;

  @Option(
      names = {"-s", "--server"},
      paramLabel = "PROFILE",
      description = "The server profile (csv2 defaults list; default: CSV2_PROFILE, else 'default').")
  @Nullable String profileName;

  @Option(
      names = {"-g", "--group"},
      paramLabel = "GROUP",
      description = "The active group (default: the profile's group).")
  @Nullable String groupOption;

  @Option(names = "--json", description = "Print the server's JSON.")
  boolean json;

  @Option(names = "--csv", description = "Print comma-separated values.")
  boolean csv;

  @Option(names = "--width", paramLabel = "N", description = "Fit tables to N characters (default: the terminal's width; 0 for no limit).")
  @Nullable Integer width;

  private Profiles.@Nullable Profile profile;

  /**
   * Does the command's work.
   *
   * @param client the server's client
   * @param out where and how to print
   * @return the exit code (0 when done)
   */
  protected abstract int run(Csv2Client client, Output out);

  @Override
  public final Integer call() {
    if (json && csv) {
      throw CliException.usage("--json and --csv: give one of them");
    }
    Output out = new Output(spec.commandLine().getOut(), json ? Output.Format.JSON : csv ? Output.Format.CSV : Output.Format.TABLE, width());
    return run(client(), out);
  }

  /**
   * The profile's name: {@code -s}, else {@code CSV2_PROFILE}, else {@code default}.
   *
   * @return the name
   */
  protected String profileName() {
    if (profileName != null) {
      return Profiles.checkName(profileName);
    }
    String env = System.getenv("CSV2_PROFILE");
    return env == null || env.isBlank() ? Profiles.DEFAULT : Profiles.checkName(env);
  }

  /**
   * The client of the profile's server ({@code CSV2_SERVER_URL} and {@code CSV2_TOKEN} override the
   * profile's).
   *
   * @return the client
   */
  protected Csv2Client client() {
    String name = profileName();
    Profiles profiles = Profiles.ofUser();
    String url = System.getenv("CSV2_SERVER_URL");
    String token = System.getenv("CSV2_TOKEN");
    profile = profiles.find(name).orElse(null);
    if (url == null || url.isBlank()) {
      if (profile == null || profile.serverUrl() == null) {
        throw CliException.failed(
            "no server profile '" + name + "': make one with csv2 defaults set" + (name.equals(Profiles.DEFAULT) ? "" : " -s " + name)
                + " --server-url http://127.0.0.1:8080 --token-file FILE (the token from My settings on the server's page)");
      }
      url = profile.serverUrl();
    }
    if (token == null || token.isBlank()) {
      token = profiles.token(name).orElse(null);
    }
    return new Csv2Client(url, token, name);
  }

  /**
   * The active group: {@code -g}, else the profile's.
   *
   * @return the group, or null when neither names one
   */
  protected @Nullable String group() {
    if (groupOption != null && !groupOption.isBlank()) {
      return groupOption;
    }
    return profile == null ? null : profile.group();
  }

  /**
   * The active group, required.
   *
   * @param forWhat what needs it, named in the message ("vm list")
   * @return the group
   */
  protected String requireGroup(String forWhat) {
    String g = group();
    if (g == null) {
      throw CliException.usage(forWhat + " needs a group: give -g GROUP, or store one in the profile: csv2 defaults set -s " + profileName() + " -g GROUP");
    }
    return g;
  }

  private int width() {
    if (width != null) {
      return Math.max(0, width);
    }
    String cols = System.getenv("COLUMNS");
    if (cols != null && cols.matches("[0-9]{1,4}")) {
      return Integer.parseInt(cols);
    }
    return System.console() == null ? 0 : terminalWidth();
  }

  /** The terminal's width from {@code stty size}, or 120 when it cannot be read. */
  private static int terminalWidth() {
    try {
      Process p = new ProcessBuilder("sh", "-c", "stty size < /dev/tty").redirectErrorStream(true).start();
      if (!p.waitFor(1, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return 120;
      }
      String[] parts = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim().split("\\s+");
      return parts.length == 2 && parts[1].matches("[0-9]{1,4}") ? Integer.parseInt(parts[1]) : 120;
    } catch (IOException e) {
      return 120;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 120;
    }
  }
}

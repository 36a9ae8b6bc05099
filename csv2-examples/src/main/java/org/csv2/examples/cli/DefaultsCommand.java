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

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code csv2 defaults set|list|delete}: the server profiles (production's {@code cloudscheduler defaults}). */
@Command(
    name = "defaults",
    description = "Server profiles: a server's URL, an API token and the active group, under ~/.csv2/profiles.",
    subcommands = {DefaultsCommand.Set.class, DefaultsCommand.ListProfiles.class, DefaultsCommand.Delete.class},
    footer = {"", "Example:", "  csv2 defaults set -s prod --server-url https://csv2.example.org --token-file token.txt -g atlas"})
public final class DefaultsCommand extends ObjectCommand {
  /** {@code csv2 defaults set}. */
  @Command(
      name = "set",
      description = {
        "Create or change a server profile. Values not given stay as stored.",
        "The token is kept in ~/.csv2/profiles/PROFILE.token, readable by its owner only."
      },
      footer = {
        "",
        "Examples:",
        "  csv2 defaults set --server-url http://127.0.0.1:8080 --token-file ~/csv2-token.txt",
        "  csv2 defaults set -s prod -g atlas"
      })
  static final class Set implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-s", "--server"}, paramLabel = "PROFILE", defaultValue = Profiles.DEFAULT, description = "The profile (default: VALUE).")
    String profile;

    @Option(names = "--server-url", paramLabel = "URL", description = "The server's URL, e.g. http://127.0.0.1:8080.")
    @Nullable String serverUrl;

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file whose first line is the API token (from My settings); '-' reads it from standard input.")
    @Nullable Path tokenFile;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The API token itself (others on this machine may see it in the process list: prefer --token-file).")
    @Nullable String token;

    @Option(names = {"-g", "--group"}, paramLabel = "GROUP", description = "The active group (\"\" removes it).")
    @Nullable String group;

    @Override
    public Integer call() {
      String t = token;
      if (tokenFile != null) {
        if (t != null) {
          throw CliException.usage("--token and --token-file: give one of them");
        }
        t = readToken(tokenFile);
      }
      Profiles.Profile p = Profiles.ofUser().set(profile, serverUrl, group, t);
      spec.commandLine().getOut().println(
          "profile '" + p.name() + "': " + p.serverUrl() + (p.group() == null ? "" : ", group " + p.group())
              + (p.hasToken() ? ", token in " + Profiles.ofUser().tokenFile(p.name()) : ", no token yet (--token-file FILE)"));
      return 0;
    }

    private static String readToken(Path f) {
      try {
        String line = f.toString().equals("-")
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine()
            : Files.readAllLines(f).stream().findFirst().orElse(null);
        if (line == null || line.isBlank()) {
          throw CliException.usage("--token-file " + f + ": the first line is empty: put the API token (from My settings) there");
        }
        return line.trim();
      } catch (IOException e) {
        throw CliException.usage("--token-file " + f + ": cannot read it (" + e.getMessage() + ")");
      }
    }
  }

  /** {@code csv2 defaults list}. */
  @Command(name = "list", description = "List the server profiles.", footer = {"", "Example:", "  csv2 defaults list"})
  static final class ListProfiles implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--csv", description = "Print comma-separated values.")
    boolean csv;

    @Override
    public Integer call() {
      ArrayNode rows = Csv2Client.JSON.createArrayNode();
      for (Profiles.Profile p : Profiles.ofUser().list()) {
        ObjectNode n = rows.addObject();
        n.put("profile", p.name());
        n.put("serverUrl", p.serverUrl());
        n.put("group", p.group());
        n.put("token", p.hasToken());
      }
      new Output(spec.commandLine().getOut(), json ? Output.Format.JSON : csv ? Output.Format.CSV : Output.Format.TABLE, 0)
          .rows(rows, Column.of("PROFILE", "profile"), Column.of("SERVER", "serverUrl"), Column.of("GROUP", "group"), Column.of("TOKEN", "token"));
      return 0;
    }
  }

  /** {@code csv2 defaults delete}. */
  @Command(name = "delete", description = "Delete a server profile and its token.", footer = {"", "Example:", "  csv2 defaults delete -s old"})
  static final class Delete implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-s", "--server"}, paramLabel = "PROFILE", required = true, description = "The profile to delete.")
    String profile;

    @Override
    public Integer call() {
      if (!Profiles.ofUser().delete(profile)) {
        throw CliException.failed("profile '" + profile + "': no such profile (csv2 defaults list shows them)");
      }
      spec.commandLine().getOut().println("profile '" + profile + "' deleted");
      return 0;
    }
  }
}

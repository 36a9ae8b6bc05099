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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code csv2 user list|add|update|delete}: users and their roles (admins; production's {@code cloudscheduler user}). */
@Command(
    name = "user",
    description = "Users, their role (admin or member) and their groups (admins only).",
    subcommands = {UserCommand.ListUsers.class, UserCommand.Add.class, UserCommand.Update.class, UserCommand.Delete.class},
    footer = {"", "Examples:", "  csv2 user list", "  csv2 user add -un alice --user-groups atlas --password-file alice.pass"})
public final class UserCommand extends ObjectCommand {
  static final Column[] COLUMNS = {
    Column.of("USER", "name"),
    Column.computed("ROLE", u -> u.path("admin").asBoolean() ? "admin" : "member"),
    Column.of("GROUPS", "groups"),
    Column.of("DEFAULT GROUP", "defaultGroup"),
    Column.num("REFRESH S", "refreshSeconds")
  };

  /** {@code csv2 user list}. */
  @Command(name = "list", description = "List the users.", footer = {"", "Example:", "  csv2 user list --csv"})
  static final class ListUsers extends ClientCommand {
    @Override
    protected int run(Csv2Client client, Output out) {
      out.rows(client.get("/users", "users").json(), COLUMNS);
      return 0;
    }
  }

  static String password(Path file) {
    try {
      String line = Files.readAllLines(file).stream().findFirst().orElse("").strip();
      if (line.isEmpty()) {
        throw CliException.usage("--password-file " + file + ": the first line is empty");
      }
      return line;
    } catch (IOException e) {
      throw CliException.usage("--password-file " + file + ": cannot read it (" + e.getMessage() + ")");
    }
  }

  /** {@code csv2 user add}. */
  @Command(name = "add", description = "Add a user (without --password-file they sign in with a token only).", footer = {"", "Example:", "  csv2 user add -un alice --user-groups atlas,belle2 --password-file alice.pass"})
  static final class Add extends ClientCommand {
    @Option(names = {"-un", "--username"}, required = true, paramLabel = "NAME", description = "The user's name.")
    String name;

    @Option(names = {"-ug", "--user-groups"}, split = ",", paramLabel = "GROUP", description = "The groups they are a member of.")
    List<String> groups = List.of();

    @Option(names = "--admin", description = "Make them an admin.")
    boolean admin;

    @Option(names = "--password-file", paramLabel = "FILE", description = "A file whose first line is their password (10-72 bytes).")
    @Nullable Path passwordFile;

    @Override
    protected int run(Csv2Client client, Output out) {
      ObjectNode u = Csv2Client.JSON.createObjectNode();
      u.put("name", name);
      if (passwordFile != null) {
        u.put("password", password(passwordFile));
      }
      u.put("admin", admin);
      ArrayNode g = u.putArray("groups");
      groups.forEach(g::add);
      JsonNode saved = client.post("/users", u, null, "user " + name).json();
      out.done(saved, "user " + name + " added (" + (admin ? "admin" : "member of " + (groups.isEmpty() ? "no group" : String.join(",", groups))) + ")");
      return 0;
    }
  }

  /** {@code csv2 user update}. */
  @Command(name = "update", description = "Change a user's role, groups or password; what is not given stays.", footer = {"", "Example:", "  csv2 user update -un alice --user-groups atlas --admin false"})
  static final class Update extends ClientCommand {
    @Option(names = {"-un", "--username"}, required = true, paramLabel = "NAME", description = "The user.")
    String name;

    @Option(names = {"-ug", "--user-groups"}, split = ",", paramLabel = "GROUP", description = "Their groups (replaces; \"\" for none).")
    @Nullable List<String> groups;

    @Option(names = "--admin", arity = "1", paramLabel = "true|false", description = "Whether they are an admin.")
    @Nullable Boolean admin;

    @Option(names = "--password-file", paramLabel = "FILE", description = "A file whose first line is their new password (ends their sessions).")
    @Nullable Path passwordFile;

    @Override
    protected int run(Csv2Client client, Output out) {
      String path = "/users/" + Csv2Client.seg(name);
      Csv2Client.Response r = client.get(path, "user " + name);
      JsonNode cur = r.json();
      ObjectNode c = Csv2Client.JSON.createObjectNode();
      c.put("admin", admin != null ? admin : cur.path("admin").asBoolean());
      ArrayNode g = c.putArray("groups");
      if (groups != null) {
        groups.stream().filter(x -> !x.isBlank()).forEach(g::add);
      } else {
        cur.path("groups").forEach(g::add);
      }
      if (passwordFile != null) {
        c.put("password", password(passwordFile));
      }
      String etag = expectVersion != null ? "\"" + expectVersion + "\"" : r.etag();
      JsonNode saved = client.put(path, c, etag, "user " + name).json();
      out.done(saved, "user " + name + " changed");
      return 0;
    }
  }

  /** {@code csv2 user delete}. */
  @Command(name = "delete", description = "Delete a user (their sessions end; their tokens stop working).", footer = {"", "Example:", "  csv2 user delete -un alice"})
  static final class Delete extends ClientCommand {
    @Option(names = {"-un", "--username"}, required = true, paramLabel = "NAME", description = "The user.")
    String name;

    @Override
    protected int run(Csv2Client client, Output out) {
      client.delete("/users/" + Csv2Client.seg(name), null, "user " + name);
      out.done(Csv2Client.JSON.createObjectNode().put("deleted", name), "user " + name + " deleted");
      return 0;
    }
  }
}

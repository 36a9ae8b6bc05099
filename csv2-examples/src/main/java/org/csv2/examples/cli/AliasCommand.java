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
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code csv2 alias list|add|update|delete}: cloud aliases a group's jobs may target (production's {@code cloudscheduler alias}). */
@Command(
    name = "alias",
    description = "Cloud aliases: a name a group's jobs may ask for, standing for some of its clouds.",
    subcommands = {AliasCommand.ListAliases.class, AliasCommand.Add.class, AliasCommand.Update.class, AliasCommand.Delete.class},
    footer = {"", "Examples:", "  csv2 alias list -g atlas", "  csv2 alias add -g atlas -an fast -cn arbutus,cern"})
public final class AliasCommand extends ObjectCommand {
  /** {@code csv2 alias list}. */
  @Command(name = "list", description = "List the aliases of the active group (or all you may see).", footer = {"", "Example:", "  csv2 alias list"})
  static final class ListAliases extends ClientCommand {
    @Override
    protected int run(Csv2Client client, Output out) {
      String g = group();
      ArrayNode rows = Csv2Client.JSON.createArrayNode();
      for (JsonNode a : client.get("/aliases", "aliases").json()) {
        if (g == null || g.equals(a.path("group").asText())) {
          rows.add(a);
        }
      }
      out.rows(rows, Column.of("GROUP", "group"), Column.of("ALIAS", "name"), Column.of("CLOUDS", "clouds"));
      return 0;
    }
  }

  /** add and update: both set the alias's clouds. */
  abstract static class Put extends ClientCommand {
    @Option(names = {"-an", "--alias-name"}, required = true, paramLabel = "ALIAS", description = "The alias.")
    String alias;

    @Option(names = {"-cn", "--cloud-name"}, required = true, split = ",", paramLabel = "CLOUD", description = "Its clouds (comma-separated).")
    List<String> clouds;

    int put(Csv2Client client, Output out, String verb) {
      String g = requireGroup("alias " + verb);
      String what = "alias " + alias + " of group " + g;
      JsonNode c = client.put("/groups/" + Csv2Client.seg(g) + "/aliases/" + Csv2Client.seg(alias), Map.of("clouds", clouds), ifMatch(client), what).json();
      out.done(c, changed(c, what + " " + verb + ": " + String.join(",", clouds)));
      return 0;
    }
  }

  /** {@code csv2 alias add}. */
  @Command(name = "add", description = "Add an alias to the group.", footer = {"", "Example:", "  csv2 alias add -g atlas -an fast -cn arbutus,cern"})
  static final class Add extends Put {
    @Override
    protected int run(Csv2Client client, Output out) {
      return put(client, out, "added");
    }
  }

  /** {@code csv2 alias update}. */
  @Command(name = "update", description = "Replace an alias's clouds.", footer = {"", "Example:", "  csv2 alias update -g atlas -an fast -cn cern"})
  static final class Update extends Put {
    @Override
    protected int run(Csv2Client client, Output out) {
      return put(client, out, "changed");
    }
  }

  /** {@code csv2 alias delete}. */
  @Command(name = "delete", description = "Delete an alias of the group.", footer = {"", "Example:", "  csv2 alias delete -g atlas -an fast"})
  static final class Delete extends ClientCommand {
    @Option(names = {"-an", "--alias-name"}, required = true, paramLabel = "ALIAS", description = "The alias.")
    String alias;

    @Override
    protected int run(Csv2Client client, Output out) {
      String g = requireGroup("alias delete");
      String what = "alias " + alias + " of group " + g;
      JsonNode c = client.delete("/groups/" + Csv2Client.seg(g) + "/aliases/" + Csv2Client.seg(alias), ifMatch(client), what).json();
      out.done(c, changed(c, what + " deleted"));
      return 0;
    }
  }
}

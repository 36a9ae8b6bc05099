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
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code csv2 my settings|token}: your own settings and API tokens (production's {@code cloudscheduler my settings}). */
@Command(
    name = "my",
    description = "Your own settings and API tokens.",
    subcommands = {MyCommand.Settings.class, MyCommand.Token.class},
    footer = {"", "Examples:", "  csv2 my settings", "  csv2 my token create --label laptop --days 90"})
public final class MyCommand extends ObjectCommand {
  /** {@code csv2 my settings}. */
  @Command(
      name = "settings",
      description = "Show who you are, your role, groups, default group and page refresh; with options, change them.",
      footer = {"", "Examples:", "  csv2 my settings", "  csv2 my settings --default-group atlas --refresh 30"})
  static final class Settings extends ClientCommand {
    @Option(names = "--default-group", paramLabel = "GROUP", description = "The group the pages open with (\"\" for none).")
    @Nullable String defaultGroup;

    @Option(names = "--refresh", paramLabel = "SECONDS", description = "How often the status page refreshes itself (0 never, at most 3600).")
    @Nullable Integer refresh;

    @Override
    protected int run(Csv2Client client, Output out) {
      JsonNode me;
      if (defaultGroup != null || refresh != null) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("defaultGroup", defaultGroup);
        s.put("refreshSeconds", refresh);
        me = client.patch("/me", s, "your settings").json();
      } else {
        me = client.get("/me", "your settings").json();
      }
      out.rows(me, UserCommand.COLUMNS);
      return 0;
    }
  }

  /** {@code csv2 my token}. */
  @Command(
      name = "token",
      description = "Your API tokens: list, create (the secret is shown once), delete.",
      subcommands = {Token.ListTokens.class, Token.Create.class, Token.Delete.class},
      footer = {"", "Example:", "  csv2 my token create --label laptop --days 90 --store"})
  static final class Token extends ObjectCommand {
    /** {@code csv2 my token list}. */
    @Command(name = "list", description = "List your tokens (never their secrets).", footer = {"", "Example:", "  csv2 my token list"})
    static final class ListTokens extends ClientCommand {
      @Override
      protected int run(Csv2Client client, Output out) {
        out.rows(client.get("/me/tokens", "your tokens").json(), Column.of("ID", "id"), Column.of("LABEL", "label"), Column.of("CREATED", "created"), Column.of("EXPIRES", "expires"));
        return 0;
      }
    }

    /** {@code csv2 my token create}. */
    @Command(
        name = "create",
        description = {"Make a new API token. Its secret is shown once; --store puts it in the profile instead (mode 0600)."},
        footer = {"", "Example:", "  csv2 my token create --label laptop --days 90 --store"})
    static final class Create extends ClientCommand {
      @Option(names = "--label", paramLabel = "TEXT", description = "What it is for (at most 128 characters).")
      @Nullable String label;

      @Option(names = "--days", paramLabel = "N", description = "It expires after N days (1-3650; default: never).")
      @Nullable Integer days;

      @Option(names = "--store", description = "Store it in the profile (-s) instead of printing it: the next commands use it.")
      boolean store;

      @Override
      protected int run(Csv2Client client, Output out) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("label", label);
        b.put("days", days);
        JsonNode t = client.post("/me/tokens", b, null, "a new token").json();
        if (store) {
          Profiles.ofUser().set(profileName(), null, null, t.path("token").asText());
          ObjectNode shown = ((ObjectNode) t.deepCopy());
          shown.remove("token");
          out.done(shown, "token " + t.path("id").asText() + " made and stored in profile '" + profileName() + "'");
        } else {
          out.done(t, "token " + t.path("id").asText() + " (shown once, keep it in a file readable only by you): " + t.path("token").asText());
        }
        return 0;
      }
    }

    /** {@code csv2 my token delete}. */
    @Command(name = "delete", description = "Delete one of your tokens: it stops working at once.", footer = {"", "Example:", "  csv2 my token delete --id 3f2a9c"})
    static final class Delete extends ClientCommand {
      @Option(names = "--id", required = true, paramLabel = "ID", description = "The token's id (csv2 my token list).")
      String id;

      @Override
      protected int run(Csv2Client client, Output out) {
        client.delete("/me/tokens/" + Csv2Client.seg(id), null, "token " + id);
        ArrayNode none = Csv2Client.JSON.createArrayNode();
        out.done(none, "token " + id + " deleted");
        return 0;
      }
    }
  }
}

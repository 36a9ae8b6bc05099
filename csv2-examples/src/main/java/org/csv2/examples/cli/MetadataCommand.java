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
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code csv2 metadata list|show|load|delete|backup|restore}: a group's user-data documents (production's group
 * metadata), the cloud-init templates every VM of the group gets. A group's documents on one cloud
 * are {@code csv2 cloud metadata-*}.
 */
@Command(
    name = "metadata",
    description = "A group's user-data documents (metadata): the cloud-init templates its VMs get.",
    subcommands = {
      MetadataCommand.ListDocs.class, MetadataCommand.Show.class, MetadataCommand.Load.class, MetadataCommand.Delete.class,
      MetadataBackupCommands.Backup.class, MetadataBackupCommands.Restore.class
    },
    footer = {"", "Examples:", "  csv2 metadata list -g atlas", "  csv2 metadata load -g atlas -f worker.yaml", "  csv2 metadata backup --dir csv2-metadata"})
public final class MetadataCommand extends ObjectCommand {
  static final Column[] COLUMNS = {
    Column.of("NAME", "name"),
    Column.num("PRIORITY", "priority"),
    Column.of("MIME TYPE", "mimeType"),
    Column.computed("ENABLED", d -> d.path("enabled").asBoolean() ? "yes" : "no"),
    Column.computed("SIZE", d -> d.path("template").asText().length() + " chars")
  };

  /** A document to load: its file and how it is stored (metadata load, cloud metadata-load). */
  static final class DocumentOptions {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The document (a Jinja template of cloud-init).")
    Path file;

    @Option(names = {"-mn", "--metadata-name"}, paramLabel = "NAME", description = "Its name (default: the file's name).")
    @Nullable String name;

    @Option(names = "--priority", paramLabel = "N", defaultValue = "0", description = "Its order among the documents (default ${DEFAULT-VALUE}).")
    int priority;

    @Option(names = "--mime-type", paramLabel = "TYPE", defaultValue = "text/cloud-config", description = "Its MIME type (default ${DEFAULT-VALUE}).")
    String mimeType;

    ObjectNode document() {
      return MetadataCommand.document(file, name, priority, mimeType);
    }
  }

  static ObjectNode document(Path file, @Nullable String name, int priority, String mimeType) {
    ObjectNode doc = Csv2Client.JSON.createObjectNode();
    Path fn = file.getFileName();
    doc.put("name", name != null ? name : fn == null ? file.toString() : fn.toString());
    doc.put("priority", priority);
    doc.put("mimeType", mimeType);
    doc.put("template", CloudCommand.read(file));
    doc.put("enabled", true);
    return doc;
  }

  static String path(String group) {
    return "/groups/" + Csv2Client.seg(group) + "/user-data";
  }

  /** {@code csv2 metadata list}. */
  @Command(name = "list", description = "List the group's user-data documents.", footer = {"", "Example:", "  csv2 metadata list -g atlas"})
  static final class ListDocs extends ClientCommand {
    @Override
    protected int run(Csv2Client client, Output out) {
      String g = requireGroup("metadata list");
      out.rows(client.get(path(g), "metadata of group " + g).json(), COLUMNS);
      return 0;
    }
  }

  /** {@code csv2 metadata show}. */
  @Command(name = "show", description = "Print one document's template.", footer = {"", "Example:", "  csv2 metadata show -g atlas -mn worker.yaml > worker.yaml"})
  static final class Show extends ClientCommand {
    @Option(names = {"-mn", "--metadata-name"}, required = true, paramLabel = "NAME", description = "The document.")
    String name;

    @Override
    protected int run(Csv2Client client, Output out) {
      String g = requireGroup("metadata show");
      for (JsonNode d : client.get(path(g), "metadata of group " + g).json()) {
        if (name.equals(d.path("name").asText())) {
          if (out.format() == Output.Format.JSON) {
            out.json(d);
          } else {
            spec.commandLine().getOut().print(d.path("template").asText());
            spec.commandLine().getOut().flush();
          }
          return 0;
        }
      }
      throw CliException.failed("metadata " + name + " of group " + g + ": not found: csv2 metadata list -g " + g + " lists them");
    }
  }

  /** {@code csv2 metadata load}. */
  @Command(name = "load", description = "Add or replace a document of the group, from a file.", footer = {"", "Example:", "  csv2 metadata load -g atlas -f worker.yaml --priority 10"})
  static final class Load extends ClientCommand {
    @picocli.CommandLine.Mixin DocumentOptions options;

    @Override
    protected int run(Csv2Client client, Output out) {
      String g = requireGroup("metadata load");
      ObjectNode doc = options.document();
      String n = doc.path("name").asText();
      JsonNode c = client.put(path(g) + "/" + Csv2Client.seg(n), doc, ifMatch(client), "metadata " + n + " of group " + g).json();
      out.done(c, changed(c, "metadata " + n + " of group " + g + " loaded"));
      return 0;
    }
  }

  /** {@code csv2 metadata delete}. */
  @Command(name = "delete", description = "Delete a document of the group.", footer = {"", "Example:", "  csv2 metadata delete -g atlas -mn worker.yaml"})
  static final class Delete extends ClientCommand {
    @Option(names = {"-mn", "--metadata-name"}, required = true, paramLabel = "NAME", description = "The document.")
    String name;

    @Override
    protected int run(Csv2Client client, Output out) {
      String g = requireGroup("metadata delete");
      JsonNode c = client.delete(path(g) + "/" + Csv2Client.seg(name), ifMatch(client), "metadata " + name + " of group " + g).json();
      out.done(c, changed(c, "metadata " + name + " of group " + g + " deleted"));
      return 0;
    }
  }
}

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
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code csv2 image list|transfer|cancel|replication}: image transfers between clouds and the
 * replication of each group's default image (production's Glint image matrix; docs/images.md).
 */
@Command(
    name = "image",
    description = "Image transfers between clouds and the replication of each group's default image.",
    subcommands = {ImageCommand.ListTransfers.class, ImageCommand.Transfer.class, ImageCommand.Cancel.class, ImageCommand.Replication.class},
    footer = {"", "Example:", "  csv2 image transfer --image worker --from-cloud a --image-id 7f3c --to-cloud b"})
public final class ImageCommand extends ObjectCommand {
  /** {@code csv2 image list}. */
  @Command(
      name = "list",
      description = "List image transfers, newest first, with their progress (bytes done, rate, state, message).",
      footer = {"", "Example:", "  csv2 image list --active"})
  static final class ListTransfers extends ClientCommand {
    @Option(names = "--active", description = "Only pending and running transfers.")
    boolean active;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N transfers (1-5000; default VALUE).")
    int limit;

    @Override
    protected int run(Csv2Client client, Output out) {
      out.rows(
          client.get("/images/transfers" + Csv2Client.query("active", active ? "true" : null, "limit", Integer.toString(limit)),
              "image transfers").json(),
          Column.num("ID", "id"),
          Column.of("IMAGE", "image"),
          Column.computed("FROM", t -> t.hasNonNull("sourceUrl") ? t.get("sourceUrl").asText() : t.get("source").asText()),
          Column.of("TO", "target"),
          Column.computed("STATE", t -> t.get("state").asText().toLowerCase(Locale.ROOT)),
          new Column("DONE", ImageCommand::done, true),
          Column.of("BY", "requestedBy"),
          Column.of("MESSAGE", "message"));
      return 0;
    }
  }

  static String done(JsonNode t) {
    long size = t.get("size").asLong();
    long bytes = t.get("bytesDone").asLong();
    return size <= 0 ? mib(bytes) : String.format(Locale.ROOT, "%s/%s %d%%", mib(bytes), mib(size), bytes * 100 / size);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.0fMiB", bytes / 1048576.0);
  }

  /** {@code csv2 image transfer}. */
  @Command(
      name = "transfer",
      description = {"Copy an image to a cloud, from another cloud (by its image id there) or from an http(s) URL (admins);"
          + " an engine's transfer service carries it out (csv2 image list shows its progress)."},
      footer = {"", "Examples:", "  csv2 image transfer --image worker --from-cloud a --image-id 7f3c --to-cloud b",
          "  csv2 image transfer --image worker --url https://images.example.org/w.qcow2 --sha256 HEX --to-cloud b"})
  static final class Transfer extends ClientCommand {
    @Option(names = "--image", required = true, paramLabel = "NAME", description = "The image's name (on the target too).")
    String image;

    @Option(names = "--from-cloud", paramLabel = "CLOUD", description = "The cloud that has the image.")
    @Nullable String fromCloud;

    @Option(names = "--image-id", paramLabel = "ID", description = "The image's id on --from-cloud.")
    @Nullable String imageId;

    @Option(names = "--url", paramLabel = "URL", description = "An http(s) URL to fetch the image from, instead of --from-cloud.")
    @Nullable String url;

    @Option(names = "--sha256", paramLabel = "HEX", description = "The SHA-256 the bytes must have (with --url).")
    @Nullable String sha256;

    @Option(names = "--to-cloud", required = true, paramLabel = "CLOUD", description = "The cloud to copy it to.")
    String toCloud;

    @Option(names = "--disk-format", paramLabel = "FORMAT", defaultValue = "qcow2", description = "The disk format (default VALUE).")
    String diskFormat;

    @Override
    protected int run(Csv2Client client, Output out) {
      if ((url == null) == (fromCloud == null)) {
        throw CliException.usage("give either --from-cloud with --image-id, or --url");
      }
      if (fromCloud != null && imageId == null) {
        throw CliException.usage("--from-cloud needs --image-id (the image's id on that cloud)");
      }
      ObjectNode body = Csv2Client.JSON.createObjectNode();
      body.put("image", image).put("target", toCloud).put("diskFormat", diskFormat);
      if (group() != null) {
        body.put("group", group());
      }
      if (url != null) {
        body.put("sourceUrl", url);
        if (sha256 != null) {
          body.put("sha256", sha256);
        }
      } else {
        body.put("sourceCloud", fromCloud).put("sourceImageId", imageId);
      }
      JsonNode t = client.post("/images/transfers", body, null, "image " + image).json();
      out.done(t, "image transfer " + t.get("id").asLong() + " of " + image + " to " + toCloud + " asked");
      return 0;
    }
  }

  /** {@code csv2 image cancel}. */
  @Command(name = "cancel", description = "Cancel a pending or running transfer (admins).", footer = {"", "Example:", "  csv2 image cancel 12"})
  static final class Cancel extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "The transfer's id (csv2 image list).")
    long id;

    @Override
    protected int run(Csv2Client client, Output out) {
      JsonNode t = client.post("/images/transfers/" + id + "/cancel", null, null, "image transfer " + id).json();
      out.done(t, "image transfer " + id + " cancelled");
      return 0;
    }
  }

  /** {@code csv2 image replication}. */
  @Command(
      name = "replication",
      description = "Where each replicating group's default image stands on each of its clouds: present, moving, failed or unknown.",
      footer = {"", "Example:", "  csv2 image replication -g atlas"})
  static final class Replication extends ClientCommand {
    @Override
    protected int run(Csv2Client client, Output out) {
      out.rows(
          client.get("/images/replication" + Csv2Client.query("group", group()), "image replication").json(),
          Column.of("GROUP", "group"),
          Column.of("CLOUD", "cloud"),
          Column.of("IMAGE", "image"),
          Column.computed("STATE", r -> r.get("state").asText().toLowerCase(Locale.ROOT)),
          Column.computed("TRANSFER", r -> r.hasNonNull("transfer") ? r.get("transfer").get("id").asText() : ""));
      return 0;
    }
  }
}

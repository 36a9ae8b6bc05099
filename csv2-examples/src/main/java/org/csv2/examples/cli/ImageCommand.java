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
 * {@code csv2 image list|upload|transfer|delete|transfers|actions|cancel|replication}: the image x
 * cloud matrix, image transfers between clouds, deletes, and the replication of each group's
 * default image (production's Glint image matrix; docs/images.md).
 */
@Command(
    name = "image",
    description = "The image x cloud matrix, image uploads, transfers and deletes, and the replication of each group's default image.",
    subcommands = {ImageCommand.Matrix.class, ImageCommand.Upload.class, ImageCommand.Transfer.class, ImageCommand.Delete.class,
        ImageCommand.ListTransfers.class, ImageCommand.Actions.class, ImageCommand.Cancel.class, ImageCommand.Replication.class},
    footer = {"", "Example:", "  csv2 image list -g atlas"})
public final class ImageCommand extends ObjectCommand {
  /** {@code csv2 image list}: the matrix. */
  @Command(
      name = "list",
      description = {"The image x cloud matrix: one row per image name, one column per cloud (of your groups, or of -g),"
          + " 'yes' where the cloud lists an image of that name (with the number when it lists several), '-' where it does not;"
          + " as the engines last read the clouds' images."},
      footer = {"", "Examples:", "  csv2 image list -g atlas", "  csv2 image list --ids --json"})
  static final class Matrix extends ClientCommand {
    @Option(names = "--ids", description = "Show the images' ids on each cloud instead of 'yes'.")
    boolean ids;

    @Override
    protected int run(Csv2Client client, Output out) {
      JsonNode m = client.get("/images" + Csv2Client.query("group", group()), "the image matrix").json();
      if (out.format() == Output.Format.JSON) {
        out.json(m);
        return 0;
      }
      com.fasterxml.jackson.databind.node.ArrayNode rows = Csv2Client.JSON.createArrayNode();
      java.util.List<String> clouds = new java.util.ArrayList<>();
      m.get("clouds").forEach(c -> clouds.add(c.get("cloud").asText()));
      for (JsonNode r : m.get("rows")) {
        ObjectNode row = rows.addObject().put("image", r.get("image").asText());
        ObjectNode cells = row.putObject("on");
        for (JsonNode i : r.get("on")) {
          String c = i.get("cloud").asText();
          String before = cells.path(c).asText("");
          cells.put(c, before.isEmpty() ? i.get("id").asText() : before + "," + i.get("id").asText());
        }
      }
      Column[] columns = new Column[clouds.size() + 1];
      columns[0] = Column.of("IMAGE", "image");
      for (int i = 0; i < clouds.size(); i++) {
        String c = clouds.get(i);
        columns[i + 1] = Column.computed(c, r -> { // the cloud as it is named
          String on = r.get("on").path(c).asText("");
          if (on.isEmpty()) {
            return "-";
          }
          int n = on.split(",").length;
          return ids ? on : n == 1 ? "yes" : "yes (" + n + ")";
        });
      }
      out.rows(rows, columns);
      return 0;
    }
  }

  /** {@code csv2 image upload}. */
  @Command(
      name = "upload",
      description = {"Put an image on clouds from a local file or an http(s) URL (admins): one transfer per cloud, which an"
          + " engine carries out through its image cache (csv2 image transfers shows their progress). A file is streamed to the"
          + " server, which keeps it in its image cache once its SHA-256 and size are checked."},
      footer = {"", "Examples:", "  csv2 image upload --image worker-v8 --file w8.qcow2 -cn a,b",
          "  csv2 image upload --image worker-v8 --url https://images.example.org/w8.qcow2 --sha256 HEX -cn a,b"})
  static final class Upload extends ClientCommand {
    @Option(names = "--image", required = true, paramLabel = "NAME", description = "The image's name on the clouds.")
    String image;

    @Option(names = "--url", paramLabel = "URL", description = "An http(s) URL the engines fetch the image from.")
    @Nullable String url;

    @Option(names = "--file", paramLabel = "FILE", description = "A local image file, streamed to the server.")
    java.nio.file.@Nullable Path file;

    @Option(names = "--sha256", paramLabel = "HEX", description = "The SHA-256 the bytes must have (with --file: computed from the file if not given).")
    @Nullable String sha256;

    @Option(names = {"-cn", "--cloud-name"}, required = true, split = ",", paramLabel = "CLOUD", description = "The clouds, comma-separated.")
    java.util.List<String> clouds;

    @Option(names = "--disk-format", paramLabel = "FORMAT", defaultValue = "qcow2", description = "The disk format (default VALUE).")
    String diskFormat;

    @Override
    protected int run(Csv2Client client, Output out) {
      if ((file == null) == (url == null)) {
        throw CliException.usage("give --file (a local image) or --url (an http(s) URL the engines can fetch), one of them");
      }
      if (file != null) {
        return uploadFile(client, out, file);
      }
      com.fasterxml.jackson.databind.node.ArrayNode asked = Csv2Client.JSON.createArrayNode();
      java.util.List<String> ids = new java.util.ArrayList<>();
      for (String cloud : clouds) {
        ObjectNode body = Csv2Client.JSON.createObjectNode();
        body.put("image", image).put("target", cloud).put("diskFormat", diskFormat).put("sourceUrl", url);
        if (sha256 != null) {
          body.put("sha256", sha256);
        }
        JsonNode t = client.post("/images/transfers", body, null, "image " + image + " to cloud " + cloud).json();
        asked.add(t);
        ids.add(t.get("id").asText());
      }
      out.done(asked, "image " + image + ": transfer" + (ids.size() == 1 ? " " : "s ") + String.join(", ", ids) + " to "
          + String.join(", ", clouds) + " asked");
      return 0;
    }

    /** Streams a local file to the server, which asks one transfer per cloud from its image cache. */
    private int uploadFile(Csv2Client client, Output out, java.nio.file.Path f) {
      if (!java.nio.file.Files.isRegularFile(f) || !java.nio.file.Files.isReadable(f)) {
        throw CliException.usage("--file: " + f + " is not a readable file");
      }
      long size;
      String sum = sha256;
      try {
        size = java.nio.file.Files.size(f);
        if (sum == null) {
          sum = sha256Of(f);
        }
      } catch (java.io.IOException e) {
        throw CliException.usage("--file: " + f + " cannot be read: " + e.getMessage());
      }
      String query = Csv2Client.query("image", image, "sha256", sum.toLowerCase(Locale.ROOT), "size", Long.toString(size),
          "diskFormat", diskFormat);
      StringBuilder path = new StringBuilder("/images/uploads").append(query);
      for (String c : clouds) {
        path.append("&cloud=").append(java.net.URLEncoder.encode(c, java.nio.charset.StandardCharsets.UTF_8));
      }
      JsonNode made = client.upload(path.toString(), f, "image " + image + " (" + f.getFileName() + ")").json();
      java.util.List<String> ids = new java.util.ArrayList<>();
      made.forEach(t -> ids.add(t.get("id").asText()));
      out.heading("image " + image + ": " + size + " bytes uploaded (sha256 " + sum + "); transfer" + (ids.size() == 1 ? " " : "s ")
          + String.join(", ", ids) + " to " + String.join(", ", clouds) + " asked");
      out.rows(made, ListTransfers.COLUMNS);
      return 0;
    }
  }

  /** The SHA-256 of a file, read through one buffer. */
  static String sha256Of(java.nio.file.Path f) throws java.io.IOException {
    java.security.MessageDigest md;
    try {
      md = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 20];
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(f)) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        md.update(buf, 0, n);
      }
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  /** {@code csv2 image delete}. */
  @Command(
      name = "delete",
      description = {"Delete an image from a cloud (admins), by its name or id there as csv2 image list shows it;"
          + " an engine that has the cloud carries it out (csv2 image actions)."},
      footer = {"", "Example:", "  csv2 image delete -cn a --image worker-v6"})
  static final class Delete extends ClientCommand {
    @Option(names = {"-cn", "--cloud-name"}, required = true, paramLabel = "CLOUD", description = "The cloud.")
    String cloud;

    @Option(names = "--image", required = true, paramLabel = "NAME|ID", description = "The image's name or id on the cloud.")
    String image;

    @Override
    protected int run(Csv2Client client, Output out) {
      ObjectNode body = Csv2Client.JSON.createObjectNode().put("cloud", cloud).put("image", image);
      JsonNode a = client.post("/images/deletes", body, null, "image " + image + " on cloud " + cloud).json();
      out.done(a, "delete of image " + image + " (" + a.get("imageId").asText() + ") on " + cloud + " asked (action "
          + a.get("id").asLong() + ")");
      return 0;
    }
  }

  /** {@code csv2 image actions}. */
  @Command(
      name = "actions",
      description = "List image deletes and key-pair copies, newest first, with their state.",
      footer = {"", "Example:", "  csv2 image actions --active"})
  static final class Actions extends ClientCommand {
    @Option(names = "--active", description = "Only pending and running ones.")
    boolean active;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N (1-5000; default VALUE).")
    int limit;

    @Override
    protected int run(Csv2Client client, Output out) {
      out.rows(
          client.get("/images/actions" + Csv2Client.query("active", active ? "true" : null, "limit", Integer.toString(limit)),
              "image actions").json(),
          Column.num("ID", "id"),
          Column.computed("ACTION", a -> a.get("kind").asText().equals("DELETE_IMAGE") ? "delete image" : "copy key pair"),
          Column.of("NAME", "name"),
          Column.of("CLOUD", "cloud"),
          Column.computed("STATE", a -> a.get("state").asText().toLowerCase(Locale.ROOT)),
          Column.of("BY", "requestedBy"),
          Column.of("MESSAGE", "message"));
      return 0;
    }
  }

  /** {@code csv2 image transfers}. */
  @Command(
      name = "transfers",
      description = "List image transfers, newest first, with their progress (bytes done, rate, state, message).",
      footer = {"", "Example:", "  csv2 image transfers --active"})
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
          COLUMNS);
      return 0;
    }

    static final Column[] COLUMNS = {
      Column.num("ID", "id"),
      Column.of("IMAGE", "image"),
      Column.computed("FROM", t -> t.hasNonNull("sourceUrl") ? t.get("sourceUrl").asText() : t.get("source").asText()),
      Column.of("TO", "target"),
      Column.computed("STATE", t -> t.get("state").asText().toLowerCase(Locale.ROOT)),
      new Column("DONE", ImageCommand::done, true),
      Column.of("BY", "requestedBy"),
      Column.of("MESSAGE", "message")
    };
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

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code csv2 metadata backup|restore} (production's names): every user-data document of the
 * groups you may see, the group's own and those it adds on each of its clouds, written to a
 * directory as one file per document (readable, diffable, kept in git if you like) and a manifest
 * {@value #MANIFEST} with what a file does not hold (priority, MIME type, enabled); and put back
 * from there. Layout: {@code DIR/GROUP/NAME} and {@code DIR/GROUP/clouds/CLOUD/NAME}.
 *
 * <p>Restore adds or replaces the documents of the backup by name and leaves other documents
 * alone; a group's cloud that is no longer allocated is named and skipped (exit 1 at the end).
 */
final class MetadataBackupCommands {
  /** The manifest's file name. */
  static final String MANIFEST = "csv2-metadata.json";

  /** The manifest's format. */
  static final int FORMAT = 1;

  /** Names used as they are for files; others are hex-encoded. */
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,120}");

  private MetadataBackupCommands() {}

  /** A name as a file name: itself when safe, else {@code x-} and its UTF-8 bytes in hex. */
  static String fileName(String name) {
    return SAFE.matcher(name).matches() && !name.equals(MANIFEST) ? name : "x-" + HexFormat.of().formatHex(name.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code csv2 metadata backup}. */
  @Command(
      name = "backup",
      description = "Write the user-data documents of the active group (-g), or of every group you may see, and of their clouds, to a directory.",
      footer = {"", "Examples:", "  csv2 metadata backup --dir csv2-metadata-2026-01-05", "  csv2 metadata backup -g atlas --dir atlas-metadata"})
  static final class Backup extends ClientCommand {
    @Option(names = {"-d", "--dir"}, required = true, paramLabel = "DIR", description = "The directory (created; it must be empty or absent unless --force).")
    Path dir;

    @Option(names = "--force", description = "Write into a directory that is not empty (files of the same names are replaced).")
    boolean force;

    @Override
    protected int run(Csv2Client client, Output out) {
      String only = group();
      try {
        if (Files.isDirectory(dir) && !force) {
          try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
              throw CliException.usage("--dir " + dir + ": not empty; choose a new directory, or give --force to write into it");
            }
          }
        }
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw CliException.failed("--dir " + dir + ": cannot create it: " + e.getMessage());
      }
      JsonNode groups = client.get("/groups", "groups").json();
      JsonNode allocations = client.get("/allocations", "allocations").json();
      ObjectNode manifest = Csv2Client.JSON.createObjectNode();
      manifest.put("format", FORMAT);
      manifest.put("server", client.serverUrl().toString());
      ArrayNode list = manifest.putArray("groups");
      int docs = 0;
      int onClouds = 0;
      int groupCount = 0;
      for (JsonNode g : groups) {
        String name = g.path("name").asText();
        if (only != null && !only.equals(name)) {
          continue;
        }
        groupCount++;
        ObjectNode entry = list.addObject();
        entry.put("group", name);
        String gdir = fileName(name);
        docs += write(g.path("userData"), gdir, entry.putArray("documents"));
        ArrayNode clouds = entry.putArray("clouds");
        for (JsonNode a : allocations) {
          if (name.equals(a.path("group").asText()) && a.path("userData").size() > 0) {
            String cloud = a.path("cloud").asText();
            ObjectNode c = clouds.addObject();
            c.put("cloud", cloud);
            onClouds += write(a.path("userData"), gdir + "/clouds/" + fileName(cloud), c.putArray("documents"));
          }
        }
      }
      if (only != null && groupCount == 0) {
        throw CliException.failed("group " + only + ": not found (or not visible to you): csv2 group list shows the groups");
      }
      try {
        writeFile(dir.resolve(MANIFEST), Csv2Client.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n");
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("cannot write JSON", e);
      }
      out.done(manifest, (docs + onClouds) + " user-data document(s) of " + groupCount + " group(s) (" + onClouds + " on clouds) written to "
          + dir + " (" + MANIFEST + " lists them)");
      return 0;
    }

    private int write(JsonNode documents, String sub, ArrayNode into) {
      int n = 0;
      for (JsonNode d : documents) {
        String file = sub + "/" + fileName(d.path("name").asText());
        writeFile(dir.resolve(file), d.path("template").asText());
        ObjectNode m = into.addObject();
        m.put("name", d.path("name").asText());
        m.put("file", file);
        m.put("priority", d.path("priority").asInt());
        m.put("mimeType", d.path("mimeType").asText());
        m.put("enabled", d.path("enabled").asBoolean(true));
        n++;
      }
      return n;
    }

    private static void writeFile(Path f, String text) {
      try {
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
      } catch (IOException e) {
        throw CliException.failed("cannot write " + f + ": " + e.getMessage());
      }
    }
  }

  /** {@code csv2 metadata restore}. */
  @Command(
      name = "restore",
      description = "Put the user-data documents of a backup back (added or replaced by name; other documents stay): every group of the backup, or only -g's.",
      footer = {"", "Examples:", "  csv2 metadata restore --dir csv2-metadata-2026-01-05", "  csv2 metadata restore -g atlas --dir csv2-metadata-2026-01-05"})
  static final class Restore extends ClientCommand {
    @Option(names = {"-d", "--dir"}, required = true, paramLabel = "DIR", description = "The backup's directory (with " + MANIFEST + ").")
    Path dir;

    @Override
    protected int run(Csv2Client client, Output out) {
      JsonNode manifest = readManifest();
      String only = group();
      List<String> skipped = new ArrayList<>();
      ArrayNode done = Csv2Client.JSON.createArrayNode();
      int docs = 0;
      int groups = 0;
      for (JsonNode g : manifest.path("groups")) {
        String group = g.path("group").asText();
        if (only != null && !only.equals(group)) {
          continue;
        }
        groups++;
        for (JsonNode m : g.path("documents")) {
          ObjectNode doc = document(m);
          String n = doc.path("name").asText();
          String what = "metadata " + n + " of group " + group;
          String path = MetadataCommand.path(group) + "/" + Csv2Client.seg(n);
          done.add(client.put(path, doc, ifMatch(client), what).json());
          docs++;
        }
        for (JsonNode c : g.path("clouds")) {
          String cloud = c.path("cloud").asText();
          Csv2Client.Response r = client.get("/allocations", "allocations");
          JsonNode found = null;
          for (JsonNode a : r.json()) {
            if (group.equals(a.path("group").asText()) && cloud.equals(a.path("cloud").asText())) {
              found = a;
            }
          }
          if (found == null) {
            skipped.add("cloud " + cloud + " of group " + group + " (not allocated now: csv2 cloud update -g " + group + " -cn " + cloud + " --priority N allocates it)");
            continue;
          }
          ObjectNode a = (ObjectNode) found.deepCopy();
          ArrayNode merged = Csv2Client.JSON.createArrayNode();
          List<String> names = new ArrayList<>();
          List<ObjectNode> restored = new ArrayList<>();
          for (JsonNode m : c.path("documents")) {
            ObjectNode d = document(m);
            names.add(d.path("name").asText());
            restored.add(d);
          }
          a.path("userData").forEach(d -> {
            if (!names.contains(d.path("name").asText())) {
              merged.add(d);
            }
          });
          restored.forEach(merged::add);
          a.set("userData", merged);
          String what = "metadata of group " + group + " on cloud " + cloud;
          done.add(client.put("/groups/" + Csv2Client.seg(group) + "/clouds/" + Csv2Client.seg(cloud), a,
              expectVersion != null ? ifMatch(client) : r.etag(), what).json());
          docs += restored.size();
        }
      }
      if (only != null && groups == 0) {
        throw CliException.failed("group " + only + ": not in the backup " + dir.resolve(MANIFEST));
      }
      out.done(done, docs + " user-data document(s) of " + groups + " group(s) restored from " + dir);
      if (!skipped.isEmpty()) {
        throw CliException.failed("not restored: " + String.join("; ", skipped));
      }
      return 0;
    }

    private JsonNode readManifest() {
      Path f = dir.resolve(MANIFEST);
      JsonNode m;
      try {
        m = Csv2Client.JSON.readTree(Files.readString(f));
      } catch (IOException e) {
        throw CliException.usage("--dir " + dir + ": no readable " + MANIFEST + " (" + e.getMessage() + "): is it a csv2 metadata backup?");
      }
      if (m == null || m.path("format").asInt() != FORMAT) {
        throw CliException.usage(f + ": not a csv2 metadata backup of format " + FORMAT);
      }
      return m;
    }

    /** A document of the manifest with its template read from its file, which must lie inside the backup. */
    private ObjectNode document(JsonNode m) {
      String file = m.path("file").asText();
      Path base = dir.toAbsolutePath().normalize();
      Path f = base.resolve(file).normalize();
      if (file.isEmpty() || !f.startsWith(base)) {
        throw CliException.usage(dir.resolve(MANIFEST) + ": document " + m.path("name").asText() + ": its file '" + Csv2Client.bounded(file)
            + "' is not inside the backup");
      }
      return MetadataCommand.document(f, m.path("name").asText(), m.path("priority").asInt(), m.path("mimeType").asText("text/cloud-config"))
          .put("enabled", m.path("enabled").asBoolean(true));
    }
  }
}

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

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.csv2.examples.ExitCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code csv2 metadata backup|restore} against a real csv2 serve: a group's documents and those it
 * adds on a cloud (one with a name that is no file name) are backed up, deleted or changed on the
 * server, restored, and read back equal; a non-empty directory and a manifest pointing outside the
 * backup are refused.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MetadataBackupTest {
  static CliServer server;

  @BeforeAll
  static void start() throws Exception {
    server = CliServer.start(20);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static CliServer.Result ok(String... args) {
    CliServer.Result r = server.run(args);
    assertThat(r.exit()).as("csv2 %s: %s", String.join(" ", args), r).isZero();
    return r;
  }

  static JsonNode json(String... args) throws Exception {
    return Csv2Client.JSON.readTree(ok(args).out());
  }

  static java.util.Map<String, JsonNode> byName(JsonNode docs) {
    java.util.Map<String, JsonNode> m = new java.util.TreeMap<>();
    docs.forEach(d -> m.put(d.path("name").asText(), d));
    return m;
  }

  @Test
  void backupThenRestoreGivesTheSameDocuments() throws Exception {
    Path site = server.home.resolve("site.yaml");
    Files.writeString(site, "#cloud-config\nruncmd: [echo {{cloud}}]\n");
    ok("cloud", "metadata-load", "-g", "atlas", "-cn", "arbutus", "-f", site.toString(), "--priority", "7");
    ok("metadata", "load", "-g", "atlas", "-f", site.toString(), "-mn", "site config (v2).yaml", "--priority", "3", "--mime-type", "text/cloud-config");
    ok("metadata", "load", "-g", "belle2", "-f", site.toString());
    JsonNode group = json("metadata", "list", "-g", "atlas", "--json");
    JsonNode cloud = json("cloud", "metadata-list", "-g", "atlas", "-cn", "arbutus", "--json");
    JsonNode belle2 = json("metadata", "list", "-g", "belle2", "--json");
    assertThat(group.size()).isEqualTo(2);
    assertThat(cloud.size()).isEqualTo(1);
    assertThat(belle2.size()).isEqualTo(1);

    Path dir = server.home.resolve("backup");
    CliServer.Result b = ok("metadata", "backup", "--dir", dir.toString());
    assertThat(b.out()).contains("written to " + dir);
    assertThat(dir.resolve("csv2-metadata.json")).exists();
    String worker = null;
    for (JsonNode d : group) {
      worker = "worker.yaml".equals(d.path("name").asText()) ? d.path("template").asText() : worker;
    }
    assertThat(Files.readString(dir.resolve("atlas/worker.yaml"))).isEqualTo(worker);
    assertThat(dir.resolve("atlas/clouds/arbutus/site.yaml")).hasContent("#cloud-config\nruncmd: [echo {{cloud}}]");
    assertThat(Files.list(dir.resolve("atlas")).map(p -> p.getFileName().toString()))
        .as("an unsafe name is hex-encoded").anyMatch(n -> n.startsWith("x-"));
    CliServer.Result again = server.run("metadata", "backup", "--dir", dir.toString());
    assertThat(again.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.err()).contains("not empty");

    ok("metadata", "delete", "-g", "atlas", "-mn", "worker.yaml");
    Files.writeString(site, "#cloud-config\nruncmd: [echo changed]\n");
    ok("metadata", "load", "-g", "atlas", "-f", site.toString(), "-mn", "site config (v2).yaml");
    ok("cloud", "metadata-delete", "-g", "atlas", "-cn", "arbutus", "-mn", "site.yaml");
    ok("metadata", "delete", "-g", "belle2", "-mn", "site.yaml");

    CliServer.Result r = ok("metadata", "restore", "--dir", dir.toString());
    assertThat(r.out()).contains("restored from " + dir);
    // the same documents (their order in the list has no meaning: priority orders the rendering)
    assertThat(byName(json("metadata", "list", "-g", "atlas", "--json"))).isEqualTo(byName(group));
    assertThat(byName(json("cloud", "metadata-list", "-g", "atlas", "-cn", "arbutus", "--json"))).isEqualTo(byName(cloud));
    assertThat(byName(json("metadata", "list", "-g", "belle2", "--json"))).isEqualTo(byName(belle2));

    Path evil = server.home.resolve("evil");
    Files.createDirectories(evil);
    Files.writeString(evil.resolve("csv2-metadata.json"),
        "{\"format\":1,\"groups\":[{\"group\":\"atlas\",\"documents\":[{\"name\":\"x\",\"file\":\"../admin.pass\"}]}]}");
    CliServer.Result refused = server.run("metadata", "restore", "--dir", evil.toString());
    assertThat(refused.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err()).contains("document x: its file '../admin.pass' is not inside the backup");
  }
}

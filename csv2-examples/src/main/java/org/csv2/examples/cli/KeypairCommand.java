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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code csv2 keypair list|add|delete}: the public keys csv2 keeps and imports into the clouds of
 * a group whose {@code key-name} they are (production's Glint key pairs; docs/images.md).
 */
@Command(
    name = "keypair",
    description = "The public keys csv2 keeps and imports into every cloud of a group that names them.",
    subcommands = {KeypairCommand.ListKeys.class, KeypairCommand.Add.class, KeypairCommand.Copy.class, KeypairCommand.Delete.class},
    footer = {"", "Example:", "  csv2 keypair add --name atlas-ops --public-key ~/.ssh/id_ed25519.pub"})
public final class KeypairCommand extends ObjectCommand {
  /** {@code csv2 keypair list}. */
  @Command(name = "list", description = "List the kept public keys with their SHA-256 fingerprints.", footer = {"", "Example:", "  csv2 keypair list"})
  static final class ListKeys extends ClientCommand {
    @Override
    protected int run(Csv2Client client, Output out) {
      out.rows(client.get("/keypairs", "key pairs").json(),
          Column.of("NAME", "name"),
          Column.of("FINGERPRINT", "fingerprint"),
          Column.of("CREATED", "created"));
      return 0;
    }
  }

  /** {@code csv2 keypair add}. */
  @Command(
      name = "add",
      description = "Keep (or replace) a public key under a name (admins); replication imports it into the clouds of groups whose key-name it is.",
      footer = {"", "Example:", "  csv2 keypair add --name atlas-ops --public-key ~/.ssh/id_ed25519.pub"})
  static final class Add extends ClientCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The key pair's name.")
    String name;

    @Option(names = "--public-key", required = true, paramLabel = "FILE", description = "A file holding one OpenSSH public key line.")
    Path file;

    @Override
    protected int run(Csv2Client client, Output out) {
      String key;
      try {
        key = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw CliException.usage("--public-key " + file + ": cannot be read (" + e.getMessage() + ")");
      }
      ObjectNode body = Csv2Client.JSON.createObjectNode().put("name", name).put("publicKey", key);
      JsonNode k = client.post("/keypairs", body, null, "key pair " + name).json();
      out.done(k, "key pair " + name + " kept (" + k.get("fingerprint").asText() + ")");
      return 0;
    }
  }

  /** {@code csv2 keypair copy}. */
  @Command(
      name = "copy",
      description = {"Import a kept key pair into the enabled clouds of a group (admins), or into some of them with -cn;"
          + " an engine that has each cloud carries it out (csv2 image actions)."},
      footer = {"", "Example:", "  csv2 keypair copy --name atlas-ops -g atlas -cn a,b"})
  static final class Copy extends ClientCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The kept key pair's name.")
    String name;

    @Option(names = {"-cn", "--cloud-name"}, split = ",", paramLabel = "CLOUD", description = "Only these of the group's clouds, comma-separated.")
    java.util.List<String> clouds = new java.util.ArrayList<>();

    @Override
    protected int run(Csv2Client client, Output out) {
      String g = group();
      if (g == null) {
        throw CliException.usage("give the group whose clouds get the key pair: -g GROUP");
      }
      ObjectNode body = Csv2Client.JSON.createObjectNode().put("group", g);
      com.fasterxml.jackson.databind.node.ArrayNode cs = body.putArray("clouds");
      clouds.forEach(cs::add);
      JsonNode a = client.post("/keypairs/" + Csv2Client.seg(name) + "/copy", body, null, "key pair " + name).json();
      java.util.List<String> to = new java.util.ArrayList<>();
      a.forEach(x -> to.add(x.get("cloud").asText()));
      out.done(a, "key pair " + name + ": import into " + String.join(", ", to) + " asked");
      return 0;
    }
  }

  /** {@code csv2 keypair delete}. */
  @Command(name = "delete", description = "Forget a kept public key (admins); key pairs already in clouds stay there.", footer = {"", "Example:", "  csv2 keypair delete --name atlas-ops"})
  static final class Delete extends ClientCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The key pair's name.")
    String name;

    @Override
    protected int run(Csv2Client client, Output out) {
      client.delete("/keypairs/" + Csv2Client.seg(name), null, "key pair " + name);
      out.done(Csv2Client.JSON.createObjectNode().put("name", name).put("deleted", true), "key pair " + name + " forgotten");
      return 0;
    }
  }
}

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
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code csv2 group list|add|update|delete|defaults}: groups (production's {@code cloudscheduler group}). */
@Command(
    name = "group",
    description = "Groups: who submits their jobs, their weight, variables, and their defaults for jobs and VMs.",
    subcommands = {GroupCommand.ListGroups.class, GroupCommand.Add.class, GroupCommand.Update.class, GroupCommand.Delete.class, GroupCommand.Defaults.class},
    footer = {"", "Examples:", "  csv2 group list", "  csv2 group defaults -g atlas --vm-image alma9-worker --vm-keep-alive 10m"})
public final class GroupCommand extends ObjectCommand {
  /** {@code csv2 group list}. */
  @Command(name = "list", description = "List the groups you may see.", footer = {"", "Example:", "  csv2 group list --json"})
  static final class ListGroups extends ClientCommand {
    @Override
    protected int run(Csv2Client client, Output out) {
      out.rows(
          client.get("/groups", "groups").json(),
          Column.of("GROUP", "name"),
          Column.num("WEIGHT", "weight"),
          Column.of("SUBMITTERS", "submitters"),
          Column.of("IMAGE", "/vmDefaults/image"),
          Column.of("FLAVOR", "/vmDefaults/flavor"),
          Column.computed("METADATA", g -> Integer.toString(g.path("userData").size())));
      return 0;
    }
  }

  /** The options add and update share. */
  abstract static class GroupFields extends ClientCommand {
    @Option(names = "--submitters", split = ",", paramLabel = "USER", description = "Batch users whose jobs belong to the group (comma-separated).")
    @Nullable List<String> submitters;

    @Option(names = "--weight", paramLabel = "W", description = "The group's weight when groups compete for a cloud.")
    @Nullable Double weight;

    @Option(names = "--variable", paramLabel = "KEY=VALUE", description = "A user-data template variable (repeatable).")
    Map<String, String> variables = new LinkedHashMap<>();

    void apply(ObjectNode g) {
      if (submitters != null) {
        ArrayNode a = g.putArray("submitters");
        submitters.stream().filter(s -> !s.isBlank()).forEach(a::add);
      }
      if (weight != null) {
        g.put("weight", weight);
      }
      if (!variables.isEmpty()) {
        ObjectNode v = g.withObjectProperty("variables");
        variables.forEach(v::put);
      }
    }
  }

  /** {@code csv2 group add}. */
  @Command(name = "add", description = "Add a group (admins).", footer = {"", "Example:", "  csv2 group add -gn belle2 --submitters belle,belleprod --weight 1"})
  static final class Add extends GroupFields {
    @Option(names = {"-gn", "--group-name"}, required = true, paramLabel = "GROUP", description = "The new group's name.")
    String name;

    @Override
    protected int run(Csv2Client client, Output out) {
      ObjectNode g = Csv2Client.JSON.createObjectNode();
      g.put("name", name);
      ObjectNode jd = g.putObject("jobDefaults");
      jd.put("cores", 1);
      jd.put("ramMiB", 1000);
      jd.put("diskGiB", 5);
      jd.put("swapMiB", 0);
      jd.put("gpus", 0);
      g.putObject("vmDefaults");
      g.putArray("userData");
      g.putArray("submitters");
      g.put("weight", 1.0);
      g.putObject("variables");
      apply(g);
      JsonNode c = client.post("/groups", g, ifMatch(client), "group " + name).json();
      out.done(c, changed(c, "group " + name + " added"));
      return 0;
    }
  }

  /** The group as the server has it, and the version read with it. */
  static Versioned find(Csv2Client client, String group) {
    Csv2Client.Response r = client.get("/groups", "groups");
    for (JsonNode g : r.json()) {
      if (group.equals(g.path("name").asText())) {
        return new Versioned(g, r.etag());
      }
    }
    throw CliException.failed("group " + group + ": not found (or not visible to you): csv2 group list shows the groups");
  }

  /** A JSON object and its ETag. */
  record Versioned(JsonNode value, @Nullable String etag) {}

  /** {@code csv2 group update}. */
  @Command(name = "update", description = "Change a group's submitters, weight or variables (members of the group).", footer = {"", "Example:", "  csv2 group update -g atlas --weight 2"})
  static final class Update extends GroupFields {
    @Override
    protected int run(Csv2Client client, Output out) {
      String name = requireGroup("group update");
      if (submitters == null && weight == null && variables.isEmpty()) {
        throw CliException.usage("nothing to change: give --submitters, --weight or --variable");
      }
      Versioned v = find(client, name);
      ObjectNode g = (ObjectNode) v.value().deepCopy();
      apply(g);
      JsonNode c = client.put("/groups/" + Csv2Client.seg(name), g, expectVersion != null ? ifMatch(client) : v.etag(), "group " + name).json();
      out.done(c, changed(c, "group " + name + " changed"));
      return 0;
    }
  }

  /** {@code csv2 group delete}. */
  @Command(name = "delete", description = "Delete a group (admins); refused while it has live VMs, unless --retire-vms.", footer = {"", "Example:", "  csv2 group delete -g old --retire-vms"})
  static final class Delete extends ClientCommand {
    @Option(names = "--retire-vms", description = "Retire the group's VMs (else the delete is refused while any live).")
    boolean retireVms;

    @Override
    protected int run(Csv2Client client, Output out) {
      String name = requireGroup("group delete");
      JsonNode c = client.delete("/groups/" + Csv2Client.seg(name) + (retireVms ? "?retireVms=true" : ""), ifMatch(client), "group " + name).json();
      out.done(c, changed(c, "group " + name + " deleted"));
      return 0;
    }
  }

  /** {@code csv2 group defaults}. */
  @Command(
      name = "defaults",
      description = {"Show a group's defaults for jobs (what a job asks for when it says nothing) and VMs;", "with options, change them."},
      footer = {"", "Examples:", "  csv2 group defaults -g atlas", "  csv2 group defaults -g atlas --job-cores 1 --job-ram 2000 --vm-flavor c4-16gb"})
  static final class Defaults extends ClientCommand {
    @Option(names = "--job-cores", paramLabel = "N", description = "Cores of a job that asks for none.")
    @Nullable Integer jobCores;

    @Option(names = "--job-ram", paramLabel = "MIB", description = "RAM in MiB of a job that asks for none.")
    @Nullable Long jobRam;

    @Option(names = "--job-disk", paramLabel = "GIB", description = "Disk in GiB of a job that asks for none.")
    @Nullable Long jobDisk;

    @Option(names = "--vm-image", paramLabel = "IMAGE", description = "The image VMs boot (\"\" removes it).")
    @Nullable String image;

    @Option(names = "--vm-flavor", paramLabel = "FLAVOR", description = "The flavor VMs boot when jobs do not decide (\"\" removes it).")
    @Nullable String flavor;

    @Option(names = "--vm-keep-alive", paramLabel = "DURATION", description = "How long an idle VM stays, e.g. 10m, 1h, PT30M.")
    @Nullable String keepAlive;

    @Option(names = "--vm-keyname", paramLabel = "KEY", description = "The key pair VMs get (\"\" removes it).")
    @Nullable String keyName;

    @Option(names = "--vm-network", paramLabel = "NETWORK", description = "The network VMs join (\"\" removes it).")
    @Nullable String network;

    @Override
    protected int run(Csv2Client client, Output out) {
      String name = requireGroup("group defaults");
      String path = "/groups/" + Csv2Client.seg(name) + "/defaults";
      Csv2Client.Response r = client.get(path, "defaults of group " + name);
      ObjectNode d = (ObjectNode) r.json().deepCopy();
      boolean change = jobCores != null || jobRam != null || jobDisk != null || image != null || flavor != null || keepAlive != null || keyName != null || network != null;
      if (change) {
        ObjectNode job = d.withObjectProperty("jobDefaults");
        ObjectNode vm = d.withObjectProperty("vmDefaults");
        if (jobCores != null) {
          job.put("cores", jobCores);
        }
        if (jobRam != null) {
          job.put("ramMiB", jobRam);
        }
        if (jobDisk != null) {
          job.put("diskGiB", jobDisk);
        }
        text(vm, "image", image);
        text(vm, "flavor", flavor);
        text(vm, "keyName", keyName);
        text(vm, "network", network);
        if (keepAlive != null) {
          vm.put("keepAlive", Durations.iso(keepAlive, "--vm-keep-alive"));
        }
        String etag = expectVersion != null ? ifMatch(client) : r.etag();
        JsonNode c = client.put(path, d, etag, "defaults of group " + name).json();
        out.done(c, changed(c, "defaults of group " + name + " changed"));
        return 0;
      }
      ArrayNode rows = Csv2Client.JSON.createArrayNode();
      d.path("jobDefaults").properties().stream().filter(e -> !e.getKey().equals("zero")).forEach(e -> row(rows, "job", e.getKey(), e.getValue()));
      d.path("vmDefaults").properties().forEach(e -> row(rows, "vm", e.getKey(), e.getValue()));
      if (out.format() == Output.Format.JSON) {
        out.json(d);
      } else {
        out.rows(rows, Column.of("FOR", "for"), Column.of("SETTING", "setting"), Column.of("VALUE", "value"));
      }
      return 0;
    }

    private static void row(ArrayNode rows, String kind, String key, JsonNode value) {
      ObjectNode n = rows.addObject();
      n.put("for", kind);
      n.put("setting", key);
      n.put("value", Column.text(value));
    }

    private static void text(ObjectNode n, String field, @Nullable String value) {
      if (value == null) {
        return;
      }
      if (value.isEmpty()) {
        n.putNull(field);
      } else {
        n.put(field, value);
      }
    }
  }
}

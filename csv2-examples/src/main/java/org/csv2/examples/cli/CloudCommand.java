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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code csv2 cloud ...}: clouds (admins add, change, pause, enable, disable and delete them) and a
 * group's settings on a cloud (core and RAM controls, flavor exclusions, priority, the cloud's
 * user-data documents: production's cloud metadata).
 */
@Command(
    name = "cloud",
    description = "Clouds, and a group's settings on each (controls, flavor exclusions, metadata).",
    subcommands = {
      CloudCommand.ListClouds.class,
      CloudCommand.Add.class,
      CloudCommand.Update.class,
      CloudCommand.Delete.class,
      CloudCommand.Status.class,
      CloudCommand.Pause.class,
      CloudCommand.Enable.class,
      CloudCommand.Disable.class,
      CloudCommand.MetadataList.class,
      CloudCommand.MetadataLoad.class,
      CloudCommand.MetadataDelete.class
    },
    footer = {"", "Examples:", "  csv2 cloud list", "  csv2 cloud pause -cn arbutus", "  csv2 cloud update -g atlas -cn arbutus --cores-ctl 64"})
public final class CloudCommand extends ObjectCommand {
  /** The cloud option shared by the actions. */
  abstract static class OnCloud extends ClientCommand {
    @Option(names = {"-cn", "--cloud-name"}, required = true, paramLabel = "CLOUD", description = "The cloud.")
    String cloud;

    String cloudPath() {
      return "/clouds/" + Csv2Client.seg(cloud);
    }

    String allocationPath(String group) {
      return "/groups/" + Csv2Client.seg(group) + "/clouds/" + Csv2Client.seg(cloud);
    }
  }

  /** {@code csv2 cloud list}. */
  @Command(name = "list", description = "List the clouds you may see: driver, state, groups allocated, live VMs.", footer = {"", "Example:", "  csv2 cloud list --csv"})
  static final class ListClouds extends ClientCommand {
    @Override
    protected int run(Csv2Client client, Output out) {
      JsonNode clouds = client.get("/clouds", "clouds").json();
      String g = group();
      ArrayNode rows = Csv2Client.JSON.createArrayNode();
      for (JsonNode c : clouds) {
        if (g == null || hasGroup(c, g)) {
          rows.add(c);
        }
      }
      out.rows(
          rows,
          Column.of("CLOUD", "/spec/name"),
          Column.of("DRIVER", "/spec/driver"),
          Column.computed("STATE", c -> c.at("/spec/enabled").asBoolean() ? "enabled" : "paused"),
          Column.computed("GROUPS", c -> {
            List<String> groups = new ArrayList<>();
            c.path("allocations").forEach(a -> groups.add(a.path("group").asText()));
            return String.join(",", groups);
          }),
          Column.num("LIVE VMS", "liveVms"));
      return 0;
    }

    private static boolean hasGroup(JsonNode cloud, String group) {
      for (JsonNode a : cloud.path("allocations")) {
        if (group.equals(a.path("group").asText())) {
          return true;
        }
      }
      return false;
    }
  }

  /** {@code csv2 cloud add}. */
  @Command(
      name = "add",
      description = {"Add a cloud (admins), and with -g allocate it to that group.", "--config gives the driver's settings (docs/openstack.md, docs/ec2.md)."},
      footer = {"", "Example:", "  csv2 cloud add -cn cern --driver openstack --config auth-url=https://keystone.example.org:5000/v3 --config project=atlas -g atlas --priority 1"})
  static final class Add extends OnCloud {
    @Option(names = "--driver", required = true, paramLabel = "DRIVER", description = "The cloud driver: openstack, ec2, simulated, or a plugin's.")
    String driver;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "A driver setting (repeatable).")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(names = "--paused", description = "Add it paused (no VM starts until csv2 cloud enable).")
    boolean paused;

    @Option(names = "--priority", paramLabel = "N", defaultValue = "0", description = "With -g: the allocation's priority (lower boots first; default VALUE).")
    int priority;

    @Override
    protected int run(Csv2Client client, Output out) {
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("name", cloud);
      spec.put("driver", driver);
      spec.put("enabled", !paused);
      spec.put("config", config);
      JsonNode change = client.post("/clouds", spec, ifMatch(client), "cloud " + cloud).json();
      out.done(change, changed(change, "cloud " + cloud + " added"));
      String g = group();
      if (groupOption != null && g != null) {
        ObjectNode a = Csv2Client.JSON.createObjectNode();
        a.put("group", g);
        a.put("cloud", cloud);
        a.put("priority", priority);
        a.put("coresCtl", -1);
        a.put("coresSoftmax", -1);
        a.put("ramCtlMiB", -1);
        a.put("mode", "PREFERRED");
        a.putArray("excludedFlavors");
        a.putObject("overrides");
        a.putArray("userData");
        a.put("enabled", true);
        JsonNode c2 = client.put(allocationPath(g), a, "\"" + change.path("version").asLong() + "\"", "cloud " + cloud + " of group " + g).json();
        out.done(c2, changed(c2, "cloud " + cloud + " allocated to group " + g));
      }
      return 0;
    }
  }

  /** {@code csv2 cloud update}. */
  @Command(
      name = "update",
      description =
          "Change a group's settings on a cloud (-g: core and RAM controls, soft maximum, flavor exclusions, priority)"
              + " or, for admins, the cloud's driver settings (--config). Options not given stay as they are.",
      footer = {"", "Examples:", "  csv2 cloud update -g atlas -cn arbutus --cores-ctl 64 --ram-ctl 256000", "  csv2 cloud update -g atlas -cn arbutus --flavor-exclusions c1-4gb,c2-8gb",
        "  csv2 cloud update -cn arbutus --config region=east"})
  static final class Update extends OnCloud {
    @Option(names = "--cores-ctl", paramLabel = "N", description = "Most cores the group may use on the cloud (-1: no limit).")
    @Nullable Integer coresCtl;

    @Option(names = "--cores-softmax", paramLabel = "N", description = "Soft maximum of cores (-1: none).")
    @Nullable Integer coresSoftmax;

    @Option(names = "--ram-ctl", paramLabel = "MIB", description = "Most RAM in MiB the group may use on the cloud (-1: no limit).")
    @Nullable Long ramCtl;

    @Option(names = "--flavor-exclusions", split = ",", paramLabel = "FLAVOR", description = "Flavors the group must not boot there (comma-separated; \"\" clears).")
    @Nullable List<String> flavors;

    @Option(names = "--priority", paramLabel = "N", description = "The allocation's priority (lower boots first).")
    @Nullable Integer priority;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "Admins: a driver setting to set (repeatable).")
    Map<String, String> config = new LinkedHashMap<>();

    @Override
    protected int run(Csv2Client client, Output out) {
      boolean allocation = coresCtl != null || coresSoftmax != null || ramCtl != null || flavors != null || priority != null;
      if (!allocation && config.isEmpty()) {
        throw CliException.usage("nothing to change: give --cores-ctl, --cores-softmax, --ram-ctl, --flavor-exclusions, --priority (with -g) or --config");
      }
      List<String> done = new ArrayList<>();
      ArrayNode answers = Csv2Client.JSON.createArrayNode();
      if (!config.isEmpty()) {
        JsonNode spec = findCloud(client).path("spec");
        ObjectNode s = (ObjectNode) spec.deepCopy();
        ObjectNode cfg = s.withObjectProperty("config");
        config.forEach(cfg::put);
        JsonNode c = client.put(cloudPath(), s, ifMatch(client), "cloud " + cloud).json();
        answers.add(c);
        done.add(changed(c, "cloud " + cloud + ": settings " + String.join(", ", config.keySet()) + " changed"));
      }
      if (allocation) {
        String g = requireGroup("cloud update --cores-ctl/--ram-ctl/--flavor-exclusions/--priority");
        String what = "cloud " + cloud + " of group " + g;
        if (coresCtl != null || coresSoftmax != null || ramCtl != null) {
          Map<String, Object> controls = new LinkedHashMap<>();
          controls.put("coresCtl", coresCtl);
          controls.put("coresSoftmax", coresSoftmax);
          controls.put("ramCtlMiB", ramCtl);
          JsonNode c = client.put(allocationPath(g) + "/controls", controls, ifMatch(client), what).json();
          answers.add(c);
          done.add(changed(c, what + ": controls changed"));
        }
        if (flavors != null) {
          List<String> f = flavors.stream().filter(x -> !x.isBlank()).toList();
          JsonNode c = client.put(allocationPath(g) + "/excluded-flavors", Map.of("flavors", f), ifMatch(client), what).json();
          answers.add(c);
          done.add(changed(c, what + ": flavor exclusions " + (f.isEmpty() ? "cleared" : String.join(",", f))));
        }
        if (priority != null) {
          Csv2Client.Response r = client.get("/allocations", "allocations");
          ObjectNode a = (ObjectNode) allocation(r.json(), g, cloud).deepCopy();
          a.put("priority", priority);
          String etag = expectVersion != null ? ifMatch(client) : r.etag();
          JsonNode c = client.put(allocationPath(g), a, etag, what).json();
          answers.add(c);
          done.add(changed(c, what + ": priority " + priority));
        }
      }
      if (out.format() == Output.Format.JSON) {
        out.json(answers);
      } else {
        done.forEach(d -> out.done(answers, d));
      }
      return 0;
    }

    private JsonNode findCloud(Csv2Client client) {
      for (JsonNode c : client.get("/clouds", "clouds").json()) {
        if (cloud.equals(c.at("/spec/name").asText())) {
          return c;
        }
      }
      throw CliException.failed("cloud " + cloud + ": not found (or not visible to you): csv2 cloud list shows the clouds");
    }
  }

  /** The allocation of a group on a cloud, from GET /allocations. */
  static JsonNode allocation(JsonNode allocations, String group, String cloud) {
    for (JsonNode a : allocations) {
      if (group.equals(a.path("group").asText()) && cloud.equals(a.path("cloud").asText())) {
        return a;
      }
    }
    throw CliException.failed("cloud " + cloud + " of group " + group + ": not allocated (or not visible to you): csv2 cloud list -g " + group + " shows the group's clouds");
  }

  /** {@code csv2 cloud delete}. */
  @Command(
      name = "delete",
      description = {"Delete a cloud (admins), or with -g only its allocation to that group.", "Refused while VMs live there, unless --retire-vms."},
      footer = {"", "Examples:", "  csv2 cloud delete -cn old-cloud --retire-vms", "  csv2 cloud delete -g atlas -cn arbutus"})
  static final class Delete extends OnCloud {
    @Option(names = "--retire-vms", description = "Retire the VMs that live there (else the delete is refused while any live).")
    boolean retireVms;

    @Override
    protected int run(Csv2Client client, Output out) {
      String q = retireVms ? "?retireVms=true" : "";
      if (groupOption != null) {
        String what = "cloud " + cloud + " of group " + groupOption;
        JsonNode c = client.delete(allocationPath(groupOption) + q, ifMatch(client), what).json();
        out.done(c, changed(c, what + " deleted"));
      } else {
        JsonNode c = client.delete(cloudPath() + q, ifMatch(client), "cloud " + cloud).json();
        out.done(c, changed(c, "cloud " + cloud + " deleted"));
      }
      return 0;
    }
  }

  /** {@code csv2 cloud status}. */
  @Command(
      name = "status",
      description = "Per group and cloud: VMs by state, cores used, quota and control, RAM, breaker (the status page's cloud table).",
      footer = {"", "Example:", "  csv2 cloud status -g atlas"})
  static final class Status extends ClientCommand {
    @Option(names = {"-cn", "--cloud-name"}, paramLabel = "CLOUD", description = "Only this cloud.")
    @Nullable String cloud;

    @Override
    protected int run(Csv2Client client, Output out) {
      JsonNode status = client.get("/status", "the status").json();
      String g = group();
      ArrayNode rows = Csv2Client.JSON.createArrayNode();
      for (JsonNode r : status.path("clouds")) {
        if ((g == null || g.equals(r.path("group").asText())) && (cloud == null || cloud.equals(r.path("cloud").asText()))) {
          rows.add(r);
        }
      }
      out.rows(rows, StatusCommand.CLOUD_COLUMNS);
      return 0;
    }
  }

  /** pause, enable, disable: one POST to the cloud's verb, and what it did. */
  abstract static class StateVerb extends OnCloud {
    private final String verb;
    private final String result;

    StateVerb(String verb, String result) {
      this.verb = verb;
      this.result = result;
    }

    @Override
    protected int run(Csv2Client client, Output out) {
      JsonNode c = client.post(cloudPath() + "/" + verb, null, ifMatch(client), "cloud " + cloud).json();
      out.done(c, changed(c, "cloud " + cloud + " " + result));
      return 0;
    }
  }

  /** {@code csv2 cloud pause}. */
  @Command(name = "pause", description = "Stop booting VMs on a cloud; running VMs stay (admins).", footer = {"", "Example:", "  csv2 cloud pause -cn arbutus"})
  static final class Pause extends StateVerb {
    Pause() {
      super("pause", "paused: no new VMs start there, running VMs stay");
    }
  }

  /** {@code csv2 cloud enable}. */
  @Command(name = "enable", description = "Let groups boot VMs on a cloud again (admins).", footer = {"", "Example:", "  csv2 cloud enable -cn arbutus"})
  static final class Enable extends StateVerb {
    Enable() {
      super("enable", "enabled");
    }
  }

  /** {@code csv2 cloud disable}. */
  @Command(name = "disable", description = "Stop booting on a cloud and retire its VMs (admins; manual VMs stay).", footer = {"", "Example:", "  csv2 cloud disable -cn arbutus"})
  static final class Disable extends StateVerb {
    Disable() {
      super("disable", "disabled");
    }
  }

  /** {@code csv2 cloud metadata-list}. */
  @Command(
      name = "metadata-list",
      description = "List the user-data documents (metadata) a group adds on a cloud.",
      footer = {"", "Example:", "  csv2 cloud metadata-list -g atlas -cn arbutus"})
  static final class MetadataList extends OnCloud {
    @Override
    protected int run(Csv2Client client, Output out) {
      String g = requireGroup("cloud metadata-list");
      JsonNode a = allocation(client.get("/allocations", "allocations").json(), g, cloud);
      out.rows(a.path("userData"), MetadataCommand.COLUMNS);
      return 0;
    }
  }

  /** {@code csv2 cloud metadata-load}. */
  @Command(
      name = "metadata-load",
      description = "Add or replace a user-data document (metadata) of a group on a cloud, from a file.",
      footer = {"", "Example:", "  csv2 cloud metadata-load -g atlas -cn arbutus -f worker.yaml --priority 10"})
  static final class MetadataLoad extends OnCloud {
    @picocli.CommandLine.Mixin MetadataCommand.DocumentOptions doc;

    @Override
    protected int run(Csv2Client client, Output out) {
      String g = requireGroup("cloud metadata-load");
      ObjectNode document = doc.document();
      Csv2Client.Response r = client.get("/allocations", "allocations");
      ObjectNode a = (ObjectNode) allocation(r.json(), g, cloud).deepCopy();
      ArrayNode docs = Csv2Client.JSON.createArrayNode();
      a.path("userData").forEach(d -> {
        if (!document.path("name").asText().equals(d.path("name").asText())) {
          docs.add(d);
        }
      });
      docs.add(document);
      a.set("userData", docs);
      String what = "metadata " + document.path("name").asText() + " of group " + g + " on cloud " + cloud;
      JsonNode c = client.put(allocationPath(g), a, expectVersion != null ? ifMatch(client) : r.etag(), what).json();
      out.done(c, changed(c, what + " loaded"));
      return 0;
    }
  }

  /** {@code csv2 cloud metadata-delete}. */
  @Command(
      name = "metadata-delete",
      description = "Delete a user-data document (metadata) of a group on a cloud.",
      footer = {"", "Example:", "  csv2 cloud metadata-delete -g atlas -cn arbutus -mn worker.yaml"})
  static final class MetadataDelete extends OnCloud {
    @Option(names = {"-mn", "--metadata-name"}, required = true, paramLabel = "NAME", description = "The document.")
    String name;

    @Override
    protected int run(Csv2Client client, Output out) {
      String g = requireGroup("cloud metadata-delete");
      Csv2Client.Response r = client.get("/allocations", "allocations");
      ObjectNode a = (ObjectNode) allocation(r.json(), g, cloud).deepCopy();
      ArrayNode docs = Csv2Client.JSON.createArrayNode();
      boolean found = false;
      for (JsonNode d : a.path("userData")) {
        if (name.equals(d.path("name").asText())) {
          found = true;
        } else {
          docs.add(d);
        }
      }
      String what = "metadata " + name + " of group " + g + " on cloud " + cloud;
      if (!found) {
        throw CliException.failed(what + ": not found: csv2 cloud metadata-list -g " + g + " -cn " + cloud + " lists them");
      }
      a.set("userData", docs);
      JsonNode c = client.put(allocationPath(g), a, expectVersion != null ? ifMatch(client) : r.etag(), what).json();
      out.done(c, changed(c, what + " deleted"));
      return 0;
    }
  }

  static String lower(JsonNode n) {
    return n.asText().toLowerCase(Locale.ROOT);
  }

  static String read(Path file) {
    try {
      if (Files.size(file) > 200_000) {
        throw CliException.usage(file + ": larger than 200 kB: a user-data document is a template, not a payload");
      }
      return Files.readString(file);
    } catch (IOException e) {
      throw CliException.usage("cannot read " + file + ": " + e.getMessage());
    }
  }
}

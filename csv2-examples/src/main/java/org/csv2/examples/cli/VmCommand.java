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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code csv2 vm list|update}: the VMs csv2 started (production's {@code cloudscheduler vm}). */
@Command(
    name = "vm",
    description = "The VMs csv2 started: list them, retire, kill, take under manual control, retain.",
    subcommands = {VmCommand.ListVms.class, VmCommand.Update.class},
    footer = {"", "Examples:", "  csv2 vm list -g atlas", "  csv2 vm update --vm-option retire --vm-hosts atlas--cloud-a--t0c0ffee0--v0000"})
public final class VmCommand extends ObjectCommand {
  /**
   * The most VMs the server sends in one answer ({@code GET /api/v1/vms?limit=}): the command asks
   * for pages this large and follows the server's next links until the list ends.
   */
  static final int MAX_PAGE = 5_000;

  static final Column[] COLUMNS = {
    Column.of("NAME", "id"),
    Column.of("GROUP", "group"),
    Column.of("CLOUD", "cloud"),
    Column.of("FLAVOR", "flavor"),
    Column.computed("STATE", v -> v.path("state").asText().toLowerCase(Locale.ROOT)),
    Column.num("CORES", "cores"),
    Column.num("RAM MIB", "ramMiB"),
    Column.computed("MANUAL", v -> v.path("manual").asBoolean() ? "yes" : ""),
    Column.of("SINCE", "stateSince"),
    Column.of("REASON", "reason")
  };

  /** {@code csv2 vm list}. */
  @Command(
      name = "list",
      description = "List the VMs (not the terminated ones, unless --state terminated) of the active group, or of all you may see.",
      footer = {"", "Examples:", "  csv2 vm list -g atlas --cloud cloud-a", "  csv2 vm list --state retiring --csv"})
  static final class ListVms extends ClientCommand {
    @Option(names = {"-cn", "--cloud-name", "--cloud"}, paramLabel = "CLOUD", description = "Only the VMs on this cloud.")
    @Nullable String cloud;

    @Option(names = "--state", paramLabel = "STATE", description = "Only VMs in this state (starting, running, retiring, ...; terminated lists the ended ones).")
    @Nullable String state;

    @Option(names = "--page-size", paramLabel = "N", description = "VMs asked for per request, 1-5000 (default 5000); every page is read.")
    int pageSize = MAX_PAGE;

    @Override
    protected int run(Csv2Client client, Output out) {
      JsonNode vms = client.getAll(
          "/vms" + Csv2Client.query("group", group(), "cloud", cloud, "state", state, "limit", Integer.toString(pageSize)), "VMs");
      out.rows(vms, COLUMNS);
      return 0;
    }
  }

  /** What {@code vm update --vm-option} does. */
  enum VmOption {
    retire,
    kill,
    manctl,
    sysctl,
    retain
  }

  /** {@code csv2 vm update --vm-option ...}. */
  @Command(
      name = "update",
      description =
          "Act on VMs: retire (drain, then terminate), kill (terminate now), manctl (manual control: csv2 leaves it alone),"
              + " sysctl (back to csv2's control), or retain N (keep N VMs of the group on the cloud). The engine holding"
              + " the group carries the request out at its next cycle.",
      footer = {
        "",
        "Examples:",
        "  csv2 vm update --vm-option retire --vm-hosts atlas--cloud-a--t0c0ffee0--v0000",
        "  csv2 vm update --vm-option kill -g atlas --cloud cloud-a --all",
        "  csv2 vm update --vm-option retain --vm-count 4 -g atlas --cloud cloud-a"
      })
  static final class Update extends ClientCommand {
    @Option(names = {"-vo", "--vm-option"}, required = true, paramLabel = "OPTION", description = "retire, kill, manctl, sysctl or retain.")
    VmOption option;

    @Option(names = {"-vh", "--vm-hosts"}, split = ",", paramLabel = "NAME", description = "The VMs, by name (csv2 vm list), comma-separated.")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--all", description = "Every VM of the active group (with --cloud: on that cloud) that is not terminated.")
    boolean all;

    @Option(names = {"-cn", "--cloud-name", "--cloud"}, paramLabel = "CLOUD", description = "The cloud (retain; with --all: only its VMs).")
    @Nullable String cloud;

    @Option(names = {"-vc", "--vm-count"}, paramLabel = "N", description = "retain: how many VMs to keep (0-10000).")
    @Nullable Integer count;

    @Option(names = "--force", description = "kill: terminate even if the VM is under manual control.")
    boolean force;

    @Override
    protected int run(Csv2Client client, Output out) {
      if (option == VmOption.retain) {
        if (count == null || cloud == null) {
          throw CliException.usage("--vm-option retain needs --vm-count N and --cloud CLOUD (and a group: -g)");
        }
        String g = requireGroup("vm update --vm-option retain");
        JsonNode intent = client.post(
            "/groups/" + Csv2Client.seg(g) + "/clouds/" + Csv2Client.seg(cloud) + "/retain", Map.of("count", count), null,
            "group " + g + " on cloud " + cloud).json();
        out.done(intent, "retain " + count + " VMs of group " + g + " on cloud " + cloud + ": requested (intent " + intent.path("id").asLong()
            + "); the engine carries it out at its next cycle");
        return 0;
      }
      List<String> names = new ArrayList<>(hosts);
      if (all) {
        if (!names.isEmpty()) {
          throw CliException.usage("--all and --vm-hosts: give one of them");
        }
        String g = requireGroup("vm update --all");
        for (JsonNode v : client.getAll("/vms" + Csv2Client.query("group", g, "cloud", cloud, "limit", Integer.toString(MAX_PAGE)), "VMs of group " + g)) {
          names.add(v.path("id").asText());
        }
      } else if (names.isEmpty()) {
        throw CliException.usage("give the VMs: --vm-hosts NAME[,NAME...] (csv2 vm list shows them), or --all with -g GROUP");
      }
      ArrayNode answers = Csv2Client.JSON.createArrayNode();
      List<String> failed = new ArrayList<>();
      List<String> lines = new ArrayList<>();
      for (String name : names) {
        String what = "VM " + name;
        try {
          JsonNode intent = switch (option) {
            case retire -> client.post("/vms/" + Csv2Client.seg(name) + "/retire", null, null, what).json();
            case kill -> client.post("/vms/" + Csv2Client.seg(name) + "/kill", Map.of("force", force), null, what).json();
            case manctl -> client.post("/vms/" + Csv2Client.seg(name) + "/manual", Map.of("on", true), null, what).json();
            case sysctl -> client.post("/vms/" + Csv2Client.seg(name) + "/sysctl", null, null, what).json();
            case retain -> throw new IllegalStateException("handled above");
          };
          answers.add(intent);
          lines.add(option + " of VM " + name + ": requested (intent " + intent.path("id").asLong() + ")");
        } catch (CliException e) {
          failed.add(e.getMessage());
        }
      }
      if (out.format() == Output.Format.JSON) {
        out.json(answers);
      } else {
        lines.forEach(l -> out.done(answers, l));
      }
      if (!failed.isEmpty()) {
        throw CliException.failed(String.join(System.lineSeparator(), failed));
      }
      if (names.isEmpty()) {
        out.done(answers, "no VM to " + option);
      } else if (out.format() != Output.Format.JSON) {
        out.done(answers, "the engine carries " + (names.size() == 1 ? "it" : "them") + " out at its next cycle");
      }
      return 0;
    }
  }
}

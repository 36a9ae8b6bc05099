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
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code csv2 status}: the status page's figures (production's status page, cloud and job tables). */
@Command(
    name = "status",
    description = {
      "Show the status page's figures (the engines' last snapshots): jobs per group and alias (idle,",
      "running, held, other) and, per group and cloud, VMs by state, cores used, the quota and the",
      "core control. -g shows one group."
    },
    footer = {"", "Examples:", "  csv2 status", "  csv2 status -g atlas --json"})
public final class StatusCommand extends ClientCommand {
  /** The cloud table's columns (here and in csv2 cloud status). */
  static final Column[] CLOUD_COLUMNS = {
    Column.of("GROUP", "group"),
    Column.of("CLOUD", "cloud"),
    Column.computed("STATE", c -> c.path("enabled").asBoolean() ? "enabled" : "paused"),
    Column.num("VMS", "vmTotal"),
    Column.computed("BY STATE", c -> byState(c.path("vms"))),
    Column.num("CORES", "coresUsed"),
    Column.num("QUOTA", "coresQuota"),
    new Column("CORE CTL", c -> c.path("coresCtl").asInt(-1) < 0 ? "" : c.path("coresCtl").asText(), true),
    Column.num("RAM MIB", "ramUsedMiB"),
    Column.computed("BREAKER", c -> c.path("breaker").asText().toLowerCase(java.util.Locale.ROOT))
  };

  @Override
  protected int run(Csv2Client client, Output out) {
    JsonNode status = client.get("/status", "the status").json();
    String g = group();
    ArrayNode jobs = only(status.path("jobs"), g);
    ArrayNode clouds = only(status.path("clouds"), g);
    if (out.format() == Output.Format.JSON) {
      ObjectNode n = ((ObjectNode) status.deepCopy());
      n.set("jobs", jobs);
      n.set("clouds", clouds);
      out.json(n);
      return 0;
    }
    out.heading("engine: " + (status.path("engineRunning").asBoolean() ? "running" : "not running in this server")
        + ", " + status.path("cycles").asLong() + " cycles"
        + (status.path("lastCycleAt").isTextual() ? ", last at " + status.path("lastCycleAt").asText() : "")
        + ", figures at " + status.path("at").asText());
    for (JsonNode p : status.path("problems")) {
      out.heading("problem: " + p.asText());
    }
    out.heading("");
    out.heading("JOBS");
    out.rows(jobs, Column.of("GROUP", "group"), Column.of("ALIAS", "alias"), Column.num("IDLE", "idle"), Column.num("RUNNING", "running"),
        Column.num("HELD", "held"), Column.num("OTHER", "other"));
    out.gap();
    out.heading("CLOUDS");
    out.rows(clouds, CLOUD_COLUMNS);
    return 0;
  }

  /** The rows of one group, or all when none is given. */
  private static ArrayNode only(JsonNode rows, String group) {
    ArrayNode out = Csv2Client.JSON.createArrayNode();
    for (JsonNode r : rows) {
      if (group == null || group.equals(r.path("group").asText())) {
        out.add(r);
      }
    }
    return out;
  }

  private static String byState(JsonNode vms) {
    List<String> parts = new ArrayList<>();
    vms.properties().forEach(e -> {
      if (e.getValue().asInt() > 0) {
        parts.add(e.getKey().toLowerCase(java.util.Locale.ROOT) + "=" + e.getValue().asInt());
      }
    });
    return String.join(" ", parts);
  }
}

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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code csv2 accounting report|apel}: usage reports and the APEL export (docs/accounting.md). */
@Command(
    name = "accounting",
    description = "Usage reports and the APEL export for WLCG/EGI accounting.",
    subcommands = {AccountingCommand.Report.class, AccountingCommand.Apel.class},
    footer = {"", "Example:", "  csv2 accounting report --by group,month --from 2026-11-01T00:00:00Z"})
public final class AccountingCommand extends ObjectCommand {
  /** {@code csv2 accounting report}. */
  @Command(
      name = "report",
      description = {"Wall hours, core-hours, CPU hours and cost of the VMs that ran in a period, grouped by group, cloud,"
          + " flavor, user, month and/or reservation (all groups: admins; -g GROUP: its members)."},
      footer = {"", "Examples:", "  csv2 accounting report -g atlas --by cloud,month", "  csv2 accounting report --by reservation --csv"})
  static final class Report extends ClientCommand {
    @Option(names = "--by", paramLabel = "DIMS", defaultValue = "group",
        description = "Comma-separated: group, cloud, flavor, user, month, reservation (default VALUE).")
    String by;

    @Option(names = "--from", paramLabel = "INSTANT", description = "The period's start, ISO-8601 (default: 30 days before --to).")
    @Nullable String from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "The period's end, ISO-8601 (default: now).")
    @Nullable String to;

    @Override
    protected int run(Csv2Client client, Output out) {
      JsonNode report = client.get("/accounting/report" + Csv2Client.query("group", group(), "by", by, "from", from, "to", to),
          "the usage report").json();
      if (out.format() == Output.Format.JSON) {
        out.json(report);
        return 0;
      }
      List<Column> columns = new ArrayList<>();
      JsonNode dims = report.get("by");
      for (int i = 0; i < dims.size(); i++) {
        int k = i;
        columns.add(Column.computed(dims.get(i).asText().toUpperCase(Locale.ROOT), r -> r.get("key").get(k).asText()));
      }
      columns.add(Column.num("VMS", "vms"));
      columns.add(hours("WALL H", "wallHours"));
      columns.add(hours("CORE H", "coreHours"));
      columns.add(hours("CPU H", "cpuHours"));
      columns.add(new Column("COST", r -> String.format(Locale.ROOT, "%.2f", r.get("cost").asDouble()), true));
      out.rows(report.get("rows"), columns.toArray(Column[]::new));
      return 0;
    }

    private static Column hours(String header, String field) {
      return new Column(header, r -> String.format(Locale.ROOT, "%.3f", r.get(field).asDouble()), true); // half up, as the REST CSV
    }
  }

  /** {@code csv2 accounting apel}. */
  @Command(
      name = "apel",
      description = {"The APEL export (admins): what a run would write now, what was sent, what waits for the SSM sender;"
          + " with --export, write the changed records and summaries into the outgoing directory now."},
      footer = {"", "Examples:", "  csv2 accounting apel", "  csv2 accounting apel --export --since 2026-10-01T00:00:00Z"})
  static final class Apel extends ClientCommand {
    @Option(names = "--export", description = "Write the records and summaries now.")
    boolean export;

    @Option(names = "--since", paramLabel = "INSTANT", description = "With --export: look back to this ISO-8601 instant (default: the start of the previous month).")
    @Nullable String since;

    @Override
    protected int run(Csv2Client client, Output out) {
      if (!export) {
        if (since != null) {
          throw CliException.usage("--since goes with --export");
        }
        JsonNode s = client.get("/accounting/apel", "the APEL export").json();
        if (out.format() == Output.Format.JSON) {
          out.json(s);
          return 0;
        }
        out.rows(Csv2Client.JSON.createArrayNode().add(s),
            Column.of("SITE", "siteName"),
            Column.of("OUTGOING", "outgoing"),
            Column.of("INTERVAL", "interval"),
            Column.of("SINCE", "since"),
            Column.num("PENDING RECORDS", "pendingRecords"),
            Column.num("PENDING SUMMARIES", "pendingSummaries"),
            Column.num("SENT", "sentRecords"),
            Column.num("INTERRUPTED", "interruptedBatches"),
            Column.num("QUEUED", "queuedMessages"));
        return 0;
      }
      ObjectNode body = Csv2Client.JSON.createObjectNode();
      if (since != null) {
        body.put("since", since);
      }
      JsonNode run = client.post("/accounting/apel", body, null, "the APEL export").json();
      out.done(run, "APEL export: " + run.get("messages").asInt() + " message(s), " + run.get("records").asInt() + " record(s), "
          + run.get("summaries").asInt() + " summary(ies) written" + (run.get("recovered").asInt() > 0
              ? ", " + run.get("recovered").asInt() + " interrupted message(s) finished" : ""));
      return 0;
    }
  }
}

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

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code csv2 audit list}: who changed what (admins). */
@Command(
    name = "audit",
    description = "The audit log: every change, who made it, before and after (admins).",
    subcommands = {AuditCommand.ListAudit.class},
    footer = {"", "Example:", "  csv2 audit list --since 2026-01-05T00:00:00Z"})
public final class AuditCommand extends ObjectCommand {
  /** {@code csv2 audit list}. */
  @Command(
      name = "list",
      description = "List the changes since a moment (default: the last 7 days), newest first; --json shows before and after.",
      footer = {"", "Example:", "  csv2 audit list --limit 20"})
  static final class ListAudit extends ClientCommand {
    @Option(names = "--since", paramLabel = "INSTANT", description = "Changes from this ISO-8601 instant on (e.g. 2026-01-05T00:00:00Z).")
    @Nullable String since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "500", description = "At most N entries (1-5000; default VALUE).")
    int limit;

    @Override
    protected int run(Csv2Client client, Output out) {
      out.rows(
          client.get("/audit" + Csv2Client.query("since", since, "limit", Integer.toString(limit)), "the audit log").json(),
          Column.num("ID", "id"),
          Column.of("AT", "at"),
          Column.of("WHO", "/actor/name"),
          Column.of("ROLE", "/actor/role"),
          Column.of("ACTION", "action"),
          Column.of("TARGET", "target"));
      return 0;
    }
  }
}

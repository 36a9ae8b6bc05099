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

import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code csv2 job list}: the jobs csv2 sees, and why an idle one has no VM yet. */
@Command(
    name = "job",
    description = "The batch jobs csv2 sees.",
    subcommands = {JobCommand.ListJobs.class},
    footer = {"", "Example:", "  csv2 job list -g atlas --state idle"})
public final class JobCommand extends ObjectCommand {
  /** {@code csv2 job list}. */
  @Command(
      name = "list",
      description = {"List jobs: state, owner, shape, queued since, and for an idle job why no VM runs it yet (WHY NOT)."},
      footer = {"", "Examples:", "  csv2 job list -g atlas --state idle", "  csv2 job list --alias fast --limit 50 --csv"})
  static final class ListJobs extends ClientCommand {
    @Option(names = "--state", paramLabel = "STATE", description = "Only jobs in this state (idle, running, held, ...).")
    @Nullable String state;

    @Option(names = {"-an", "--alias"}, paramLabel = "ALIAS", description = "Only jobs that target this alias.")
    @Nullable String alias;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "500", description = "At most N jobs (1-5000; default VALUE).")
    int limit;

    @Override
    protected int run(Csv2Client client, Output out) {
      out.rows(
          client.get("/jobs" + Csv2Client.query("group", group(), "alias", alias, "state", state, "limit", Integer.toString(limit)), "jobs").json(),
          Column.of("JOB", "/job/id"),
          Column.of("GROUP", "group"),
          Column.of("ALIAS", "/job/alias"),
          Column.computed("STATE", j -> j.at("/job/state").asText().toLowerCase(Locale.ROOT)),
          Column.of("OWNER", "/job/owner"),
          Column.of("SHAPE", "/job/shape"),
          Column.of("QUEUED SINCE", "/job/queuedSince"),
          Column.of("WHY NOT", "whyNot"));
      return 0;
    }
  }
}

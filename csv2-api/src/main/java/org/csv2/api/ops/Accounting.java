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
package org.csv2.api.ops;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.csv2.model.GroupName;
import org.jspecify.annotations.Nullable;

/**
 * The accounting verbs (docs/accounting.md): usage reports ({@code csv2 accounting report}) and the
 * APEL export ({@code csv2 accounting apel}). They read the usage records every engine keeps in the
 * state store, so they work in any process over the same store.
 *
 * <p><b>Thread safety:</b> implementations are safe for concurrent use; APEL runs on one outgoing
 * directory are serialised (across processes, by a lock file in that directory).
 */
public interface Accounting {
  /**
   * The usage report of a period.
   *
   * @param actor who asks
   * @param from the period's start
   * @param to the period's end, after the start (later than now counts as now)
   * @param by the grouping, in order, at least one, each once
   * @param group only this group's VMs, or null for all
   * @return the report
   * @throws OperationException REFUSED for an empty period or a bad grouping
   */
  UsageReport report(Actor actor, Instant from, Instant to, List<UsageReport.Dimension> by, @Nullable GroupName group);

  /**
   * What the APEL export would write now, without writing it.
   *
   * @param actor who asks
   * @return the export's state
   */
  ApelStatus apel(Actor actor);

  /**
   * Writes the APEL records and summaries changed since last sent into the outgoing directory
   * (finishing an interrupted run first), and records the run in the audit log.
   *
   * @param actor who asks
   * @param since the start of the period to look at, or null for the start of the previous month
   * @return what was written
   * @throws OperationException REFUSED when {@code accounting.site-name} or {@code
   *     accounting.outgoing} is not configured, or writing failed
   */
  ApelRun exportApel(Actor actor, @Nullable Instant since);

  /**
   * The APEL export's state.
   *
   * @param configured site name and outgoing directory are set
   * @param siteName APEL SiteName (blank when not configured)
   * @param outgoing the SSM sender's outgoing directory (blank when not configured)
   * @param interval how often the engines export, or blank for on demand only
   * @param since the start of the period a run would look at
   * @param pendingRecords individual records a run would write now
   * @param pendingSummaries summaries a run would write now
   * @param sentRecords records and summaries recorded as sent
   * @param interruptedBatches messages of an interrupted run the next run finishes
   * @param queuedMessages messages in the outgoing directory the sender has not taken yet
   */
  record ApelStatus(
      boolean configured,
      String siteName,
      String outgoing,
      String interval,
      Instant since,
      int pendingRecords,
      int pendingSummaries,
      int sentRecords,
      int interruptedBatches,
      int queuedMessages) {
    /** Checks. */
    public ApelStatus {
      Objects.requireNonNull(siteName, "siteName");
      Objects.requireNonNull(outgoing, "outgoing");
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(since, "since");
    }
  }

  /**
   * What one APEL run wrote.
   *
   * @param at when it ran
   * @param since the start of the period it looked at
   * @param messages messages written
   * @param records individual records in them
   * @param summaries summaries in them
   * @param recovered messages of an earlier, interrupted run finished now
   * @param files the files written, relative to the outgoing directory
   */
  record ApelRun(Instant at, Instant since, int messages, int records, int summaries, int recovered, List<String> files) {
    /** Copies. */
    public ApelRun {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(since, "since");
      files = List.copyOf(files);
    }
  }
}

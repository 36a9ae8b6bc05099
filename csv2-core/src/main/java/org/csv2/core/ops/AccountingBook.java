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
package org.csv2.core.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.csv2.api.ops.Accounting;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.AuditEntry;
import org.csv2.api.ops.OperationException;
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.UsageReport;
import org.csv2.core.accounting.ApelExporter;
import org.csv2.core.accounting.UsageReports;
import org.csv2.core.config.AccountingSettings;
import org.csv2.core.config.Csv2Config;
import org.csv2.model.GroupName;
import org.csv2.model.VmId;
import org.csv2.model.VmUsage;
import org.csv2.spi.OperatorWrite;
import org.csv2.spi.StateStore;
import org.jspecify.annotations.Nullable;

/**
 * The accounting verbs over a state store ({@link Accounting}; docs/accounting.md): reports from the
 * usage records the engines keep, and APEL runs with the stored configuration's {@code accounting}
 * settings. A run here and an engine's scheduled run on the same outgoing directory never overlap:
 * {@link ApelExporter} holds a lock file there.
 *
 * <p><b>Thread safety:</b> safe for concurrent use; the store arbitrates.
 */
public final class AccountingBook implements Accounting {
  /** How far before a report's period a reservation may have started and still own VMs in it. */
  private static final Duration RESERVATION_MARGIN = Duration.ofDays(31);

  private final StateStore store;
  private final Clock clock;
  private final Supplier<Optional<Csv2Config>> config;

  /**
   * Creates the verbs.
   *
   * @param store the state store the engines use
   * @param clock now
   * @param config the configuration the engines run with (empty before one is stored)
   */
  public AccountingBook(StateStore store, Clock clock, Supplier<Optional<Csv2Config>> config) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public UsageReport report(Actor actor, Instant from, Instant to, List<UsageReport.Dimension> by, @Nullable GroupName group) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Instant now = clock.instant();
    Instant end = to.isAfter(now) ? now : to;
    if (!end.isAfter(from)) {
      throw refused("report: the period from " + from + " to " + end + " is empty (the start must be before the end and before now)");
    }
    if (by.isEmpty()) {
      throw refused("report: name at least one dimension to group by (group, cloud, flavor, user, month, reservation)");
    }
    Set<UsageReport.Dimension> seen = EnumSet.noneOf(UsageReport.Dimension.class);
    for (UsageReport.Dimension d : by) {
      if (!seen.add(d)) {
        throw refused("report: " + d.name().toLowerCase(java.util.Locale.ROOT) + " is named twice in the grouping");
      }
    }
    List<VmUsage> usage = usage(from, end).stream().filter(u -> group == null || group.equals(u.group())).toList();
    Map<VmId, Long> reservationOf = new HashMap<>();
    if (by.contains(UsageReport.Dimension.RESERVATION)) {
      try {
        for (Reservation r : store.reservations(group, from.minus(RESERVATION_MARGIN), end)) {
          r.vms().forEach(vm -> reservationOf.put(vm, r.id()));
        }
      } catch (UnsupportedOperationException e) {
        // a store without reservations: every VM is elastic
      }
    }
    return UsageReports.report(usage, from, end, by, reservationOf);
  }

  @Override
  public ApelStatus apel(Actor actor) {
    Objects.requireNonNull(actor, "actor");
    Instant now = clock.instant();
    Instant since = ApelExporter.defaultSince(now);
    Optional<Csv2Config> cfg = config.get();
    AccountingSettings a = cfg.map(Csv2Config::accounting).orElse(AccountingSettings.NONE);
    String interval = a.interval() == null ? "" : ConfigNodes.duration(a.interval());
    if (cfg.isEmpty() || a.outgoing() == null || a.siteName().isBlank()) {
      int sent = sentCount();
      return new ApelStatus(false, a.siteName(), a.outgoing() == null ? "" : a.outgoing().toString(), interval, since, 0, 0, sent, 0, 0);
    }
    ApelExporter.Pending p = exporter(cfg.get()).pending(since, now);
    return new ApelStatus(true, a.siteName(), a.outgoing().toString(), interval, since, p.records(), p.summaries(), p.sent(),
        p.interrupted(), p.queued());
  }

  @Override
  public ApelRun exportApel(Actor actor, @Nullable Instant since) {
    Objects.requireNonNull(actor, "actor");
    Instant now = clock.instant();
    Instant from = since == null ? ApelExporter.defaultSince(now) : since;
    if (!from.isBefore(now)) {
      throw refused("apel: the start " + from + " is not before now (" + now + ")");
    }
    Csv2Config cfg = config.get().orElseThrow(() -> refused(
        "apel: the state store holds no configuration yet; configure accounting.site-name and accounting.outgoing"));
    AccountingSettings a = cfg.accounting();
    if (a.outgoing() == null || a.siteName().isBlank()) {
      throw refused("apel: set accounting.site-name and accounting.outgoing in the configuration to write APEL records"
          + " (docs/accounting.md)");
    }
    ApelExporter.Result r;
    try {
      r = exporter(cfg).export(from, now);
    } catch (IllegalStateException | java.io.UncheckedIOException e) {
      throw refused("apel: " + e.getMessage());
    }
    List<String> files = r.files().stream().map(f -> a.outgoing().relativize(f).toString()).toList();
    ApelRun run = new ApelRun(now, from, r.messages(), r.records(), r.summaries(), r.recovered(), files);
    AuditEntry entry = AuditEntry.of(now, actor, "accounting apel", "APEL outgoing " + a.outgoing(), "",
        r.messages() + " message(s), " + r.records() + " record(s), " + r.summaries() + " summary(ies), "
            + r.recovered() + " recovered, since " + from);
    store.submit(new OperatorWrite(null, 0, actor.name(), List.of(), List.of(entry)));
    return run;
  }

  private ApelExporter exporter(Csv2Config cfg) {
    return new ApelExporter(store, cfg.accounting(), ApelExporter.cloudTypes(cfg), new java.security.SecureRandom());
  }

  private List<VmUsage> usage(Instant from, Instant to) {
    try {
      return store.usage(from, to);
    } catch (UnsupportedOperationException e) {
      throw refused("the state store keeps no usage records (" + store.getClass().getSimpleName() + ")");
    }
  }

  private int sentCount() {
    try {
      return store.accountingSent().size();
    } catch (UnsupportedOperationException e) {
      return 0;
    }
  }

  private static OperationException refused(String message) {
    return new OperationException(OperationException.Reason.REFUSED, message);
  }
}

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
package org.csv2.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.csv2.api.ops.Accounting;
import org.csv2.api.ops.UsageReport;
import org.csv2.model.GroupName;
import org.csv2.model.User;
import org.jspecify.annotations.Nullable;

/**
 * The accounting verbs under {@code /api/v1/accounting} (docs/accounting.md): the usage report
 * (admins, or a member for their group) as JSON or CSV, the APEL export's state and a run (admins).
 */
final class AccountingApi {
  private static final String BASE = Api.BASE + "/accounting";

  private AccountingApi() {}

  static void install(Javalin app, Auth auth, World world) {
    Accounting acct = world.operations().accounting();
    app.get(BASE + "/report", ctx -> report(ctx, auth, world, acct));
    app.get(BASE + "/apel", ctx -> Http.json(ctx, acct.apel(OpsApi.actor(Http.principal(ctx, auth).requireAdmin()))));
    app.post(
        BASE + "/apel",
        ctx -> {
          User u = Http.principal(ctx, auth).requireAdmin();
          Run run = ctx.body().isBlank() ? new Run(null) : Http.body(ctx, Run.class);
          Http.json(ctx, acct.exportApel(OpsApi.actor(u), run.since()));
        });
  }

  private static void report(Context ctx, Auth auth, World world, Accounting acct) {
    Principal p = Http.principal(ctx, auth);
    User u = p.require();
    String g = Api.param(ctx, "group");
    GroupName group = g == null ? null : OpsApi.groupName(g);
    if (group == null) {
      p.requireAdmin();
    } else {
      p.requireGroup(group);
    }
    Instant to = instant(ctx, "to");
    Instant from = instant(ctx, "from");
    Instant end = to == null ? world.clock().instant() : to;
    Instant start = from == null ? end.minus(Duration.ofDays(30)) : from;
    if (Duration.between(start, end).compareTo(Api.MAX_SPAN) > 0) {
      throw ApiException.badRequest("from, to: at most " + Api.MAX_SPAN.toDays() + " days apart");
    }
    List<UsageReport.Dimension> by = new ArrayList<>();
    String raw = Api.param(ctx, "by");
    try {
      for (String d : (raw == null ? "group" : raw).split(",")) {
        by.add(UsageReport.Dimension.of(d));
      }
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("by: " + e.getMessage());
    }
    UsageReport report = acct.report(OpsApi.actor(u), start, end, by, group);
    if ("csv".equals(Api.param(ctx, "format"))) {
      ctx.contentType("text/csv; charset=utf-8").result(report.csv());
    } else {
      Http.json(ctx, report);
    }
  }

  static @Nullable Instant instant(Context ctx, String name) {
    String v = Api.param(ctx, name);
    try {
      return v == null ? null : Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(name + ": an ISO-8601 instant such as 2030-01-01T10:00:00Z");
    }
  }

  record Run(@Nullable Instant since) {}
}

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
import org.csv2.api.ops.Reservation;
import org.csv2.api.ops.ReservationFilter;
import org.csv2.api.ops.ReservationRequest;
import org.csv2.api.ops.ReservationSearch;
import org.csv2.api.ops.ReservationState;
import org.csv2.api.ops.ReservationUsage;
import org.csv2.api.ops.Reservations;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.User;
import org.jspecify.annotations.Nullable;

/**
 * The reservation verbs under {@code /api/v1} (docs/reservations.md): search and book on a group
 * (its members), list and read (the group's members), extend and cancel (the owner or an admin),
 * the usage report (admins, or a member for their group) as JSON or CSV. A refused booking is 409
 * naming the conflict, with the stored reservation's id.
 */
final class ReservationApi {
  private static final String BASE = Api.BASE;

  private ReservationApi() {}

  static void install(Javalin app, Auth auth, World world) {
    Reservations resv = world.operations().reservations();
    app.post(
        BASE + "/groups/{group}/reservations/search",
        ctx -> {
          GroupName g = OpsApi.group(ctx);
          User u = Http.principal(ctx, auth).requireGroup(g);
          Search s = Http.body(ctx, Search.class);
          Http.json(ctx, resv.search(OpsApi.actor(u), new ReservationSearch(g, s.cores(), s.ramMiB(), s.count(), s.start(), s.end())));
        });
    app.post(
        BASE + "/groups/{group}/reservations",
        ctx -> {
          GroupName g = OpsApi.group(ctx);
          User u = Http.principal(ctx, auth).requireGroup(g);
          Book b = Http.body(ctx, Book.class);
          ReservationRequest request;
          try {
            request = new ReservationRequest(g, b.cloud() == null ? null : CloudName.of(b.cloud()),
                b.flavor() == null ? null : FlavorName.of(b.flavor()), b.cores() == null ? 0 : b.cores(),
                b.ramMiB() == null ? 0 : b.ramMiB(), b.count(), b.image(), b.userData(), b.sshKey(), b.start(), b.end());
          } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
          }
          Reservation r = resv.book(OpsApi.actor(u), request);
          if (r.state() == ReservationState.REFUSED) {
            throw ApiException.conflict("reservation " + r.id() + " refused: " + r.reason());
          }
          ctx.status(201);
          ctx.header("Location", BASE + "/reservations/" + r.id());
          Http.json(ctx, r);
        });
    app.get(
        BASE + "/reservations",
        ctx -> {
          Principal p = Http.principal(ctx, auth);
          User u = p.require();
          String g = Api.param(ctx, "group");
          GroupName group = g == null ? null : OpsApi.groupName(g);
          if (group != null) {
            p.requireGroup(group);
          }
          ReservationFilter f = new ReservationFilter(group, Api.param(ctx, "owner"), instant(ctx, "from"), instant(ctx, "to"));
          Http.json(ctx, resv.list(OpsApi.actor(u), f).stream().filter(r -> p.canSee(r.group())).toList());
        });
    app.get(BASE + "/reservations/usage", ctx -> usage(ctx, auth, world, resv));
    app.get(BASE + "/reservations/{id}", ctx -> Http.json(ctx, visible(ctx, auth, resv)));
    app.post(
        BASE + "/reservations/{id}/extend",
        ctx -> {
          Reservation r = visible(ctx, auth, resv);
          User u = ownerOrAdmin(ctx, auth, r);
          Instant end = Http.body(ctx, Extend.class).end();
          Http.json(ctx, resv.extend(OpsApi.actor(u), r.id(), end));
        });
    app.post(
        BASE + "/reservations/{id}/cancel",
        ctx -> {
          Reservation r = visible(ctx, auth, resv);
          Http.json(ctx, resv.cancel(OpsApi.actor(ownerOrAdmin(ctx, auth, r)), r.id()));
        });
  }

  private static void usage(Context ctx, Auth auth, World world, Reservations resv) {
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
    // by default 30 days either side of now: bookings ahead are counted (booked, not yet used)
    Instant now = world.clock().instant();
    Instant end = to == null ? now.plus(Duration.ofDays(30)) : to;
    Instant start = from == null ? (to == null ? now : end).minus(Duration.ofDays(30)) : from;
    if (!end.isAfter(start)) {
      throw ApiException.badRequest("from: must be before to");
    }
    ReservationUsage report = resv.usage(OpsApi.actor(u), group, start, end);
    if ("csv".equals(Api.param(ctx, "format"))) {
      ctx.contentType("text/csv; charset=utf-8").result(report.csv());
    } else {
      Http.json(ctx, report);
    }
  }

  /** The reservation of the path, 404 unless the caller may see its group. */
  private static Reservation visible(Context ctx, Auth auth, Reservations resv) {
    Principal p = Http.principal(ctx, auth);
    User u = p.require();
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw ApiException.notFound("reservation");
    }
    Reservation r;
    try {
      r = resv.get(OpsApi.actor(u), id);
    } catch (org.csv2.api.ops.OperationException e) {
      throw ApiException.notFound("reservation");
    }
    if (!p.canSee(r.group())) {
      throw ApiException.notFound("reservation");
    }
    return r;
  }

  private static User ownerOrAdmin(Context ctx, Auth auth, Reservation r) {
    User u = Http.principal(ctx, auth).require();
    if (!u.admin() && !u.name().equals(r.owner())) {
      throw ApiException.forbidden("only the reservation's owner or an admin may change it");
    }
    return u;
  }

  private static @Nullable Instant instant(Context ctx, String name) {
    String v = Api.param(ctx, name);
    try {
      return v == null ? null : Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(name + ": an ISO-8601 instant such as 2030-01-01T10:00:00Z");
    }
  }

  record Search(int cores, long ramMiB, int count, Instant start, Instant end) {
    Search {
      if (start == null || end == null) {
        throw new IllegalArgumentException("start and end: ISO-8601 instants are required");
      }
      if (cores < 1 || cores > Reservation.MAX_CORES || ramMiB < 1 || ramMiB > Reservation.MAX_RAM_MIB
          || count < 0 || count > Reservation.MAX_COUNT) {
        throw new IllegalArgumentException("cores 1-" + Reservation.MAX_CORES + ", ramMiB 1-" + Reservation.MAX_RAM_MIB
            + ", count 0-" + Reservation.MAX_COUNT + " are required");
      }
    }
  }

  record Book(
      @Nullable String cloud, @Nullable String flavor, @Nullable Integer cores, @Nullable Long ramMiB, int count,
      @Nullable String image, @Nullable String userData, @Nullable String sshKey, Instant start, Instant end) {
    Book {
      if (start == null || end == null) {
        throw new IllegalArgumentException("start and end: ISO-8601 instants are required");
      }
      if (count < 0 || count > Reservation.MAX_COUNT) {
        throw new IllegalArgumentException("count: 0-" + Reservation.MAX_COUNT);
      }
      if (cloud != null && cloud.length() > 63 || flavor != null && flavor.length() > 255
          || image != null && image.length() > Reservation.MAX_TEXT
          || userData != null && userData.length() > 255
          || sshKey != null && sshKey.length() > Reservation.MAX_DOCUMENT) {
        throw new IllegalArgumentException("cloud, flavor, image, userData (a document name) or sshKey: too long");
      }
    }
  }

  record Extend(Instant end) {
    Extend {
      if (end == null) {
        throw new IllegalArgumentException("end: an ISO-8601 instant is required");
      }
    }
  }

}

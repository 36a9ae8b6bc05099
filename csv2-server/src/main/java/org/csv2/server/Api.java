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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.csv2.model.ApiToken;
import org.csv2.model.GroupName;
import org.csv2.model.Sample;
import org.csv2.model.User;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.jspecify.annotations.Nullable;

/**
 * The REST API under {@code /api/v1}: JSON in and out, problem documents for errors, ETags for
 * optimistic versions. Its OpenAPI document is {@code /api/v1/openapi.yaml}; {@code OpenApiTest}
 * checks that every route here is in it.
 */
final class Api {
  static final String BASE = "/api/v1";
  /** At most this many points per series in one answer. */
  static final int MAX_POINTS = 20_000;
  static final Duration MAX_SPAN = Duration.ofDays(400);

  private Api() {}

  static void install(Javalin app, Auth auth, World world) {
    String openApi = resource("openapi.yaml");
    app.get(BASE + "/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApi));

    app.get(
        BASE + "/status",
        ctx -> {
          Principal p = require(ctx, auth);
          Http.shared(ctx, world.recently("status-json|" + World.visibility(p), () -> Http.Shared.of(world.status(p), null)));
        });
    app.get(
        BASE + "/vms",
        ctx -> {
          Principal p = require(ctx, auth);
          Predicate<Vm> filter = filter(ctx);
          int limit = limit(ctx);
          VmId after = cursor(ctx);
          String key = "vms|" + World.visibility(p) + "|" + param(ctx, "group") + "|" + param(ctx, "cloud") + "|" + param(ctx, "state")
              + "|" + limit + "|" + (after == null ? "" : after.value());
          Http.shared(ctx, world.recently(key, () -> vmPage(ctx, world, p, filter, limit, after)));
        });
    app.get(
        BASE + "/vms/{id}",
        ctx -> {
          Principal p = require(ctx, auth);
          Vm vm = world.vm(p, vmId(ctx.pathParam("id"))).orElseThrow(() -> ApiException.notFound("VM"));
          ctx.header("ETag", etag(vm.version()));
          Http.json(ctx, Views.VmView.of(vm));
        });
    app.get(BASE + "/series", ctx -> series(ctx, world, require(ctx, auth)));

    app.get(BASE + "/me", ctx -> Http.json(ctx, Views.UserView.of(require(ctx, auth).require())));
    app.patch(
        BASE + "/me",
        ctx -> {
          User me = require(ctx, auth).require();
          Settings s = Http.body(ctx, Settings.class);
          User saved = world.store().saveUser(applySettings(me, s), me.version());
          Http.json(ctx, Views.UserView.of(saved));
        });
    app.post(
        BASE + "/me/password",
        ctx -> {
          Principal p = require(ctx, auth);
          User me = p.require();
          PasswordChange c = Http.body(ctx, PasswordChange.class);
          if (!auth.passwords().verify(c.current(), me.passwordHash())) {
            throw ApiException.forbidden("the current password does not match");
          }
          world.store().saveUser(me.withPasswordHash(auth.passwords().hash(c.next())), me.version());
          auth.sessions().closeAll(me.name());
          ctx.status(204);
        });
    app.get(
        BASE + "/me/tokens",
        ctx -> Http.json(ctx, world.store().tokens(require(ctx, auth).require().name()).stream().map(Views.TokenView::of).toList()));
    app.post(
        BASE + "/me/tokens",
        ctx -> {
          User me = require(ctx, auth).require();
          NewToken t = Http.body(ctx, NewToken.class);
          Tokens.Issued issued = issueToken(auth, world, me, t.label(), t.days());
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("id", issued.stored().id());
          out.put("token", issued.token());
          out.put("label", issued.stored().label());
          out.put("expires", issued.stored().expires());
          ctx.status(201);
          Http.json(ctx, out);
        });
    app.delete(
        BASE + "/me/tokens/{id}",
        ctx -> {
          User me = require(ctx, auth).require();
          String id = ctx.pathParam("id");
          ApiToken t = world.store().token(id.length() > 32 ? "" : id).filter(x -> x.user().equals(me.name()))
              .orElseThrow(() -> ApiException.notFound("token"));
          world.store().deleteToken(t.id());
          ctx.status(204);
        });

    app.get(
        BASE + "/users",
        ctx -> {
          require(ctx, auth).requireAdmin();
          Http.json(ctx, world.store().users().stream().map(Views.UserView::of).toList());
        });
    app.post(
        BASE + "/users",
        ctx -> {
          require(ctx, auth).requireAdmin();
          User saved = createUser(auth, world, Http.body(ctx, NewUser.class));
          ctx.status(201).header("ETag", etag(saved.version())).header("Location", BASE + "/users/" + saved.name());
          Http.json(ctx, Views.UserView.of(saved));
        });
    app.get(
        BASE + "/users/{name}",
        ctx -> {
          require(ctx, auth).requireAdmin();
          User u = user(world, ctx.pathParam("name"));
          ctx.header("ETag", etag(u.version()));
          Http.json(ctx, Views.UserView.of(u));
        });
    app.put(
        BASE + "/users/{name}",
        ctx -> {
          require(ctx, auth).requireAdmin();
          User u = user(world, ctx.pathParam("name"));
          long expected = ifMatch(ctx);
          if (expected != u.version()) {
            throw ApiException.preconditionFailed("the user was changed since you read it (ETag " + etag(u.version()) + ")");
          }
          UserChange c = Http.body(ctx, UserChange.class);
          User next = u.withRoles(c.admin(), groups(c.groups()));
          if (c.password() != null) {
            next = next.withPasswordHash(auth.passwords().hash(c.password()));
            auth.sessions().closeAll(u.name());
          }
          User saved = world.store().saveUser(next, expected);
          ctx.header("ETag", etag(saved.version()));
          Http.json(ctx, Views.UserView.of(saved));
        });
    app.delete(
        BASE + "/users/{name}",
        ctx -> {
          deleteUser(auth, world, require(ctx, auth).requireAdmin(), user(world, ctx.pathParam("name")));
          ctx.status(204);
        });
  }

  /** Makes a user (REST and the users page): the name checked, the password hashed. 409 if the name is taken. */
  static User createUser(Auth auth, World world, NewUser n) {
    if (!User.validName(n.name())) {
      throw ApiException.badRequest("name: use 1-64 letters, digits, '.', '_', '@' or '-'");
    }
    User u = User.of(n.name(), n.password() == null ? "" : auth.passwords().hash(n.password()), n.admin(), groups(n.groups()));
    try {
      return world.store().saveUser(u, 0);
    } catch (org.csv2.api.StateStoreException e) {
      if (e.reason() == org.csv2.api.StateStoreException.Reason.CONFLICT) {
        throw ApiException.conflict("a user of that name exists");
      }
      throw e;
    }
  }

  /** Deletes a user and ends their sessions (REST and the users page); nobody deletes themselves. */
  static void deleteUser(Auth auth, World world, User admin, User u) {
    if (u.name().equals(admin.name())) {
      throw ApiException.conflict("you cannot delete yourself");
    }
    world.store().deleteUser(u.name());
    auth.sessions().closeAll(u.name());
  }

  /** Issues an API token (REST and the settings page): at most 50 per user; the secret is in the answer only. */
  static Tokens.Issued issueToken(Auth auth, World world, User me, @Nullable String label, @Nullable Integer days) {
    if (label != null && label.length() > 128) {
      throw ApiException.badRequest("label: at most 128 characters");
    }
    if (world.store().tokens(me.name()).size() >= 50) {
      throw ApiException.conflict("a user may have at most 50 tokens: delete one first");
    }
    Instant now = auth.clock().instant();
    Instant expires = days == null ? null : now.plus(Duration.ofDays(days));
    Tokens.Issued issued = Tokens.issue(me.name(), label == null ? "" : label, now, expires);
    world.store().saveToken(issued.stored());
    return issued;
  }

  private static Principal require(Context ctx, Auth auth) {
    Principal p = Http.principal(ctx, auth);
    p.require();
    return p;
  }

  private static User user(World world, String name) {
    if (!User.validName(name)) {
      throw ApiException.notFound("user");
    }
    return world.store().user(name).orElseThrow(() -> ApiException.notFound("user"));
  }

  static VmId vmId(String raw) {
    if (raw.length() > 255) {
      throw ApiException.notFound("VM");
    }
    try {
      return VmId.of(raw);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("VM");
    }
  }

  static Set<GroupName> groups(@Nullable List<String> names) {
    Set<GroupName> out = new HashSet<>();
    if (names == null) {
      return out;
    }
    if (names.size() > 200) {
      throw ApiException.badRequest("groups: at most 200");
    }
    for (String n : names) {
      try {
        out.add(GroupName.of(Objects.requireNonNull(n, "group")));
      } catch (RuntimeException e) {
        throw ApiException.badRequest("groups: '" + Http.bounded(n) + "' is not a valid group name");
      }
    }
    return out;
  }

  static User applySettings(User me, Settings s) {
    GroupName dg = null;
    if (s.defaultGroup() != null && !s.defaultGroup().isEmpty()) {
      dg = groups(List.of(s.defaultGroup())).iterator().next();
      if (!me.canSee(dg)) {
        throw ApiException.badRequest("defaultGroup: you are not a member of that group");
      }
    }
    int refresh = s.refreshSeconds() == null ? me.refreshSeconds() : s.refreshSeconds();
    if (refresh < 0 || refresh > 3600) {
      throw ApiException.badRequest("refreshSeconds: 0 (never) to 3600");
    }
    return me.withSettings(dg, refresh);
  }

  static String etag(long version) {
    return "\"" + version + "\"";
  }

  /** The version an If-Match names: 428 when missing, 412 when it is no version of ours. */
  static long ifMatch(Context ctx) {
    String h = ctx.header("If-Match");
    if (h == null) {
      throw ApiException.preconditionRequired();
    }
    String t = h.trim();
    if (t.startsWith("W/")) {
      t = t.substring(2);
    }
    if (t.length() < 3 || t.length() > 21 || !t.startsWith("\"") || !t.endsWith("\"")) {
      throw ApiException.preconditionFailed("If-Match must be an ETag this server sent");
    }
    try {
      return Long.parseLong(t.substring(1, t.length() - 1));
    } catch (NumberFormatException e) {
      throw ApiException.preconditionFailed("If-Match must be an ETag this server sent");
    }
  }

  /** The VMs of one answer of {@code GET /vms} when the caller gives no {@code limit}. */
  static final int DEFAULT_LIMIT = 500;
  /** The most VMs one answer of {@code GET /vms} holds. */
  static final int MAX_LIMIT = 5_000;

  /**
   * One page of the VM list: the VMs after the cursor's, by id, at most {@code limit}, and the
   * link to the next page when there are more. Keyset paging: a VM that comes or goes between two
   * pages moves no other VM from one page to another.
   */
  private static Http.Shared vmPage(Context ctx, World world, Principal p, Predicate<Vm> filter, int limit, @Nullable VmId after) {
    List<Vm> all = world.vms(p, after == null ? filter : filter.and(vm -> vm.id().compareTo(after) > 0));
    all.sort(Comparator.comparing(Vm::id)); // linear when the store lists them in order already
    List<Views.VmView> page = new ArrayList<>(Math.min(limit, all.size()));
    for (int i = 0; i < limit && i < all.size(); i++) {
      page.add(Views.VmView.of(all.get(i)));
    }
    String next = null;
    if (all.size() > limit) {
      StringBuilder q = new StringBuilder(BASE + "/vms?");
      for (String name : List.of("group", "cloud", "state")) {
        String v = param(ctx, name);
        if (v != null) {
          q.append(name).append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&');
        }
      }
      q.append("limit=").append(limit).append("&cursor=").append(cursorOf(all.get(limit - 1).id()));
      next = q.toString();
    }
    return Http.Shared.of(page, next);
  }

  /** The {@code limit} of a list query: {@link #DEFAULT_LIMIT} when absent, 1 to {@link #MAX_LIMIT}. */
  static int limit(Context ctx) {
    String v = param(ctx, "limit");
    if (v == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ApiException.badRequest("limit: a whole number from 1 to " + MAX_LIMIT);
  }

  /** An opaque cursor: the last VM of a page, which the next page starts after. */
  static String cursorOf(VmId last) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("v1:" + last.value()).getBytes(StandardCharsets.UTF_8));
  }

  /** The VM a {@code cursor} names, or null without one; 400 for a cursor this server did not give. */
  static @Nullable VmId cursor(Context ctx) {
    String v = param(ctx, "cursor");
    if (v == null) {
      return null;
    }
    try {
      String text = new String(java.util.Base64.getUrlDecoder().decode(v), StandardCharsets.UTF_8);
      if (text.startsWith("v1:")) {
        return VmId.of(text.substring(3));
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw ApiException.badRequest("cursor: not one this server gave; follow the answer's Link rel=\"next\", or start again without a cursor");
  }

  /** The VM filter of the query (group, cloud, state); terminated VMs only when asked for. */
  static Predicate<Vm> filter(Context ctx) {
    String group = param(ctx, "group");
    String cloud = param(ctx, "cloud");
    String state = param(ctx, "state");
    VmState st = null;
    if (state != null) {
      try {
        st = VmState.valueOf(state.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("state: one of " + java.util.Arrays.toString(VmState.values()));
      }
    }
    VmState want = st;
    return vm -> (group == null || vm.group().value().equals(group))
        && (cloud == null || vm.cloud().value().equals(cloud))
        && (want == null ? vm.state() != VmState.TERMINATED : vm.state() == want);
  }

  static @Nullable String param(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (v.length() > 255) {
      throw ApiException.badRequest(name + ": at most 255 characters");
    }
    return v;
  }

  /** One or more time series of the store's samples, as JSON or CSV. */
  private static void series(Context ctx, World world, Principal p) {
    List<String> metrics = ctx.queryParams("metric");
    if (metrics.isEmpty() || metrics.size() > 10) {
      throw ApiException.badRequest("metric: give 1-10 metric names");
    }
    Instant now = world.clock().instant();
    Instant to = instant(ctx, "to", now);
    Instant from = instant(ctx, "from", to.minus(Duration.ofHours(6)));
    if (!from.isBefore(to) || Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
      throw ApiException.badRequest("from must be before to, at most " + MAX_SPAN.toDays() + " days apart");
    }
    List<String> labels = ctx.queryParams("label");
    if (labels.size() > 10 || labels.stream().anyMatch(l -> l.length() > 255)) {
      throw ApiException.badRequest("label: at most 10, each at most 255 characters");
    }
    // a figure holds until its next sample: the last one before the range starts it (looked for one span back)
    Instant lookback = from.minus(Duration.between(from, to));
    List<Views.Series> out = new ArrayList<>();
    for (String metric : metrics) {
      if (metric.length() > 100) {
        throw ApiException.badRequest("metric: at most 100 characters");
      }
      Map<Map<String, String>, List<Sample>> byLabels = new LinkedHashMap<>();
      Map<Map<String, String>, Sample> before = new LinkedHashMap<>();
      for (Sample s : world.store().samples(metric, lookback, to)) {
        if (!matches(s.labels(), labels) || !world.canRead(p, metric, s.labels())) {
          continue;
        }
        if (s.at().isBefore(from)) {
          before.merge(s.labels(), s, (a, b) -> b.at().isAfter(a.at()) ? b : a);
        } else {
          byLabels.computeIfAbsent(s.labels(), k -> new ArrayList<>()).add(s);
        }
      }
      before.forEach((l, s) -> byLabels.computeIfAbsent(l, k -> new ArrayList<>()).add(new Sample(from, s.metric(), s.labels(), s.value())));
      byLabels.forEach((l, samples) -> {
        samples.sort(Comparator.comparing(Sample::at));
        int step = Math.max(1, samples.size() / MAX_POINTS);
        List<Long> at = new ArrayList<>();
        List<Double> value = new ArrayList<>();
        for (int i = 0; i < samples.size(); i += step) {
          at.add(samples.get(i).at().getEpochSecond());
          value.add(samples.get(i).value());
        }
        out.add(new Views.Series(metric, new java.util.TreeMap<>(l), at, value));
      });
    }
    if ("csv".equals(ctx.queryParam("format"))) {
      StringBuilder b = new StringBuilder("metric,labels,time,value\n");
      for (Views.Series s : out) {
        String labelText = csv(s.labels().toString());
        for (int i = 0; i < s.at().size(); i++) {
          b.append(csv(s.metric())).append(',').append(labelText).append(',')
              .append(Instant.ofEpochSecond(s.at().get(i))).append(',').append(s.value().get(i)).append('\n');
        }
      }
      ctx.header("Content-Disposition", "attachment; filename=\"csv2-series.csv\"");
      ctx.contentType("text/csv; charset=utf-8").result(b.toString());
      return;
    }
    Http.json(ctx, out);
  }

  /**
   * Whether a series' labels pass the query's label filters: each {@code key=value} names a label
   * exactly, a bare {@code value} matches any label with that value.
   */
  static boolean matches(Map<String, String> labels, List<String> filters) {
    for (String f : filters) {
      int eq = f.indexOf('=');
      boolean ok = eq < 0 ? labels.containsValue(f) : f.substring(eq + 1).equals(labels.get(f.substring(0, eq)));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A CSV field: quoted, and never starting a formula in a spreadsheet. */
  static String csv(String v) {
    String t = v;
    if (!t.isEmpty() && "=+-@".indexOf(t.charAt(0)) >= 0) {
      t = "'" + t;
    }
    return "\"" + t.replace("\"", "\"\"") + "\"";
  }

  private static Instant instant(Context ctx, String name, Instant otherwise) {
    String v = param(ctx, name);
    if (v == null) {
      return otherwise;
    }
    try {
      if (v.chars().allMatch(Character::isDigit) && v.length() <= 12) {
        return Instant.ofEpochSecond(Long.parseLong(v));
      }
      return Instant.parse(v);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw ApiException.badRequest(name + ": an ISO-8601 instant or epoch seconds");
    }
  }

  static String resource(String name) {
    try (InputStream in = Api.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  record Settings(@Nullable String defaultGroup, @Nullable Integer refreshSeconds) {}

  record PasswordChange(String current, String next) {
    PasswordChange {
      if (current == null || next == null) {
        throw new IllegalArgumentException("current and next are required");
      }
      Passwords.check(next);
    }
  }

  record NewToken(@Nullable String label, @Nullable Integer days) {
    NewToken {
      if (label != null && label.length() > 128) {
        throw new IllegalArgumentException("label: at most 128 characters");
      }
      if (days != null && (days < 1 || days > 3650)) {
        throw new IllegalArgumentException("days: 1-3650");
      }
    }
  }

  record NewUser(String name, @Nullable String password, boolean admin, @Nullable List<String> groups) {
    NewUser {
      if (name == null) {
        throw new IllegalArgumentException("name is required");
      }
      if (password != null) {
        Passwords.check(password);
      }
    }
  }

  record UserChange(boolean admin, @Nullable List<String> groups, @Nullable String password) {
    UserChange {
      if (password != null) {
        Passwords.check(password);
      }
    }
  }
}

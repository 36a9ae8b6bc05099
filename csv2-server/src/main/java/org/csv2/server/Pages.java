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
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.csv2.model.GroupName;
import org.csv2.model.User;
import org.csv2.model.Vm;
import org.jspecify.annotations.Nullable;

/**
 * The server-rendered pages. Pebble escapes every value for HTML; pages read without JavaScript
 * (the plots need it), and every script and style comes from the jar.
 */
final class Pages {
  static final String UPLOT = "/webjars/uplot/" + uplotVersion() + "/dist/";

  private static final PebbleEngine PEBBLE;

  static {
    ClasspathLoader loader = new ClasspathLoader(Pages.class.getClassLoader());
    loader.setPrefix("org/csv2/server/templates");
    loader.setSuffix(".peb");
    PEBBLE =
        new PebbleEngine.Builder()
            .loader(loader)
            .autoEscaping(true)
            .strictVariables(false)
            .extension(
                new io.pebbletemplates.pebble.extension.AbstractExtension() {
                  @Override
                  public Map<String, io.pebbletemplates.pebble.extension.Filter> getFilters() {
                    return Map.of("when", new When());
                  }
                })
            .build();
  }

  private Pages() {}

  static void install(Javalin app, Auth auth, World world, Set<GroupName> publicGroups) {
    app.get("/", ctx -> ctx.redirect("/status"));
    app.get(
        "/login",
        ctx -> {
          Map<String, Object> m = new HashMap<>();
          m.put("csrf", auth.preCsrf(ctx));
          m.put("next", safeNext(ctx.queryParam("next")));
          render(ctx, "login", Principal.ANONYMOUS, m);
        });
    app.post(
        "/login",
        ctx -> {
          auth.checkPreCsrf(ctx);
          String name = Optional.ofNullable(ctx.formParam("name")).orElse("");
          String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
          Optional<User> user = auth.signIn(ctx.ip(), name, password);
          if (user.isEmpty()) {
            Map<String, Object> m = new HashMap<>();
            m.put("csrf", auth.preCsrf(ctx));
            m.put("next", safeNext(ctx.formParam("next")));
            m.put("error", "The name or the password is wrong.");
            m.put("name", name.length() > 64 ? name.substring(0, 64) : name);
            ctx.status(401);
            render(ctx, "login", Principal.ANONYMOUS, m);
            return;
          }
          Principal current = Http.principal(ctx, auth);
          auth.endSession(ctx, current.session());
          auth.startSession(ctx, user.get());
          ctx.redirect(safeNext(ctx.formParam("next")), io.javalin.http.HttpStatus.SEE_OTHER);
        });
    app.post(
        "/logout",
        ctx -> {
          auth.endSession(ctx, Http.principal(ctx, auth).session());
          ctx.redirect("/login", io.javalin.http.HttpStatus.SEE_OTHER);
        });
    app.get(
        "/status",
        ctx -> {
          Principal p = signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          Map<String, Object> m = new HashMap<>();
          m.put("status", world.status(p));
          m.put("refresh", p.require().refreshSeconds());
          render(ctx, "status", p, m);
        });
    app.get(
        "/plot",
        ctx -> {
          Principal p = signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          List<String> metrics = ctx.queryParams("metric");
          List<String> labels = ctx.queryParams("label");
          Map<String, Object> m = new HashMap<>();
          List<String> shown = metrics.size() > 10 ? metrics.subList(0, 10) : metrics;
          List<String> filters = labels.size() > 10 ? labels.subList(0, 10) : labels;
          m.put("metrics", shown);
          m.put("title", plotTitle(shown));
          m.put("label", String.join(" · ", filters.stream().map(Http::bounded).toList()));
          m.put("uplot", UPLOT);
          m.put("now", world.clock().instant().getEpochSecond());
          StringBuilder q = new StringBuilder();
          for (String metric : shown) {
            q.append(q.length() == 0 ? "" : "&").append("metric=").append(java.net.URLEncoder.encode(metric, java.nio.charset.StandardCharsets.UTF_8));
          }
          for (String label : filters) {
            q.append("&label=").append(java.net.URLEncoder.encode(label, java.nio.charset.StandardCharsets.UTF_8));
          }
          m.put("query", q.toString());
          render(ctx, "plot", p, m);
        });
    app.get(
        "/vms",
        ctx -> {
          Principal p = signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          List<Vm> vms = new ArrayList<>(world.vms(p, Api.filter(ctx)));
          String sort = Optional.ofNullable(ctx.queryParam("sort")).orElse("id");
          Comparator<Vm> order =
              switch (sort) {
                case "state" -> Comparator.comparing((Vm v) -> v.state().name());
                case "cloud" -> Comparator.comparing((Vm v) -> v.cloud().value());
                case "age" -> Comparator.comparing(Vm::createdAt);
                case "group" -> Comparator.comparing((Vm v) -> v.group().value());
                default -> Comparator.comparing((Vm v) -> v.id().value());
              };
          vms.sort(order);
          int total = vms.size();
          // one page of the list at a time, as GET /api/v1/vms (its default limit)
          int from = 0;
          try {
            from = Math.max(0, Integer.parseInt(Optional.ofNullable(ctx.queryParam("from")).orElse("0")));
          } catch (NumberFormatException e) {
            // the first page
          }
          from = total == 0 ? 0 : Math.min(from, (total - 1) / Api.DEFAULT_LIMIT * Api.DEFAULT_LIMIT);
          List<Views.VmView> shown = vms.stream().skip(from).limit(Api.DEFAULT_LIMIT).map(Views.VmView::of).toList();
          Map<String, Object> m = new HashMap<>();
          m.put("vms", shown);
          m.put("total", total);
          m.put("from", from);
          m.put("previous", from > 0 ? Math.max(0, from - Api.DEFAULT_LIMIT) : -1);
          m.put("next", from + Api.DEFAULT_LIMIT < total ? from + Api.DEFAULT_LIMIT : -1);
          m.put("groups", world.visibleGroups(p).stream().map(GroupName::value).toList());
          m.put("group", Optional.ofNullable(ctx.queryParam("group")).orElse(""));
          m.put("cloud", Optional.ofNullable(ctx.queryParam("cloud")).orElse(""));
          m.put("state", Optional.ofNullable(ctx.queryParam("state")).orElse(""));
          m.put("sort", sort);
          m.put("states", java.util.Arrays.stream(org.csv2.model.VmState.values()).map(Enum::name).toList());
          m.put("now", world.clock().instant());
          render(ctx, "vms", p, m);
        });
    app.get(
        "/settings",
        ctx -> {
          Principal p = signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          settingsPage(ctx, p, world, null, null, null);
        });
    app.post(
        "/settings",
        ctx -> {
          Principal p = signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          User me = p.require();
          String refresh = Optional.ofNullable(ctx.formParam("refreshSeconds")).orElse("");
          try {
            int seconds;
            try {
              seconds = Integer.parseInt(refresh.trim());
            } catch (NumberFormatException e) {
              throw ApiException.badRequest("refreshSeconds: a whole number of seconds, 0 for never");
            }
            world.store().saveUser(Api.applySettings(me, new Api.Settings(ctx.formParam("defaultGroup"), seconds)), me.version());
            ctx.redirect("/settings?saved=1", io.javalin.http.HttpStatus.SEE_OTHER);
          } catch (ApiException e) {
            ctx.status(400);
            settingsPage(ctx, p, world, e.getMessage(), null, null);
          }
        });
    app.post(
        "/settings/tokens",
        ctx -> {
          Principal p = signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          User me = p.require();
          Tokens.Issued issued;
          try {
            issued = Api.issueToken(auth, world, me, Optional.ofNullable(ctx.formParam("label")).orElse(""), null);
          } catch (ApiException e) {
            ctx.status(e.status());
            settingsPage(ctx, p, world, e.getMessage(), null, null);
            return;
          }
          settingsPage(ctx, p, world, null, issued.token(), null);
        });
    app.post(
        "/settings/tokens/{id}/delete",
        ctx -> {
          Principal p = signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          String id = ctx.pathParam("id");
          world.store().token(id.length() > 32 ? "" : id).filter(t -> t.user().equals(p.name())).ifPresent(t -> world.store().deleteToken(t.id()));
          ctx.redirect("/settings", io.javalin.http.HttpStatus.SEE_OTHER);
        });
    app.get(
        "/users",
        ctx -> {
          Principal p = signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          p.requireAdmin();
          usersPage(ctx, p, world, null);
        });
    app.post(
        "/users",
        ctx -> {
          Principal p = signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          p.requireAdmin();
          try {
            String name = Optional.ofNullable(ctx.formParam("name")).orElse("");
            String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
            Api.createUser(auth, world, new Api.NewUser(name, password, ctx.formParam("admin") != null, split(ctx.formParam("groups"))));
            ctx.redirect("/users", io.javalin.http.HttpStatus.SEE_OTHER);
          } catch (ApiException e) {
            ctx.status(e.status());
            usersPage(ctx, p, world, e.getMessage());
          } catch (IllegalArgumentException e) {
            ctx.status(400);
            usersPage(ctx, p, world, Http.bounded2k(e.getMessage()));
          }
        });
    app.post(
        "/users/{name}/delete",
        ctx -> {
          Principal p = signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          User admin = p.requireAdmin();
          String name = ctx.pathParam("name");
          Optional<User> u = User.validName(name) ? world.store().user(name) : Optional.empty();
          if (u.isPresent() && !name.equals(admin.name())) {
            Api.deleteUser(auth, world, admin, u.get());
          }
          ctx.redirect("/users", io.javalin.http.HttpStatus.SEE_OTHER);
        });
    app.get(
        "/public",
        ctx -> {
          Principal anyone = new Principal(new User("public", "", false, publicGroups, null, 0, 0), null);
          Map<String, Object> m = new HashMap<>();
          m.put("status", world.status(anyone));
          render(ctx, "public", Principal.ANONYMOUS, m);
        });
  }

  /**
   * A plot's heading as a person reads it: "jobs: idle, running" for status.jobs.idle and
   * status.jobs.running (the status. prefix dropped, a shared first word said once).
   */
  static String plotTitle(List<String> metrics) {
    List<String> names = metrics.stream().map(x -> x.startsWith("status.") ? x.substring("status.".length()) : x).toList();
    if (names.isEmpty()) {
      return "";
    }
    int dot = names.get(0).indexOf('.');
    String head = dot > 0 ? names.get(0).substring(0, dot + 1) : null;
    if (head != null && names.size() > 1 && names.stream().allMatch(x -> x.startsWith(head) && x.length() > head.length())) {
      return head.substring(0, head.length() - 1) + ": " + String.join(", ", names.stream().map(x -> x.substring(head.length())).toList());
    }
    return String.join(", ", names);
  }

  private static void settingsPage(Context ctx, Principal p, World world, @Nullable String error, @Nullable String newToken, @Nullable String unused) {
    User me = p.require();
    Map<String, Object> m = new HashMap<>();
    m.put("me", Views.UserView.of(me));
    m.put("tokens", world.store().tokens(me.name()).stream().map(Views.TokenView::of).toList());
    m.put("groups", world.visibleGroups(p).stream().map(GroupName::value).toList());
    m.put("error", error);
    m.put("newToken", newToken);
    m.put("saved", ctx.queryParam("saved") != null);
    render(ctx, "settings", p, m);
  }

  private static void usersPage(Context ctx, Principal p, World world, @Nullable String error) {
    Map<String, Object> m = new HashMap<>();
    m.put("users", world.store().users().stream().map(Views.UserView::of).toList());
    m.put("error", error);
    render(ctx, "users", p, m);
  }

  static List<String> split(@Nullable String text) {
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    for (String s : text.split("[,\\s]+")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /** The signed-in principal, or null after redirecting the browser to the sign-in page. */
  static @Nullable Principal signedIn(Context ctx, Auth auth) {
    Principal p = Http.principal(ctx, auth);
    if (p.anonymous()) {
      String next = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
      ctx.redirect("/login?next=" + java.net.URLEncoder.encode(safeNext(next), java.nio.charset.StandardCharsets.UTF_8));
      return null;
    }
    return p;
  }

  /** Where to go after signing in: a path of this server only (no open redirect). */
  static String safeNext(@Nullable String next) {
    if (next == null || next.length() > 500 || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
        || next.chars().anyMatch(c -> c < 0x20)) {
      return "/status";
    }
    return next;
  }

  static void render(Context ctx, String template, Principal p, Map<String, Object> model) {
    Map<String, Object> m = new HashMap<>(model);
    m.put("user", p.user() == null ? null : Views.UserView.of(p.user()));
    m.put("csrf", p.session() == null ? model.get("csrf") : p.session().csrf());
    m.put("page", template);
    ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-store").result(evaluate(template, m));
  }

  static void error(Context ctx, int status, String title, @Nullable String detail) {
    Map<String, Object> m = new HashMap<>();
    m.put("status", status);
    m.put("title", title);
    m.put("detail", detail);
    m.put("page", "error");
    ctx.contentType("text/html; charset=utf-8").result(evaluate("error", m));
  }

  static String evaluate(String template, Map<String, Object> model) {
    try {
      PebbleTemplate t = PEBBLE.getTemplate(template);
      StringWriter w = new StringWriter();
      t.evaluate(w, model);
      return w.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code {{ instant | when }}}: an instant to the second, in UTC, as people read it. */
  static final class When implements io.pebbletemplates.pebble.extension.Filter {
    private static final java.time.format.DateTimeFormatter FORMAT =
        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

    @Override
    public List<String> getArgumentNames() {
      return List.of();
    }

    @Override
    public Object apply(
        Object input,
        Map<String, Object> args,
        PebbleTemplate self,
        io.pebbletemplates.pebble.template.EvaluationContext context,
        int lineNumber) {
      return input instanceof Instant i ? FORMAT.format(i) : input;
    }
  }

  static String ago(Instant now, Instant then) {
    Duration d = Duration.between(then, now);
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + " s";
    }
    if (s < 7200) {
      return s / 60 + " min";
    }
    return s / 3600 + " h";
  }

  /** The version of the uPlot webjar on the class path (its path names it). */
  private static String uplotVersion() {
    try (java.io.InputStream in =
        Pages.class.getClassLoader().getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the uPlot webjar is missing from the class path");
      }
      java.util.Properties props = new java.util.Properties();
      props.load(in);
      return props.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

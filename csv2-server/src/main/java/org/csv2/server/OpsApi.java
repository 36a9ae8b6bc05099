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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.AuditEntry;
import org.csv2.api.ops.CloudSpec;
import org.csv2.api.ops.ConfigChange;
import org.csv2.api.ops.Controls;
import org.csv2.api.ops.GroupDefaults;
import org.csv2.api.ops.Intent;
import org.csv2.api.ops.JobFilter;
import org.csv2.api.ops.Operations;
import org.csv2.api.ops.Versioned;
import org.csv2.model.Alias;
import org.csv2.model.AliasName;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.JobState;
import org.csv2.model.User;
import org.csv2.model.UserDataDocument;

/**
 * The {@link Operations} verbs under {@code /api/v1}: act on VMs (stored intents), configure clouds,
 * allocations, groups, defaults, user data and aliases (versioned, with If-Match), read jobs, group
 * status, intents and the audit log. The server decides who may: Operations itself trusts its
 * caller, so every route checks the group (members) or the admin role first.
 */
final class OpsApi {
  private static final String BASE = Api.BASE;
  static final int MAX_LIMIT = 5_000;

  private OpsApi() {}

  static Actor actor(User u) {
    return World.actor(u);
  }

  static void install(Javalin app, Auth auth, World world) {
    Operations ops = world.operations();

    // ------------------------------------------------------------------ act on VMs
    app.post(BASE + "/vms/{id}/retire", ctx -> intent(ctx, world.act(Http.principal(ctx, auth), Api.vmId(ctx.pathParam("id")), World.VmAction.RETIRE)));
    app.post(
        BASE + "/vms/{id}/kill",
        ctx -> {
          Principal p = Http.principal(ctx, auth);
          p.require();
          boolean force = optionalBody(ctx, Force.class, new Force(false)).force();
          intent(ctx, world.act(p, Api.vmId(ctx.pathParam("id")), force ? World.VmAction.FORCE_KILL : World.VmAction.KILL));
        });
    app.post(
        BASE + "/vms/{id}/manual",
        ctx -> {
          Principal p = Http.principal(ctx, auth);
          p.require();
          boolean on = Http.body(ctx, Manual.class).on();
          intent(ctx, world.act(p, Api.vmId(ctx.pathParam("id")), on ? World.VmAction.MANUAL_ON : World.VmAction.MANUAL_OFF));
        });
    app.post(BASE + "/vms/{id}/sysctl", ctx -> intent(ctx, world.act(Http.principal(ctx, auth), Api.vmId(ctx.pathParam("id")), World.VmAction.SYSCTL)));
    app.post(
        BASE + "/groups/{group}/clouds/{cloud}/retain",
        ctx -> {
          GroupName g = group(ctx);
          User u = member(ctx, auth, g);
          intent(ctx, ops.retain(actor(u), g, cloud(ctx), Http.body(ctx, Retain.class).count()));
        });
    app.get(
        BASE + "/intents",
        ctx -> {
          Principal p = Http.principal(ctx, auth);
          User u = p.require();
          int limit = limit(ctx, 200);
          String g = Api.param(ctx, "group");
          List<Intent> out = new ArrayList<>();
          if (g != null) {
            GroupName group = groupName(g);
            p.requireGroup(group);
            out.addAll(ops.intents(actor(u), group, limit));
          } else if (u.admin()) {
            out.addAll(ops.intents(actor(u), null, limit));
          } else {
            for (GroupName group : world.visibleGroups(p)) {
              out.addAll(ops.intents(actor(u), group, limit));
            }
          }
          Http.json(ctx, out);
        });

    // ------------------------------------------------------------------ clouds
    app.get(BASE + "/clouds", ctx -> Http.json(ctx, world.clouds(Http.principal(ctx, auth))));
    app.post(BASE + "/clouds", ctx -> change(ctx, ops.addCloud(actor(admin(ctx, auth)), Http.body(ctx, CloudSpec.class), Api.ifMatch(ctx))));
    app.put(
        BASE + "/clouds/{cloud}",
        ctx -> {
          User u = admin(ctx, auth);
          CloudSpec spec = Http.body(ctx, CloudSpec.class);
          if (!spec.name().equals(cloud(ctx))) {
            throw ApiException.badRequest("name: must be the cloud of the path");
          }
          change(ctx, ops.updateCloud(actor(u), spec, Api.ifMatch(ctx)));
        });
    app.delete(
        BASE + "/clouds/{cloud}",
        ctx -> change(ctx, ops.deleteCloud(actor(admin(ctx, auth)), cloud(ctx), flag(ctx, "retireVms"), Api.ifMatch(ctx))));
    app.post(BASE + "/clouds/{cloud}/enable", ctx -> change(ctx, ops.enableCloud(actor(admin(ctx, auth)), cloud(ctx), Api.ifMatch(ctx))));
    app.post(BASE + "/clouds/{cloud}/pause", ctx -> change(ctx, ops.pauseCloud(actor(admin(ctx, auth)), cloud(ctx), Api.ifMatch(ctx))));
    app.post(BASE + "/clouds/{cloud}/disable", ctx -> change(ctx, ops.disableCloud(actor(admin(ctx, auth)), cloud(ctx), Api.ifMatch(ctx))));

    // ------------------------------------------------------------------ allocations (group x cloud)
    app.get(
        BASE + "/allocations",
        ctx -> {
          Principal p = Http.principal(ctx, auth);
          Versioned<List<Allocation>> v = ops.allocations(actor(p.require()));
          versioned(ctx, v.value().stream().filter(a -> p.canSee(a.group())).toList(), v.version());
        });
    app.put(
        BASE + "/groups/{group}/clouds/{cloud}",
        ctx -> {
          GroupName g = group(ctx);
          User u = member(ctx, auth, g);
          Allocation a = Http.body(ctx, Allocation.class);
          if (!a.group().equals(g) || !a.cloud().equals(cloud(ctx))) {
            throw ApiException.badRequest("group and cloud: must be those of the path");
          }
          change(ctx, ops.putAllocation(actor(u), a, Api.ifMatch(ctx)));
        });
    app.delete(
        BASE + "/groups/{group}/clouds/{cloud}",
        ctx -> {
          GroupName g = group(ctx);
          User u = member(ctx, auth, g);
          change(ctx, ops.deleteAllocation(actor(u), g, cloud(ctx), flag(ctx, "retireVms"), Api.ifMatch(ctx)));
        });
    app.put(
        BASE + "/groups/{group}/clouds/{cloud}/controls",
        ctx -> {
          GroupName g = group(ctx);
          User u = member(ctx, auth, g);
          change(ctx, ops.setControls(actor(u), g, cloud(ctx), Http.body(ctx, Controls.class), Api.ifMatch(ctx)));
        });
    app.put(
        BASE + "/groups/{group}/clouds/{cloud}/excluded-flavors",
        ctx -> {
          GroupName g = group(ctx);
          User u = member(ctx, auth, g);
          Flavors f = Http.body(ctx, Flavors.class);
          change(ctx, ops.excludeFlavors(actor(u), g, cloud(ctx), f.flavors(), Api.ifMatch(ctx)));
        });

    // ------------------------------------------------------------------ groups, defaults, user data
    app.get(
        BASE + "/groups",
        ctx -> {
          Principal p = Http.principal(ctx, auth);
          Versioned<List<Group>> v = ops.groups(actor(p.require()));
          versioned(ctx, v.value().stream().filter(g -> p.canSee(g.name())).toList(), v.version());
        });
    app.post(BASE + "/groups", ctx -> change(ctx, ops.addGroup(actor(admin(ctx, auth)), Http.body(ctx, Group.class), Api.ifMatch(ctx))));
    app.put(
        BASE + "/groups/{group}",
        ctx -> {
          GroupName g = group(ctx);
          User u = member(ctx, auth, g);
          Group body = Http.body(ctx, Group.class);
          if (!body.name().equals(g)) {
            throw ApiException.badRequest("name: must be the group of the path");
          }
          change(ctx, ops.updateGroup(actor(u), body, Api.ifMatch(ctx)));
        });
    app.delete(
        BASE + "/groups/{group}",
        ctx -> change(ctx, ops.deleteGroup(actor(admin(ctx, auth)), group(ctx), flag(ctx, "retireVms"), Api.ifMatch(ctx))));
    app.get(
        BASE + "/groups/{group}/defaults",
        ctx -> {
          GroupName g = group(ctx);
          Versioned<GroupDefaults> v = ops.defaults(actor(member(ctx, auth, g)), g);
          versioned(ctx, v.value(), v.version());
        });
    app.put(
        BASE + "/groups/{group}/defaults",
        ctx -> {
          GroupName g = group(ctx);
          User u = member(ctx, auth, g);
          change(ctx, ops.setDefaults(actor(u), g, Http.body(ctx, GroupDefaults.class), Api.ifMatch(ctx)));
        });
    app.get(
        BASE + "/groups/{group}/user-data",
        ctx -> {
          GroupName g = group(ctx);
          Versioned<List<UserDataDocument>> v = ops.userData(actor(member(ctx, auth, g)), g);
          versioned(ctx, v.value(), v.version());
        });
    app.put(
        BASE + "/groups/{group}/user-data/{name}",
        ctx -> {
          GroupName g = group(ctx);
          User u = member(ctx, auth, g);
          UserDataDocument d = Http.body(ctx, UserDataDocument.class);
          if (!d.name().equals(ctx.pathParam("name"))) {
            throw ApiException.badRequest("name: must be the document of the path");
          }
          change(ctx, ops.putUserData(actor(u), g, d, Api.ifMatch(ctx)));
        });
    app.delete(
        BASE + "/groups/{group}/user-data/{name}",
        ctx -> {
          GroupName g = group(ctx);
          User u = member(ctx, auth, g);
          change(ctx, ops.deleteUserData(actor(u), g, bounded(ctx.pathParam("name")), Api.ifMatch(ctx)));
        });
    app.get(
        BASE + "/groups/{group}/status",
        ctx -> {
          GroupName g = group(ctx);
          Http.json(ctx, ops.status(actor(member(ctx, auth, g)), g));
        });

    // ------------------------------------------------------------------ aliases
    app.get(
        BASE + "/aliases",
        ctx -> {
          Principal p = Http.principal(ctx, auth);
          Versioned<List<Alias>> v = ops.aliases(actor(p.require()));
          versioned(ctx, v.value().stream().filter(a -> p.canSee(a.group())).toList(), v.version());
        });
    app.put(
        BASE + "/groups/{group}/aliases/{alias}",
        ctx -> {
          GroupName g = group(ctx);
          User u = member(ctx, auth, g);
          AliasName name;
          try {
            name = AliasName.of(ctx.pathParam("alias"));
          } catch (IllegalArgumentException e) {
            throw ApiException.notFound("alias");
          }
          Clouds c = Http.body(ctx, Clouds.class);
          change(ctx, ops.putAlias(actor(u), new Alias(g, name, c.clouds()), Api.ifMatch(ctx)));
        });
    app.delete(
        BASE + "/groups/{group}/aliases/{alias}",
        ctx -> {
          GroupName g = group(ctx);
          User u = member(ctx, auth, g);
          AliasName name;
          try {
            name = AliasName.of(ctx.pathParam("alias"));
          } catch (IllegalArgumentException e) {
            throw ApiException.notFound("alias");
          }
          change(ctx, ops.deleteAlias(actor(u), g, name, Api.ifMatch(ctx)));
        });

    // ------------------------------------------------------------------ configuration, jobs, audit
    app.get(
        BASE + "/configuration",
        ctx -> {
          Versioned<String> v = ops.configuration(actor(admin(ctx, auth)));
          ctx.header("ETag", Api.etag(v.version())).contentType("application/yaml").result(v.value());
        });
    app.put(
        BASE + "/configuration",
        ctx -> {
          User u = admin(ctx, auth);
          change(ctx, ops.replaceConfiguration(actor(u), ctx.body(), Api.ifMatch(ctx)));
        });
    app.get(
        BASE + "/jobs",
        ctx -> {
          Principal p = Http.principal(ctx, auth);
          User u = p.require();
          String g = Api.param(ctx, "group");
          String a = Api.param(ctx, "alias");
          String s = Api.param(ctx, "state");
          GroupName group = g == null ? null : groupName(g);
          if (group != null) {
            p.requireGroup(group);
          }
          JobState state = null;
          if (s != null) {
            try {
              state = JobState.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
              throw ApiException.badRequest("state: one of " + java.util.Arrays.toString(JobState.values()));
            }
          }
          AliasName alias;
          try {
            alias = a == null ? null : AliasName.of(a);
          } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("alias: not a valid alias name");
          }
          JobFilter filter = new JobFilter(group, alias, state);
          Http.json(ctx, ops.jobs(actor(u), filter, limit(ctx, 500)).stream().filter(j -> p.canSee(j.group())).toList());
        });
    app.get(
        BASE + "/audit",
        ctx -> {
          User u = admin(ctx, auth);
          String since = Api.param(ctx, "since");
          Instant from;
          try {
            from = since == null ? world.clock().instant().minus(Duration.ofDays(7)) : Instant.parse(since);
          } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest("since: an ISO-8601 instant");
          }
          List<AuditEntry> out = ops.audit(actor(u), from, limit(ctx, 500));
          Http.json(ctx, out);
        });
  }

  private static User admin(Context ctx, Auth auth) {
    return Http.principal(ctx, auth).requireAdmin();
  }

  private static User member(Context ctx, Auth auth, GroupName g) {
    return Http.principal(ctx, auth).requireGroup(g);
  }

  static GroupName group(Context ctx) {
    return groupName(ctx.pathParam("group"));
  }

  static GroupName groupName(String raw) {
    try {
      return GroupName.of(raw);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("group");
    }
  }

  static CloudName cloud(Context ctx) {
    try {
      return CloudName.of(ctx.pathParam("cloud"));
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("cloud");
    }
  }

  private static String bounded(String s) {
    if (s.length() > 255) {
      throw ApiException.notFound("document");
    }
    return s;
  }

  static boolean flag(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return "true".equals(v) || "1".equals(v) || "yes".equals(v);
  }

  static int limit(Context ctx, int otherwise) {
    String v = Api.param(ctx, "limit");
    if (v == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 1 || n > MAX_LIMIT) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("limit: 1-" + MAX_LIMIT);
    }
  }

  private static <T> T optionalBody(Context ctx, Class<T> type, T otherwise) {
    return ctx.body().isBlank() ? otherwise : Http.body(ctx, type);
  }

  private static void intent(Context ctx, Intent intent) {
    ctx.status(202);
    Http.json(ctx, intent);
  }

  private static void change(Context ctx, ConfigChange change) {
    ctx.header("ETag", Api.etag(change.version()));
    Http.json(ctx, change);
  }

  private static void versioned(Context ctx, Object value, long version) {
    ctx.header("ETag", Api.etag(version));
    Http.json(ctx, value);
  }

  record Force(boolean force) {}

  record Manual(Boolean on) {
    Manual {
      if (on == null) {
        throw new IllegalArgumentException("on: true or false is required");
      }
    }
  }

  record Retain(Integer count) {
    Retain {
      if (count == null || count < 0 || count > 10_000) {
        throw new IllegalArgumentException("count: 0-10000 is required");
      }
    }
  }

  record Flavors(Set<FlavorName> flavors) {
    Flavors {
      flavors = flavors == null ? Set.of() : new HashSet<>(flavors);
      if (flavors.size() > 500) {
        throw new IllegalArgumentException("flavors: at most 500");
      }
    }
  }

  record Clouds(Set<CloudName> clouds) {
    Clouds {
      if (clouds == null || clouds.isEmpty() || clouds.size() > 500) {
        throw new IllegalArgumentException("clouds: 1-500 cloud names");
      }
    }
  }
}

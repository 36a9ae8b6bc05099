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
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.csv2.api.Csv2Exception;
import org.csv2.api.StateStoreException;
import org.csv2.api.ops.AuditEntry;
import org.csv2.api.ops.CloudView;
import org.csv2.api.ops.Controls;
import org.csv2.api.ops.Operations;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.User;
import org.csv2.model.Vm;
import org.jspecify.annotations.Nullable;

/** The pages that act through {@link Operations}: VM bulk actions, clouds and their controls, the audit log. */
final class OpsPages {
  private static final int MAX_BULK = 500;

  private OpsPages() {}

  static void install(Javalin app, Auth auth, World world) {
    Operations ops = world.operations();
    app.post(
        "/vms/action",
        ctx -> {
          Principal p = Pages.signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          List<String> ids = ctx.formParams("vm");
          String action = Optional.ofNullable(ctx.formParam("action")).orElse("");
          Map<String, Object> m = new HashMap<>();
          List<String[]> results = new ArrayList<>();
          if (ids.isEmpty() || ids.size() > MAX_BULK) {
            m.put("error", "Select 1 to " + MAX_BULK + " VMs.");
          } else if (!"yes".equals(ctx.formParam("confirm"))) {
            m.put("error", "Tick 'I confirm' to apply the action.");
          } else if (!Set.of("retire", "kill", "manual-on", "manual-off").contains(action)) {
            m.put("error", "Choose an action.");
          } else {
            World.VmAction what =
                switch (action) {
                  case "retire" -> World.VmAction.RETIRE;
                  case "kill" -> World.VmAction.KILL;
                  case "manual-on" -> World.VmAction.MANUAL_ON;
                  default -> World.VmAction.MANUAL_OFF;
                };
            for (String raw : ids) {
              String shown = Http.bounded(raw);
              try {
                var intent = world.act(p, Api.vmId(raw), what);
                results.add(new String[] {intent.vm() == null ? shown : intent.vm().value(), intent.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " requested (intent " + intent.id() + ")"});
              } catch (ApiException e) {
                results.add(new String[] {shown, "not found"});
              } catch (Csv2Exception e) {
                results.add(new String[] {shown, Http.bounded2k(e.getMessage())});
              }
            }
          }
          if (m.containsKey("error")) {
            ctx.status(400);
          }
          m.put("results", results);
          Pages.render(ctx, "vm-action", p, m);
        });
    app.get(
        "/clouds",
        ctx -> {
          Principal p = Pages.signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          cloudsPage(ctx, p, world, Map.of(), null);
        });
    app.post(
        "/clouds/{group}/{cloud}/controls",
        ctx -> {
          Principal p = Pages.signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          GroupName g = OpsApi.group(ctx);
          User u = p.requireGroup(g);
          CloudName c = OpsApi.cloud(ctx);
          String key = g + "/" + c;
          Map<String, String> errors = new LinkedHashMap<>();
          Integer cores = integer(ctx.formParam("coresCtl"), "coresCtl", key, errors);
          Integer softmax = integer(ctx.formParam("coresSoftmax"), "coresSoftmax", key, errors);
          Integer ram = integer(ctx.formParam("ramCtlMiB"), "ramCtlMiB", key, errors);
          Set<FlavorName> excluded = new TreeSet<>();
          for (String f : Pages.split(ctx.formParam("excluded"))) {
            try {
              excluded.add(FlavorName.of(f));
            } catch (IllegalArgumentException e) {
              errors.put(key + "/excluded", "'" + Http.bounded(f) + "' is not a flavor name");
            }
          }
          long version = version(ctx.formParam("version"));
          if (errors.isEmpty()) {
            try {
              var change = ops.setControls(OpsApi.actor(u), g, c, new Controls(cores, softmax, ram == null ? null : ram.longValue()), version);
              ops.excludeFlavors(OpsApi.actor(u), g, c, excluded, change.version());
              ctx.redirect("/clouds?saved=" + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
              return;
            } catch (StateStoreException e) {
              errors.put(key + "/form", "Somebody changed the configuration since you read it: the page now shows theirs; apply your change again.");
            } catch (Csv2Exception e) {
              errors.put(key + "/form", Http.bounded2k(e.getMessage()));
            }
          }
          ctx.status(400);
          cloudsPage(ctx, p, world, errors, ctx.formParamMap());
        });
    app.post(
        "/clouds/{cloud}/{verb}",
        ctx -> {
          Principal p = Pages.signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          User u = p.requireAdmin();
          CloudName c = OpsApi.cloud(ctx);
          long version = version(ctx.formParam("version"));
          try {
            switch (ctx.pathParam("verb")) {
              case "enable" -> ops.enableCloud(OpsApi.actor(u), c, version);
              case "pause" -> ops.pauseCloud(OpsApi.actor(u), c, version);
              case "disable" -> ops.disableCloud(OpsApi.actor(u), c, version);
              default -> throw ApiException.notFound("action");
            }
            ctx.redirect("/clouds", HttpStatus.SEE_OTHER);
          } catch (StateStoreException e) {
            ctx.status(409);
            cloudsPage(ctx, p, world, Map.of(c + "/state", "Somebody changed the configuration since you read it; try again."), null);
          }
        });
    app.get(
        "/config",
        ctx -> {
          Principal p = Pages.signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          p.requireAdmin();
          configPage(ctx, p, world, null, null, List.of(), null);
        });
    app.post(
        "/config",
        ctx -> {
          Principal p = Pages.signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          User u = p.requireAdmin();
          String text = Optional.ofNullable(ctx.formParam("document")).orElse("");
          long version = version(ctx.formParam("version"));
          if (version == Operations.ANY_VERSION) {
            throw ApiException.badRequest("version: the version of the configuration read is required");
          }
          try {
            var change = ops.replaceConfiguration(OpsApi.actor(u), text, version);
            ctx.redirect("/config?saved=" + change.version(), HttpStatus.SEE_OTHER);
          } catch (StateStoreException e) {
            if (e.reason() != StateStoreException.Reason.CONFLICT) {
              throw e;
            }
            ctx.status(409);
            configPage(ctx, p, world, text, version,
                List.of("Somebody saved the configuration since you read version " + version + ": " + Http.bounded2k(e.getMessage())
                    + ". Your text is below, unsaved; the stored version is shown on the right. Merge your change into it and save again."),
                null);
          } catch (org.csv2.api.ConfigurationException e) {
            ctx.status(400);
            configPage(ctx, p, world, text, version, e.problems().stream().map(Http::bounded2k).toList(), null);
          }
        });
    app.get(
        "/audit",
        ctx -> {
          Principal p = Pages.signedIn(ctx, auth);
          if (p == null) {
            return;
          }
          User u = p.requireAdmin();
          List<AuditEntry> entries = new ArrayList<>(ops.audit(OpsApi.actor(u), world.clock().instant().minus(Duration.ofDays(30)), 500));
          java.util.Collections.reverse(entries);
          Map<String, Object> m = new HashMap<>();
          m.put("entries", entries);
          Pages.render(ctx, "audit", p, m);
        });
  }

  private static long version(@Nullable String raw) {
    try {
      return raw == null ? Operations.ANY_VERSION : Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("version: a number");
    }
  }

  private static @Nullable Integer integer(@Nullable String raw, String field, String key, Map<String, String> errors) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      int v = Integer.parseInt(raw.trim());
      if (v < -1) {
        errors.put(key + "/" + field, "use a number of 0 or more, or -1 for no limit");
        return null;
      }
      return v;
    } catch (NumberFormatException e) {
      errors.put(key + "/" + field, "'" + Http.bounded(raw) + "' is not a whole number");
      return null;
    }
  }

  private static void cloudsPage(Context ctx, Principal p, World world, Map<String, String> errors, @Nullable Map<String, List<String>> entered) {
    List<Map<String, Object>> rows = new ArrayList<>();
    long version = 0;
    for (CloudView c : world.clouds(p)) {
      version = c.version();
      for (Allocation a : c.allocations()) { // those of the principal's groups only (World.clouds)
        Map<String, Object> r = new HashMap<>();
        r.put("group", a.group().value());
        r.put("cloud", c.spec().name().value());
        r.put("driver", c.spec().driver());
        r.put("cloudEnabled", c.spec().enabled());
        r.put("enabled", a.enabled());
        r.put("coresCtl", a.coresCtl());
        r.put("coresSoftmax", a.coresSoftmax());
        r.put("ramCtlMiB", a.ramCtlMiB());
        r.put("excluded", String.join(", ", a.excludedFlavors().stream().map(FlavorName::value).sorted().toList()));
        r.put("version", c.version());
        r.put("key", a.group() + "/" + c.spec().name());
        rows.add(r);
      }
    }
    Map<String, Object> m = new HashMap<>();
    m.put("rows", rows);
    m.put("errors", errors);
    m.put("entered", entered == null ? Map.of() : flatten(entered));
    m.put("saved", Optional.ofNullable(ctx.queryParam("saved")).orElse(""));
    m.put("version", version);
    Pages.render(ctx, "clouds", p, m);
  }

  /**
   * The configuration editor: the stored document and its version, or (after a refused save) the
   * text the admin sent with every problem listed, and the stored document beside it.
   */
  private static void configPage(
      Context ctx, Principal p, World world, @Nullable String entered, @Nullable Long enteredVersion, List<String> problems, @Nullable String unused) {
    User u = p.require();
    Map<String, Object> m = new HashMap<>();
    try {
      var stored = world.operations().configuration(OpsApi.actor(u));
      m.put("stored", stored.value());
      m.put("storedVersion", stored.version());
    } catch (org.csv2.api.ops.OperationException e) {
      m.put("stored", null);
      problems = new ArrayList<>(problems);
      problems.add(Http.bounded2k(e.getMessage()));
    }
    m.put("document", entered != null ? entered : m.get("stored"));
    m.put("version", enteredVersion != null ? enteredVersion : m.get("storedVersion"));
    m.put("stale", entered != null && enteredVersion != null && !enteredVersion.equals(m.get("storedVersion")));
    m.put("problems", problems);
    m.put("saved", Optional.ofNullable(ctx.queryParam("saved")).orElse(""));
    Pages.render(ctx, "config", p, m);
  }

  private static Map<String, String> flatten(Map<String, List<String>> form) {
    Map<String, String> out = new HashMap<>();
    form.forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.get(0)));
    return out;
  }
}

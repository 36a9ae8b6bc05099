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

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint x {anonymous, member of the group, member of another group, admin}: the exact
 * status, and no name of the other group in any answer a member gets.
 *
 * <p>The target group is atlas (alice is its member); bob is a member of belle only; root is an
 * admin. An endpoint of a group's object answers a non-member 404, as if it did not exist.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuthorizationMatrixTest {
  static final String VM = "atlas--cloud-a--t0c0ffee0--v0000";

  /**
   * method, path, body, where the If-Match comes from, then the status for anonymous, alice
   * (member), bob (other group), root (admin). A body is JSON, or "form:" and a form, or "from:" and
   * the path of a document root reads first (its element i after '#', a text swapped after '|' as
   * old>new); null for none. The If-Match
   * is the ETag root reads from that path, or none.
   */
  static Stream<Arguments> endpoints() {
    List<Arguments> rows = new ArrayList<>();
    rows.add(row("GET", "/api/v1/status", null, null, 401, 200, 200, 200));
    rows.add(row("GET", "/api/v1/vms", null, null, 401, 200, 200, 200));
    rows.add(row("GET", "/api/v1/vms/" + VM, null, null, 401, 200, 404, 200));
    rows.add(row("POST", "/api/v1/vms/" + VM + "/retire", null, null, 401, 202, 404, 409)); // root finds alice's intent pending
    rows.add(row("POST", "/api/v1/vms/" + VM + "/kill", "{\"force\":false}", null, 401, 202, 404, 409));
    rows.add(row("POST", "/api/v1/vms/" + VM + "/manual", "{\"on\":true}", null, 401, 202, 404, 409));
    rows.add(row("POST", "/api/v1/vms/" + VM + "/sysctl", null, null, 401, 409, 404, 409)); // not under manual control
    rows.add(row("POST", "/api/v1/groups/atlas/clouds/cloud-a/retain", "{\"count\":1}", null, 401, 202, 404, 202));
    rows.add(row("GET", "/api/v1/intents?group=atlas", null, null, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/series?metric=jobs.idle", null, null, 401, 200, 200, 200));
    rows.add(row("GET", "/api/v1/clouds", null, null, 401, 200, 200, 200));
    rows.add(row("POST", "/api/v1/clouds/cloud-a/pause", null, ALLOC, 401, 403, 403, 200));
    rows.add(row("POST", "/api/v1/clouds/cloud-a/enable", null, ALLOC, 401, 403, 403, 200));
    rows.add(row("GET", "/api/v1/allocations", null, null, 401, 200, 200, 200));
    rows.add(row("PUT", "/api/v1/groups/atlas/clouds/cloud-a/controls", "{\"coresCtl\":8}", ALLOC, 401, 200, 404, 200));
    rows.add(row("PUT", "/api/v1/groups/atlas/clouds/cloud-a/excluded-flavors", "{\"flavors\":[\"m1.small\"]}", ALLOC, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/groups", null, null, 401, 200, 200, 200));
    rows.add(row("DELETE", "/api/v1/groups/atlas", null, ALLOC, 401, 403, 403, 409));
    rows.add(row("GET", "/api/v1/groups/atlas/defaults", null, null, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/groups/atlas/user-data", null, null, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/aliases", null, null, 401, 200, 200, 200));
    rows.add(row("PUT", "/api/v1/groups/atlas/aliases/fast", "{\"clouds\":[\"cloud-a\"]}", ALLOC, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/configuration", null, null, 401, 403, 403, 200));
    rows.add(row("GET", "/api/v1/jobs?group=atlas", null, null, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/audit", null, null, 401, 403, 403, 200));
    // reservations: search and book on the group (no engine has read cloud-a: the fixture stores no snapshot, so a booking is refused: 409)
    String window = "\"start\":\"2099-01-01T10:00:00Z\",\"end\":\"2099-01-01T12:00:00Z\"";
    rows.add(row("POST", "/api/v1/groups/atlas/reservations/search", "{\"cores\":4,\"ramMiB\":8000,\"count\":1," + window + "}", null, 401, 200, 404, 200));
    // the whole configuration document: admin only; without If-Match a precondition is required
    rows.add(row("PUT", "/api/v1/configuration", "groups: []", null, 401, 403, 403, 428));
    rows.add(row("POST", "/api/v1/groups/atlas/reservations", "{\"cores\":4,\"ramMiB\":8000,\"count\":1," + window + "}", null, 401, 409, 404, 409));
    rows.add(row("GET", "/api/v1/reservations", null, null, 401, 200, 200, 200));
    rows.add(row("GET", "/api/v1/reservations?group=atlas", null, null, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/reservations/1", null, null, 401, 404, 404, 404));
    rows.add(row("GET", "/api/v1/reservations/usage?group=atlas", null, null, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/reservations/usage", null, null, 401, 403, 403, 200));
    rows.add(row("GET", "/api/v1/me", null, null, 401, 200, 200, 200));
    rows.add(row("GET", "/api/v1/me/tokens", null, null, 401, 200, 200, 200));
    rows.add(row("POST", "/api/v1/me/tokens", "{\"label\":\"x\"}", null, 401, 201, 201, 201));
    rows.add(row("GET", "/api/v1/users", null, null, 401, 403, 403, 200));
    rows.add(row("GET", "/api/v1/users/alice", null, null, 401, 403, 403, 200));
    rows.add(row("GET", "/metrics", null, null, 401, 403, 403, 200));
    rows.add(row("GET", "/status", null, null, 302, 200, 200, 200));
    rows.add(row("GET", "/vms", null, null, 302, 200, 200, 200));
    rows.add(row("GET", "/users", null, null, 302, 403, 403, 200));
    rows.add(row("GET", "/settings", null, null, 302, 200, 200, 200));
    rows.add(row("GET", "/public", null, null, 200, 200, 200, 200));
    rows.add(row("GET", "/healthz", null, null, 200, 200, 200, 200));
    rows.add(row("GET", "/api/v1/openapi.yaml", null, null, 200, 200, 200, 200));
    rows.add(row("GET", "/readyz", null, null, 200, 200, 200, 200));
    // VMs by group
    rows.add(row("GET", "/api/v1/vms?group=atlas", null, null, 401, 200, 200, 200)); // a filter: bob gets [], as for a group that does not exist
    // clouds: adding, changing and removing one is the admin's
    rows.add(row("POST", "/api/v1/clouds", "{\"name\":\"cloud-c\",\"driver\":\"simulated\",\"enabled\":true,\"config\":{}}", ALLOC, 401, 403, 403, 200));
    rows.add(row("PUT", "/api/v1/clouds/cloud-a", "{\"name\":\"cloud-a\",\"driver\":\"simulated\",\"enabled\":true,\"config\":{}}", ALLOC, 401, 403, 403, 200));
    rows.add(row("DELETE", "/api/v1/clouds/cloud-b?retireVms=true", null, ALLOC, 401, 403, 403, 200));
    rows.add(row("POST", "/api/v1/clouds/cloud-a/disable", null, ALLOC, 401, 403, 403, 200));
    // a group's allocations, group, defaults, user data, status and aliases: its members' and the admin's
    rows.add(row("PUT", "/api/v1/groups/atlas/clouds/cloud-a", "from:/api/v1/allocations#0", ALLOC, 401, 200, 404, 200));
    rows.add(row("DELETE", "/api/v1/groups/atlas/clouds/cloud-a?retireVms=true", null, ALLOC, 401, 200, 404, 404)); // alice removed it first
    rows.add(row("POST", "/api/v1/groups", "from:/api/v1/groups#0|atlas>lhcb", ALLOC, 401, 403, 403, 200));
    rows.add(row("PUT", "/api/v1/groups/atlas", "from:/api/v1/groups#0", ALLOC, 401, 200, 404, 200));
    rows.add(row("PUT", "/api/v1/groups/atlas/defaults", "from:/api/v1/groups/atlas/defaults", ALLOC, 401, 200, 404, 200));
    rows.add(row("PUT", "/api/v1/groups/atlas/user-data/extra.yaml", USER_DATA, ALLOC, 401, 200, 404, 200));
    rows.add(row("DELETE", "/api/v1/groups/atlas/user-data/none.yaml", null, ALLOC, 401, 404, 404, 404));
    rows.add(row("GET", "/api/v1/groups/atlas/status", null, null, 401, 200, 404, 200));
    rows.add(row("DELETE", "/api/v1/groups/atlas/aliases/none", null, ALLOC, 401, 404, 404, 404));
    // the whole configuration, with its version: the admin's alone
    rows.add(row("PUT", "/api/v1/configuration", Fixture.CONFIG, "/api/v1/configuration", 401, 403, 403, 200));
    // reservations of the group: owner or admin; 999 does not exist
    rows.add(row("POST", "/api/v1/reservations/999/extend", "{\"end\":\"2099-01-02T00:00:00Z\"}", null, 401, 404, 404, 404));
    rows.add(row("POST", "/api/v1/reservations/999/cancel", null, null, 401, 404, 404, 404));
    // accounting: a group's report to its members; every group's report and APEL to the admin
    rows.add(row("GET", "/api/v1/accounting/report?group=atlas", null, null, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/accounting/report", null, null, 401, 403, 403, 200));
    rows.add(row("GET", "/api/v1/accounting/apel", null, null, 401, 403, 403, 200));
    rows.add(row("POST", "/api/v1/accounting/apel", "{}", null, 401, 403, 403, 409)); // no APEL settings
    // images and key pairs: changed by the admin; a member reads the transfers of their groups and
    // clouds and the key pairs their groups name (seed: transfer 1 is atlas's, 2 names only cloud-b)
    String transfer = "{\"image\":\"alma9\",\"sourceCloud\":\"cloud-a\",\"sourceImageId\":\"img-1\",\"target\":\"cloud-b\"}";
    rows.add(row("GET", "/api/v1/images/transfers", null, null, 401, 200, 200, 200));
    rows.add(row("GET", "/api/v1/images/transfers?active=true", null, null, 401, 200, 200, 200));
    rows.add(row("GET", "/api/v1/images/transfers/1", null, null, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/images/replication", null, null, 401, 200, 200, 200));
    rows.add(row("POST", "/api/v1/images/transfers", transfer, null, 401, 403, 403, 201));
    rows.add(row("GET", "/api/v1/images/transfers/999", null, null, 401, 404, 404, 404));
    rows.add(row("POST", "/api/v1/images/transfers/999/cancel", null, null, 401, 403, 403, 404));
    rows.add(row("GET", "/api/v1/images/replication?group=atlas", null, null, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/keypairs", null, null, 401, 200, 200, 200));
    rows.add(row("POST", "/api/v1/keypairs", "{\"name\":\"ops\",\"publicKey\":\"" + KEY + "\"}", null, 401, 403, 403, 201));
    rows.add(row("DELETE", "/api/v1/keypairs/none", null, null, 401, 403, 403, 404));
    // the image x cloud matrix: each sees the clouds of their groups; deletes and key copies are the admin's
    rows.add(row("GET", "/api/v1/images", null, null, 401, 200, 200, 200));
    rows.add(row("GET", "/api/v1/images?group=atlas", null, null, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/images/actions", null, null, 401, 200, 200, 200));
    // an upload: the body is the image's bytes (here "hello"), refused before it is read unless admin
    rows.add(row("POST", "/api/v1/images/uploads?image=w&size=5&cloud=cloud-a&sha256=" + HELLO_SHA256, "bytes:hello", null, 401, 403, 403, 201));
    rows.add(row("POST", "/api/v1/images/deletes", "{\"cloud\":\"cloud-a\",\"image\":\"none\"}", null, 401, 403, 403, 404));
    rows.add(row("POST", "/api/v1/keypairs/none/copy", "{\"group\":\"atlas\"}", null, 401, 403, 403, 404));
    // the signed-in user's own settings, password and tokens
    rows.add(row("PATCH", "/api/v1/me", "{\"refreshSeconds\":10}", null, 401, 200, 200, 200));
    rows.add(row("POST", "/api/v1/me/password", "{\"current\":\"" + Fixture.PASSWORD + "\",\"next\":\"another-long-password\"}", null, 401, 204, 204, 204));
    rows.add(row("DELETE", "/api/v1/me/tokens/aaaaaaaaaaaaaaaaaaaa", null, null, 401, 404, 404, 404));
    // users: the admin's
    rows.add(row("POST", "/api/v1/users", "{\"name\":\"carol\",\"password\":\"a-long-password\",\"admin\":false,\"groups\":[\"atlas\"]}", null, 401, 403, 403, 201));
    rows.add(row("PUT", "/api/v1/users/eve", "{\"admin\":false,\"groups\":[\"belle\"]}", "/api/v1/users/eve", 401, 403, 403, 200));
    rows.add(row("DELETE", "/api/v1/users/eve", null, null, 401, 403, 403, 204));
    // pages: a signed-out browser is sent to sign in; forms carry the session's CSRF token
    rows.add(row("GET", "/", null, null, 302, 302, 302, 302));
    rows.add(row("GET", "/login", null, null, 200, 200, 200, 200));
    rows.add(row("POST", "/login", "form:name=alice&password=x", null, 403, 403, 403, 403)); // no sign-in form token
    rows.add(row("POST", "/logout", "form:", null, 303, 303, 303, 303));
    rows.add(row("GET", "/plot?metric=status.jobs.idle", null, null, 302, 200, 200, 200));
    rows.add(row("GET", "/clouds", null, null, 302, 200, 200, 200));
    rows.add(row("POST", "/clouds/atlas/cloud-a/controls", "form:coresCtl=8&coresSoftmax=-1&ramCtlMiB=-1&excluded=", null, 302, 303, 404, 303));
    rows.add(row("POST", "/clouds/cloud-a/pause", "form:", null, 302, 403, 403, 303));
    rows.add(row("POST", "/vms/action", "form:action=retire&confirm=yes&vm=" + VM, null, 302, 200, 200, 200));
    rows.add(row("GET", "/config", null, null, 302, 403, 403, 200));
    rows.add(row("POST", "/config", "form:version=1&document=groups%3A+%5B%5D", null, 302, 403, 403, 400)); // an invalid document
    rows.add(row("GET", "/audit", null, null, 302, 403, 403, 200));
    rows.add(row("GET", "/reservations", null, null, 302, 200, 200, 200));
    rows.add(row("GET", "/images", null, null, 302, 200, 200, 200));
    rows.add(row("GET", "/images?group=atlas", null, null, 302, 200, 404, 200));
    rows.add(row("POST", "/settings", "form:refreshSeconds=15", null, 302, 303, 303, 303));
    rows.add(row("POST", "/settings/tokens", "form:label=laptop", null, 302, 200, 200, 200));
    rows.add(row("POST", "/settings/tokens/aaaaaaaaaaaaaaaaaaaa/delete", "form:", null, 302, 303, 303, 303));
    rows.add(row("POST", "/users", "form:name=carol&password=a-long-password&groups=atlas", null, 302, 403, 403, 303));
    rows.add(row("POST", "/users/eve/delete", "form:", null, 302, 403, 403, 303));
    return rows.stream();
  }

  /**
   * What the image and key-pair lists would leak: atlas's replication to cloud-a (transfer 1), an
   * operator's transfer to cloud-b (2), and a key pair of each group's name.
   */
  static void seedImages(org.csv2.core.store.InMemoryStateStore store) {
    java.time.Instant now = java.time.Instant.now();
    org.csv2.model.CloudName a = org.csv2.model.CloudName.of("cloud-a");
    org.csv2.model.CloudName b = org.csv2.model.CloudName.of("cloud-b");
    store.saveTransfer(org.csv2.api.ops.ImageTransfer.fromCloud("atlas-worker", Fixture.ATLAS, a, "img-a", a, "qcow2", "root", now));
    store.saveTransfer(org.csv2.api.ops.ImageTransfer.fromUrl("belle-worker", java.net.URI.create("https://images.example/belle.qcow2"), null, b, "qcow2", "root", now));
    store.saveKeyPair(new org.csv2.api.ops.StoredKeyPair("atlas-ops", KEY, "", now));
    store.saveKeyPair(new org.csv2.api.ops.StoredKeyPair("belle-ops", KEY, "", now));
  }

  static final String ALLOC = "/api/v1/allocations";
  static final String HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
  static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKr9GPBxDqyWuGrx46vnUH/HZZwcxDOQ7MWbu/6BqJsS ops@site";
  static final String USER_DATA =
      "{\"name\":\"extra.yaml\",\"priority\":0,\"mimeType\":\"text/cloud-config\",\"template\":\"#cloud-config\\n\",\"enabled\":true}";

  private static Arguments row(String method, String path, String body, String etagFrom, int anon, int member, int other, int admin) {
    return Arguments.of(method, path, body, etagFrom, anon, member, other, admin);
  }

  /** Every route the server has is in the matrix: a route added without its row fails here. */
  @Test
  void everyRouteHasItsRow() {
    List<String> rows = endpoints().map(a -> a.get()[0] + " " + ((String) a.get()[1]).replaceAll("\\?.*", "")).toList();
    try (Fixture f = new Fixture()) {
      List<String> missing = new ArrayList<>();
      for (String route : f.server.routes()) {
        String[] mp = route.split(" ", 2);
        java.util.regex.Pattern template = java.util.regex.Pattern.compile(mp[0] + " " + mp[1].replaceAll("\\{[^}]+}", "[^/]+"));
        if (rows.stream().noneMatch(r -> template.matcher(r).matches())) {
          missing.add(route);
        }
      }
      assertThat(missing).as("routes without a row in the authorisation matrix").isEmpty();
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("endpoints")
  void eachRoleGetsExactlyItsStatus(String method, String path, String body, String etagFrom, int anon, int member, int other, int admin)
      throws Exception {
    try (Fixture f = new Fixture(new org.csv2.core.store.InMemoryStateStore(java.time.Clock.systemUTC()), b -> b, false)) {
      seedImages(f.store);
      Fixture.Client root = f.client("root");
      String[] users = {null, "bob", "alice", "root"};
      int[] expected = {anon, other, member, admin};
      for (int i = 0; i < users.length; i++) {
        Fixture.Client c = users[i] == null ? f.client(null) : f.client(users[i]);
        HttpRequest.Builder b = c.request(path).header("Accept", "application/json");
        if (c.csrf != null) {
          b.header(Auth.CSRF_HEADER, c.csrf);
        }
        if (etagFrom != null) {
          b.header("If-Match", root.get(etagFrom).headers().firstValue("ETag").orElseThrow());
        }
        String sent = body;
        if (body != null && body.startsWith("form:")) {
          sent = body.substring("form:".length()) + (c.csrf == null ? "" : "&_csrf=" + c.csrf);
          b.header("Content-Type", "application/x-www-form-urlencoded");
        } else if (body != null && body.startsWith("bytes:")) {
          sent = body.substring("bytes:".length());
          b.header("Content-Type", "application/octet-stream");
        } else if (body != null && body.startsWith("from:")) {
          String[] edit = body.substring("from:".length()).split("\\|"); // PATH[#i][|old>new]
          String[] from = edit[0].split("#");
          com.fasterxml.jackson.databind.JsonNode doc = Http.JSON.readTree(root.get(from[0]).body());
          sent = Http.JSON.writeValueAsString(from.length > 1 ? doc.get(Integer.parseInt(from[1])) : doc);
          if (edit.length > 1) {
            String[] swap = edit[1].split(">");
            sent = sent.replace(swap[0], swap[1]);
          }
          b.header("Content-Type", "application/json");
        } else if (body != null) {
          b.header("Content-Type", "application/json");
        }
        HttpRequest r = b.method(method, sent == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(sent)).build();
        HttpResponse<String> res = c.http.send(r, HttpResponse.BodyHandlers.ofString());
        String who = users[i] == null ? "anonymous" : users[i];
        assertThat(res.statusCode()).as("%s %s as %s: %s", method, path, who, res.body()).isEqualTo(expected[i]);
        // a problem document's "instance" repeats the caller's own path; nothing else may name the other group
        String answer = res.body().replace("\"instance\":\"" + path.replaceAll("\\?.*", "") + "\"", "");
        if ("alice".equals(who)) {
          assertThat(answer).as("alice sees nothing of belle").doesNotContain("belle").doesNotContain("cloud-b");
        }
        if ("bob".equals(who) && !path.startsWith("/api/v1/openapi")) {
          String own = answer;
          if (sent != null && sent.contains(VM)) { // a page that lists what was asked repeats the VM he named, as for one that does not exist
            own = own.replace(VM, "");
          }
          assertThat(own).as("bob sees nothing of atlas").doesNotContain("atlas").doesNotContain("cloud-a");
        }
        if (res.statusCode() >= 400 && path.startsWith("/api/")) {
          assertThat(res.headers().firstValue("Content-Type")).as("problem document").hasValueSatisfying(t -> assertThat(t).startsWith(Problem.CONTENT_TYPE));
          assertThat(res.body()).as("no stack trace or internal detail").doesNotContain("Exception").doesNotContain("at org.");
        }
      }
    }
  }
}

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

  /** method, path, body (null for none), needs If-Match, anonymous, alice (member), bob (other group), root (admin). */
  static Stream<Arguments> endpoints() {
    List<Arguments> rows = new ArrayList<>();
    rows.add(row("GET", "/api/v1/status", null, false, 401, 200, 200, 200));
    rows.add(row("GET", "/api/v1/vms", null, false, 401, 200, 200, 200));
    rows.add(row("GET", "/api/v1/vms/" + VM, null, false, 401, 200, 404, 200));
    rows.add(row("POST", "/api/v1/vms/" + VM + "/retire", null, false, 401, 202, 404, 409)); // root finds alice's intent pending
    rows.add(row("POST", "/api/v1/vms/" + VM + "/kill", "{\"force\":false}", false, 401, 202, 404, 409));
    rows.add(row("POST", "/api/v1/vms/" + VM + "/manual", "{\"on\":true}", false, 401, 202, 404, 409));
    rows.add(row("POST", "/api/v1/vms/" + VM + "/sysctl", null, false, 401, 409, 404, 409)); // not under manual control
    rows.add(row("POST", "/api/v1/groups/atlas/clouds/cloud-a/retain", "{\"count\":1}", false, 401, 202, 404, 202));
    rows.add(row("GET", "/api/v1/intents?group=atlas", null, false, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/series?metric=jobs.idle", null, false, 401, 200, 200, 200));
    rows.add(row("GET", "/api/v1/clouds", null, false, 401, 200, 200, 200));
    rows.add(row("POST", "/api/v1/clouds/cloud-a/pause", null, true, 401, 403, 403, 200));
    rows.add(row("POST", "/api/v1/clouds/cloud-a/enable", null, true, 401, 403, 403, 200));
    rows.add(row("GET", "/api/v1/allocations", null, false, 401, 200, 200, 200));
    rows.add(row("PUT", "/api/v1/groups/atlas/clouds/cloud-a/controls", "{\"coresCtl\":8}", true, 401, 200, 404, 200));
    rows.add(row("PUT", "/api/v1/groups/atlas/clouds/cloud-a/excluded-flavors", "{\"flavors\":[\"m1.small\"]}", true, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/groups", null, false, 401, 200, 200, 200));
    rows.add(row("DELETE", "/api/v1/groups/atlas", null, true, 401, 403, 403, 409));
    rows.add(row("GET", "/api/v1/groups/atlas/defaults", null, false, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/groups/atlas/user-data", null, false, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/aliases", null, false, 401, 200, 200, 200));
    rows.add(row("PUT", "/api/v1/groups/atlas/aliases/fast", "{\"clouds\":[\"cloud-a\"]}", true, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/configuration", null, false, 401, 403, 403, 200));
    rows.add(row("GET", "/api/v1/jobs?group=atlas", null, false, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/audit", null, false, 401, 403, 403, 200));
    // reservations: search and book on the group (no engine has read cloud-a: the fixture stores no snapshot, so a booking is refused: 409)
    String window = "\"start\":\"2099-01-01T10:00:00Z\",\"end\":\"2099-01-01T12:00:00Z\"";
    rows.add(row("POST", "/api/v1/groups/atlas/reservations/search", "{\"cores\":4,\"ramMiB\":8000,\"count\":1," + window + "}", false, 401, 200, 404, 200));
    // the whole configuration document: admin only; without If-Match a precondition is required
    rows.add(row("PUT", "/api/v1/configuration", "groups: []", false, 401, 403, 403, 428));
    rows.add(row("POST", "/api/v1/groups/atlas/reservations", "{\"cores\":4,\"ramMiB\":8000,\"count\":1," + window + "}", false, 401, 409, 404, 409));
    rows.add(row("GET", "/api/v1/reservations", null, false, 401, 200, 200, 200));
    rows.add(row("GET", "/api/v1/reservations?group=atlas", null, false, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/reservations/1", null, false, 401, 404, 404, 404));
    rows.add(row("GET", "/api/v1/reservations/usage?group=atlas", null, false, 401, 200, 404, 200));
    rows.add(row("GET", "/api/v1/reservations/usage", null, false, 401, 403, 403, 200));
    rows.add(row("GET", "/api/v1/me", null, false, 401, 200, 200, 200));
    rows.add(row("GET", "/api/v1/me/tokens", null, false, 401, 200, 200, 200));
    rows.add(row("POST", "/api/v1/me/tokens", "{\"label\":\"x\"}", false, 401, 201, 201, 201));
    rows.add(row("GET", "/api/v1/users", null, false, 401, 403, 403, 200));
    rows.add(row("GET", "/api/v1/users/alice", null, false, 401, 403, 403, 200));
    rows.add(row("GET", "/metrics", null, false, 401, 403, 403, 200));
    rows.add(row("GET", "/status", null, false, 302, 200, 200, 200));
    rows.add(row("GET", "/vms", null, false, 302, 200, 200, 200));
    rows.add(row("GET", "/users", null, false, 302, 403, 403, 200));
    rows.add(row("GET", "/settings", null, false, 302, 200, 200, 200));
    rows.add(row("GET", "/public", null, false, 200, 200, 200, 200));
    rows.add(row("GET", "/healthz", null, false, 200, 200, 200, 200));
    rows.add(row("GET", "/api/v1/openapi.yaml", null, false, 200, 200, 200, 200));
    return rows.stream();
  }

  private static Arguments row(String method, String path, String body, boolean ifMatch, int anon, int member, int other, int admin) {
    return Arguments.of(method, path, body, ifMatch, anon, member, other, admin);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("endpoints")
  void eachRoleGetsExactlyItsStatus(String method, String path, String body, boolean ifMatch, int anon, int member, int other, int admin)
      throws Exception {
    try (Fixture f = new Fixture(new org.csv2.core.store.InMemoryStateStore(java.time.Clock.systemUTC()), b -> b, false)) {
      Fixture.Client root = f.client("root");
      String[] users = {null, "bob", "alice", "root"};
      int[] expected = {anon, other, member, admin};
      for (int i = 0; i < users.length; i++) {
        Fixture.Client c = users[i] == null ? f.client(null) : f.client(users[i]);
        HttpRequest.Builder b = c.request(path).header("Accept", "application/json");
        if (c.csrf != null) {
          b.header(Auth.CSRF_HEADER, c.csrf);
        }
        if (ifMatch) {
          String etag = root.get("/api/v1/allocations").headers().firstValue("ETag").orElseThrow();
          b.header("If-Match", etag);
        }
        if (body != null) {
          b.header("Content-Type", "application/json");
        }
        HttpRequest r = b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> res = c.http.send(r, HttpResponse.BodyHandlers.ofString());
        String who = users[i] == null ? "anonymous" : users[i];
        assertThat(res.statusCode()).as("%s %s as %s: %s", method, path, who, res.body()).isEqualTo(expected[i]);
        if ("alice".equals(who)) {
          assertThat(res.body()).as("alice sees nothing of belle").doesNotContain("belle").doesNotContain("cloud-b");
        }
        if ("bob".equals(who) && !path.startsWith("/api/v1/openapi")) {
          // the problem document's "instance" repeats the caller's own path; nothing else may name atlas
          String own = res.body().replace("\"instance\":\"" + path.replaceAll("\\?.*", "") + "\"", "");
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

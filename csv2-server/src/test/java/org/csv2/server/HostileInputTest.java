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
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.csv2.model.VmState;
import org.csv2.spi.StoreChanges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Malformed, oversized and hostile requests get a clear 4xx, never a 500, and nothing runs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileInputTest {
  private static final String SCRIPT = "<script>alert(1)</script>";

  @Test
  void malformedOversizedAndUnknownJsonAreRefusedOnEveryJsonEndpoint() throws Exception {
    List<String[]> endpoints =
        List.of(
            new String[] {"PATCH", "/api/v1/me"},
            new String[] {"POST", "/api/v1/me/password"},
            new String[] {"POST", "/api/v1/me/tokens"},
            new String[] {"POST", "/api/v1/users"},
            new String[] {"POST", "/api/v1/vms/atlas--cloud-a--t0c0ffee0--v0000/manual"},
            new String[] {"POST", "/api/v1/groups/atlas/clouds/cloud-a/retain"});
    try (Fixture f = new Fixture()) {
      Fixture.Client root = f.client("root");
      for (String[] e : endpoints) {
        HttpResponse<String> malformed = root.send(e[0], e[1], "{\"label\": ");
        assertThat(malformed.statusCode()).as("malformed %s %s: %s", e[0], e[1], malformed.body()).isEqualTo(400);
        HttpResponse<String> unknown = root.send(e[0], e[1], "{\"zzz-unknown\": 1}");
        assertThat(unknown.statusCode()).as("unknown field %s %s", e[0], e[1]).isEqualTo(400);
        assertThat(unknown.body()).contains("zzz-unknown");
        HttpResponse<String> huge = root.send(e[0], e[1], "{\"label\":\"" + "x".repeat(400_000) + "\"}");
        assertThat(huge.statusCode()).as("oversized %s %s", e[0], e[1]).isEqualTo(413);
        HttpResponse<String> deep = root.send(e[0], e[1], "[".repeat(5000) + "]".repeat(5000));
        assertThat(deep.statusCode()).as("deep nesting %s %s", e[0], e[1]).isEqualTo(400);
        HttpResponse<String> array = root.send(e[0], e[1], "[]");
        assertThat(array.statusCode()).as("wrong shape %s %s", e[0], e[1]).isEqualTo(400);
        HttpResponse<String> nul = root.send(e[0], e[1], "null");
        assertThat(nul.statusCode()).as("null body %s %s", e[0], e[1]).isEqualTo(400);
        for (HttpResponse<String> r : List.of(malformed, unknown, huge, deep, array, nul)) {
          assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(Problem.CONTENT_TYPE));
          assertThat(r.body()).doesNotContain("Exception").doesNotContain("at org.").doesNotContain("com.fasterxml");
        }
        HttpRequest text = root.request(e[1]).header("Content-Type", "text/plain").header(Auth.CSRF_HEADER, root.csrf)
            .method(e[0], HttpRequest.BodyPublishers.ofString("{}")).build();
        assertThat(root.http.send(text, HttpResponse.BodyHandlers.ofString()).statusCode()).as("text/plain %s", e[1]).isEqualTo(415);
      }
      assertThat(f.store.users()).hasSize(4);
    }
  }

  @Test
  void pathTraversalFindsNothing() throws Exception {
    try (Fixture f = new Fixture()) {
      Fixture.Client root = f.client("root");
      for (String path :
          List.of(
              "/static/../../../../etc/passwd",
              "/static/..%2f..%2f..%2fetc%2fpasswd",
              "/webjars/..%2f..%2fMETA-INF/MANIFEST.MF",
              "/static/%2e%2e/%2e%2e/org/csv2/server/Csv2Server.class",
              "/api/v1/vms/..%2f..%2fetc%2fpasswd",
              "/api/v1/users/..%2froot",
              "/api/v1/groups/..%2fbelle/defaults")) {
        HttpResponse<String> r = root.get(path);
        assertThat(r.statusCode()).as(path).isIn(400, 404);
        assertThat(r.body()).as(path).doesNotContain("root:x:0").doesNotContain("Manifest-Version");
      }
    }
  }

  @Test
  void namesCarryingHtmlAreEscapedOnEveryPage() throws Exception {
    try (Fixture f = new Fixture()) {
      org.csv2.model.Vm vm = f.store.vm(f.vms.get(0).id()).orElseThrow();
      f.store.commit(new StoreChanges(List.of(), List.of(vm.withState(VmState.ERROR, Instant.now(), SCRIPT)), List.of(), List.of(), List.of(), List.of()));
      f.store.saveToken(new org.csv2.model.ApiToken("aaaaaaaaaaaaaaaaaaaa", "alice", "sha256:x", SCRIPT, Instant.now(), null));
      Fixture.Client alice = f.client("alice");
      String vms = alice.get("/vms").body();
      assertThat(vms).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(SCRIPT);
      String settings = alice.get("/settings").body();
      assertThat(settings).contains("&lt;script&gt;").doesNotContain(SCRIPT);
      String plot = alice.get("/plot?metric=" + java.net.URLEncoder.encode(SCRIPT, "UTF-8") + "&label=" + java.net.URLEncoder.encode("\"><img src=x onerror=alert(1)>", "UTF-8")).body();
      assertThat(plot).doesNotContain(SCRIPT).doesNotContain("<img src=x");
      Fixture.Client anon = f.client(null);
      String login = anon.get("/login").body();
      String token = Fixture.Client.csrfOf(login);
      HttpResponse<String> failed = anon.form("/login", "_csrf=" + token + "&name=" + java.net.URLEncoder.encode(SCRIPT, "UTF-8") + "&password=x");
      assertThat(failed.statusCode()).isEqualTo(401);
      assertThat(failed.body()).doesNotContain(SCRIPT);
      HttpResponse<String> redirect = anon.get("/login?next=" + java.net.URLEncoder.encode("//evil.example.org/x", "UTF-8"));
      assertThat(redirect.body()).contains("value=\"/status\"").doesNotContain("evil.example.org");
    }
  }

  @Test
  void aRequestWithoutItsCsrfTokenChangesNothing() throws Exception {
    try (Fixture f = new Fixture()) {
      Fixture.Client alice = f.client("alice");
      String csrf = alice.csrf;
      alice.csrf = null;
      HttpResponse<String> api = alice.send("POST", "/api/v1/me/tokens", "{\"label\":\"x\"}");
      assertThat(api.statusCode()).isEqualTo(403);
      alice.csrf = "forged";
      assertThat(alice.send("POST", "/api/v1/vms/atlas--cloud-a--t0c0ffee0--v0000/retire", null).statusCode()).isEqualTo(403);
      assertThat(alice.form("/settings", "refreshSeconds=5").statusCode()).isEqualTo(403);
      assertThat(alice.form("/settings/tokens", "label=x&_csrf=wrong").statusCode()).isEqualTo(403);
      assertThat(alice.form("/logout", "").statusCode()).isEqualTo(403);
      assertThat(f.store.tokens("alice")).isEmpty();
      assertThat(f.store.user("alice").orElseThrow().refreshSeconds()).isEqualTo(30);
      assertThat(alice.form("/settings", "refreshSeconds=5&_csrf=" + csrf).statusCode()).isEqualTo(303);
      assertThat(f.store.user("alice").orElseThrow().refreshSeconds()).isEqualTo(5);
      Fixture.Client anon = f.client(null);
      assertThat(anon.form("/login", "name=alice&password=" + Fixture.PASSWORD).statusCode()).as("sign-in without its token").isEqualTo(403);
    }
  }

  @Test
  void theConfigurationRoutesRefuseHostileDocumentsAndStoreNothing() throws Exception {
    try (Fixture f = new Fixture()) {
      Fixture.Client root = f.client("root");
      String etag = root.get("/api/v1/configuration").headers().firstValue("ETag").orElseThrow();
      long version = f.store.config().orElseThrow().version();
      String bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
          + "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
          + "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
      for (String[] c :
          List.of(
              new String[] {"malformed YAML", "groups: [ {name: atlas\n", "400"},
              new String[] {"not a mapping", "- just\n- a list\n", "400"},
              new String[] {"an alias bomb", bomb, "400"},
              new String[] {"a script in a name", Fixture.CONFIG.replace("name: belle", "name: \"" + SCRIPT + "\""), "400"},
              new String[] {"oversized", "x: \"" + "y".repeat(300_000) + "\"\n", "413"})) {
        HttpRequest put = root.request("/api/v1/configuration").header("Content-Type", "application/yaml").header("If-Match", etag)
            .header(Auth.CSRF_HEADER, root.csrf).PUT(HttpRequest.BodyPublishers.ofString(c[1])).build();
        HttpResponse<String> r = root.http.send(put, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s: %s", c[0], r.body()).isEqualTo(Integer.parseInt(c[2]));
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(Problem.CONTENT_TYPE));
        assertThat(r.body()).as(c[0]).doesNotContain("Exception").doesNotContain("at org.").doesNotContain("lollol").hasSizeLessThan(4_000);
      }
      assertThat(f.store.config().orElseThrow().version()).as("nothing stored").isEqualTo(version);
      // the editor page: a refused text comes back escaped inside its textarea, every problem listed
      String hostile = Fixture.CONFIG + "# </textarea>" + SCRIPT + "\nnot-a-key: [\n";
      HttpResponse<String> page = root.form("/config", "_csrf=" + root.csrf + "&version=" + version + "&document="
          + java.net.URLEncoder.encode(hostile, java.nio.charset.StandardCharsets.UTF_8));
      assertThat(page.statusCode()).isEqualTo(400);
      assertThat(page.body()).contains("id=\"problems\"").contains("&lt;/textarea&gt;&lt;script&gt;").doesNotContain(SCRIPT)
          .doesNotContain("</textarea><script");
      HttpResponse<String> noVersion = root.form("/config", "_csrf=" + root.csrf + "&document=x");
      assertThat(noVersion.statusCode()).isEqualTo(400);
      assertThat(noVersion.body()).contains("version");
      HttpResponse<String> badVersion = root.form("/config", "_csrf=" + root.csrf + "&version=" + java.net.URLEncoder.encode(SCRIPT, "UTF-8") + "&document=x");
      assertThat(badVersion.statusCode()).isEqualTo(400);
      assertThat(badVersion.body()).doesNotContain(SCRIPT);
      assertThat(root.form("/config", "version=" + version + "&document=x").statusCode()).as("without its CSRF token").isEqualTo(403);
      assertThat(f.store.config().orElseThrow().version()).as("nothing stored").isEqualTo(version);
    }
  }

  @Test
  void seriesCalendarAndAccountingParametersAreCheckedAndNeverEchoedRaw() throws Exception {
    try (Fixture f = new Fixture()) {
      Fixture.Client alice = f.client("alice");
      String script = java.net.URLEncoder.encode(SCRIPT, "UTF-8");
      for (String path :
          List.of(
              "/api/v1/series",
              "/api/v1/series?metric=" + "m".repeat(101),
              "/api/v1/series?metric=jobs.idle&from=" + script,
              "/api/v1/series?metric=jobs.idle&from=2030-01-01T00:00:00Z&to=2029-01-01T00:00:00Z",
              "/api/v1/series?metric=jobs.idle&label=" + "x".repeat(300),
              "/api/v1/series?metric=jobs.idle" + "&metric=x".repeat(10),
              "/api/v1/accounting/report?group=atlas&by=" + script + "x".repeat(500),
              "/api/v1/accounting/report?group=" + script,
              "/api/v1/accounting/report?group=atlas&from=" + script)) {
        HttpResponse<String> r = alice.get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isIn(400, 404);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(Problem.CONTENT_TYPE));
        assertThat(r.body()).as(path).doesNotContain(SCRIPT).doesNotContain("Exception").hasSizeLessThan(1_000);
      }
      // a label naming another group, or a script, reads nothing: an empty answer, not an error that tells
      for (String label : List.of("group=belle", "group=" + SCRIPT, SCRIPT)) {
        HttpResponse<String> r = alice.get("/api/v1/series?metric=jobs.idle&label=" + java.net.URLEncoder.encode(label, "UTF-8"));
        assertThat(r.statusCode()).as(label).isIn(200, 400);
        assertThat(r.body()).as(label).doesNotContain("belle\",").doesNotContain(SCRIPT).doesNotContain("\"value\":[11");
      }
      for (String path : List.of("/reservations?from=" + script, "/reservations?days=" + script, "/reservations?days=-1", "/reservations?from=2026-13-40")) {
        HttpResponse<String> r = alice.http.send(alice.request(path).header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(400);
        assertThat(r.body()).as(path).contains("days").doesNotContain(SCRIPT);
      }
    }
  }

  @Test
  void textFromTheEngineAndTheConfigurationIsEscapedOnTheStatusAuditAndConfigPages() throws Exception {
    try (Fixture f = new Fixture()) {
      // a cloud's error text (from a driver: outside text) in the engine's snapshot
      org.csv2.api.ops.GroupStatus s = Fixture.snapshot(Fixture.ATLAS, "cloud-a", Instant.now(), new org.csv2.api.ops.GroupStatus.JobCounts(null, 1, 0, 0, 0), VmState.RUNNING);
      f.store.saveStatus(new org.csv2.api.ops.GroupStatus(s.group(), s.at(), s.engine(), s.configVersion(), s.jobs(), s.clouds(), s.shapes(),
          s.vms(), s.idleJobs(), List.of(SCRIPT)));
      Fixture.Client alice = f.client("alice");
      String status = alice.get("/status").body();
      assertThat(status).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(SCRIPT);
      // a user-data template carrying a script: the audit log and the config editor show it as text
      String etag = alice.get("/api/v1/allocations").headers().firstValue("ETag").orElseThrow();
      HttpRequest evil = alice.request("/api/v1/groups/atlas/user-data/evil.yaml").header("Content-Type", "application/json")
          .header("If-Match", etag).header(Auth.CSRF_HEADER, alice.csrf)
          .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"evil.yaml\",\"priority\":0,\"mimeType\":\"text/cloud-config\",\"template\":\"#cloud-config\\n# " + SCRIPT + "\\n\",\"enabled\":true}"))
          .build();
      HttpResponse<String> put = alice.http.send(evil, HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
      Fixture.Client root = f.client("root");
      for (String page : List.of("/audit", "/config")) {
        String html = root.get(page).body();
        assertThat(html).as(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(SCRIPT);
      }
    }
  }
}

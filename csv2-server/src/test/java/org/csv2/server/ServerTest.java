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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerTest {
  @Test
  void healthAndReadinessAnswerWithoutSigningIn() throws Exception {
    try (Fixture f = new Fixture()) {
      Fixture.Client anon = f.client(null);
      assertThat(anon.get("/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = anon.get("/readyz");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).contains("ready");
    }
  }

  @Test
  void aTakenPortIsNamedInTheError() throws Exception {
    try (Fixture f = new Fixture()) {
      int port = f.server.port();
      Csv2Server second = Csv2Server.builder().store(f.store).port(port).bcryptCost(4).build();
      assertThatThrownBy(second::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + port)
          .hasMessageContaining("already in use");
      second.close();
    }
  }

  @Test
  void aStoreWithoutUsersIsRefusedAtBuild() {
    org.csv2.spi.StateStore bare = new org.csv2.spi.StateStore() {
      @Override public java.util.List<org.csv2.model.Vm> vms() { return java.util.List.of(); }
      @Override public java.util.Optional<org.csv2.model.Vm> vm(org.csv2.model.VmId id) { return java.util.Optional.empty(); }
      @Override public java.util.List<org.csv2.model.Vm> commit(org.csv2.spi.StoreChanges c) { return java.util.List.of(); }
      @Override public java.util.List<org.csv2.model.VmEvent> history(org.csv2.model.VmId id) { return java.util.List.of(); }
      @Override public java.util.List<org.csv2.model.VmEvent> events(java.time.Instant s, int l) { return java.util.List.of(); }
      @Override public java.util.List<org.csv2.model.Sample> samples(String m, java.time.Instant f, java.time.Instant t) { return java.util.List.of(); }
      @Override public java.util.List<org.csv2.model.AccountingRecord> accounting(java.time.Instant f, java.time.Instant t) { return java.util.List.of(); }
      @Override public java.util.Optional<org.csv2.model.StoredConfig> config() { return java.util.Optional.empty(); }
      @Override public org.csv2.model.StoredConfig saveConfig(String d, long v, String b) { throw new UnsupportedOperationException(); }
      @Override public java.util.Optional<org.csv2.model.Lease> tryLease(org.csv2.model.GroupName g, String o, java.time.Instant n, java.time.Duration t) { return java.util.Optional.empty(); }
      @Override public void releaseLease(org.csv2.model.GroupName g, String o) {}
      @Override public java.util.List<org.csv2.model.Lease> leases() { return java.util.List.of(); }
      @Override public void close() {}
    };
    assertThatThrownBy(() -> Csv2Server.builder().store(bare).build())
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("keeps no users");
  }

  @Test
  void servesHttpsFromAKeyStore(@TempDir Path dir) throws Exception {
    Path ks = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "csv2", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", "changeit-1", "-keypass", "changeit-1")
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
    try (Fixture f = new Fixture(b -> b.tls(ks, "changeit-1"))) {
      assertThat(f.server.uri().getScheme()).isEqualTo("https");
      java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(ks)) {
        trust.load(in, "changeit-1".toCharArray());
      }
      javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(ssl).build();
      HttpResponse<String> r =
          client.send(java.net.http.HttpRequest.newBuilder(f.uri("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      HttpResponse<String> login =
          client.send(java.net.http.HttpRequest.newBuilder(f.uri("/login")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(login.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).contains("Secure").contains("HttpOnly").contains("SameSite=Strict"));
    }
  }

  @Test
  void signInSetsAnHttpOnlySameSiteCookieAndTheStatusPageShowsTheFigures() throws Exception {
    try (Fixture f = new Fixture()) {
      Fixture.Client alice = f.client(null);
      HttpResponse<String> login = alice.get("/login");
      String token = Fixture.Client.csrfOf(login.body());
      HttpResponse<String> r = alice.form("/login", "_csrf=" + token + "&name=alice&password=" + Fixture.PASSWORD);
      assertThat(r.statusCode()).isEqualTo(303);
      assertThat(r.headers().allValues("Set-Cookie"))
          .anySatisfy(c -> assertThat(c).startsWith("csv2_session=").contains("HttpOnly").contains("SameSite=Strict"));
      String page = alice.get("/status").body();
      assertThat(page).contains("data-figure=\"jobs.idle:atlas\">7<").contains("data-figure=\"jobs.running:atlas\">3<");
      assertThat(page).contains("data-figure=\"vms:atlas:cloud-a\">3<");
      assertThat(page).doesNotContain("belle").doesNotContain("cloud-b");
    }
  }

  @Test
  void signInIsRateLimited() throws Exception {
    try (Fixture f = new Fixture()) {
      Fixture.Client c = f.client(null);
      String token = Fixture.Client.csrfOf(c.get("/login").body());
      for (int i = 0; i < SignInLimiter.MAX_FAILURES; i++) {
        assertThat(c.form("/login", "_csrf=" + token + "&name=alice&password=wrong-password-" + i).statusCode()).isEqualTo(401);
      }
      HttpResponse<String> limited = c.form("/login", "_csrf=" + token + "&name=alice&password=" + Fixture.PASSWORD);
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.body()).contains("too many failed sign-ins");
    }
  }

  @Test
  void apiTokensAuthenticateTheCommandLine() throws Exception {
    try (Fixture f = new Fixture()) {
      Fixture.Client browser = f.client("alice");
      HttpResponse<String> made = browser.send("POST", "/api/v1/me/tokens", "{\"label\":\"laptop\",\"days\":30}");
      assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
      String token = Http.JSON.readTree(made.body()).get("token").asText();
      Fixture.Client cli = f.client(null);
      cli.bearer = token;
      HttpResponse<String> vms = cli.get("/api/v1/vms");
      assertThat(vms.statusCode()).isEqualTo(200);
      assertThat(Http.JSON.readTree(vms.body())).hasSize(3);
      cli.bearer = token.substring(0, token.length() - 2) + "xx";
      assertThat(cli.get("/api/v1/vms").statusCode()).isEqualTo(401);
      assertThat(f.store.tokens("alice")).singleElement().satisfies(t -> assertThat(t.secretHash()).doesNotContain(token.substring(26)));
    }
  }

  @Test
  void usersHaveVersionsAsETags() throws Exception {
    try (Fixture f = new Fixture()) {
      Fixture.Client root = f.client("root");
      HttpResponse<String> read = root.get("/api/v1/users/alice");
      String etag = read.headers().firstValue("ETag").orElseThrow();
      assertThat(root.send("PUT", "/api/v1/users/alice", "{\"admin\":false,\"groups\":[\"atlas\",\"belle\"]}").statusCode()).isEqualTo(428);
      Fixture.Client put = root;
      HttpResponse<String> ok = put.http.send(
          put.request("/api/v1/users/alice").header("Content-Type", "application/json").header(Auth.CSRF_HEADER, put.csrf).header("If-Match", etag)
              .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"admin\":false,\"groups\":[\"atlas\",\"belle\"]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      assertThat(ok.headers().firstValue("ETag")).contains("\"2\"");
      HttpResponse<String> stale = put.http.send(
          put.request("/api/v1/users/alice").header("Content-Type", "application/json").header(Auth.CSRF_HEADER, put.csrf).header("If-Match", etag)
              .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"admin\":true}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(stale.statusCode()).isEqualTo(412);
      assertThat(stale.headers().firstValue("Content-Type")).contains(Problem.CONTENT_TYPE);
      assertThat(f.store.user("alice").orElseThrow().admin()).isFalse();
    }
  }

  @Test
  void vmListIsPagedByCursorsAndSharedAnswersAnswer304ToTheirETag() throws Exception {
    try (Fixture f = new Fixture()) {
      java.time.Instant now = java.time.Instant.now();
      java.util.List<org.csv2.model.Vm> more = new java.util.ArrayList<>();
      for (int i = 3; i < 12; i++) {
        more.add(Fixture.vm(Fixture.ATLAS, "cloud-a", i, org.csv2.model.VmState.RUNNING, now));
      }
      for (int i = 3; i < 603; i++) {
        more.add(Fixture.vm(Fixture.BELLE, "cloud-b", i, org.csv2.model.VmState.IDLE, now));
      }
      f.store.commit(new org.csv2.spi.StoreChanges(more, java.util.List.of(), java.util.List.of(), java.util.List.of(), java.util.List.of(), java.util.List.of()));
      Fixture.Client alice = f.client("alice");
      // pages of 5 of alice's 12 VMs, by id, each with the link to the next until the last
      java.util.List<String> ids = new java.util.ArrayList<>();
      String path = "/api/v1/vms?group=atlas&limit=5";
      int pages = 0;
      while (path != null) {
        HttpResponse<String> r = alice.get(path);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Http.JSON.readTree(r.body()).forEach(v -> ids.add(v.get("id").asText()));
        pages++;
        path = r.headers().firstValue("Link").map(l -> l.substring(l.indexOf('<') + 1, l.indexOf('>'))).orElse(null);
        assertThat(path == null || path.startsWith("/api/v1/vms?group=atlas&limit=5&cursor=")).as(path).isTrue();
      }
      assertThat(pages).isEqualTo(3);
      assertThat(ids).hasSize(12).doesNotHaveDuplicates().isSorted().allSatisfy(id -> assertThat(id).startsWith("atlas--"));
      // without a limit: the first 500, and a link to the rest
      Fixture.Client root = f.client("root");
      HttpResponse<String> first = root.get("/api/v1/vms?group=belle");
      assertThat(Http.JSON.readTree(first.body())).hasSize(Api.DEFAULT_LIMIT);
      String next = first.headers().firstValue("Link").orElseThrow();
      HttpResponse<String> rest = root.get(next.substring(next.indexOf('<') + 1, next.indexOf('>')));
      assertThat(Http.JSON.readTree(rest.body())).hasSize(603 - Api.DEFAULT_LIMIT);
      assertThat(rest.headers().firstValue("Link")).isEmpty();
      for (String bad : new String[] {"limit=0", "limit=5001", "limit=ten", "cursor=not-a-cursor", "cursor=" + Api.cursorOf(org.csv2.model.VmId.of("x")).substring(2)}) {
        HttpResponse<String> r = root.get("/api/v1/vms?" + bad);
        assertThat(r.statusCode()).as(bad + ": " + r.body()).isEqualTo(400);
        assertThat(r.body()).doesNotContain("not-a-cursor");
      }
      // a cursor is only a place in the order of ids: a member's cursor names no group of another
      HttpResponse<String> across = alice.get("/api/v1/vms?cursor=" + Api.cursorOf(org.csv2.model.VmId.of("a")));
      assertThat(Http.JSON.readTree(across.body())).hasSize(12).allSatisfy(v -> assertThat(v.get("group").asText()).isEqualTo("atlas"));
      // the shared bytes have an ETag: sent back, the answer is 304 without a body; another tag gets the body
      for (String p : new String[] {"/api/v1/status", "/api/v1/vms?group=atlas"}) {
        HttpResponse<String> full = alice.get(p);
        String etag = full.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> same = alice.http.send(alice.request(p).header("If-None-Match", "\"other\", " + etag).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(same.statusCode()).as(p).isEqualTo(304);
        assertThat(same.body()).isEmpty();
        assertThat(same.headers().firstValue("ETag")).contains(etag);
        HttpResponse<String> other = alice.http.send(alice.request(p).header("If-None-Match", "\"other\"").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo(full.body());
      }
    }
  }
}

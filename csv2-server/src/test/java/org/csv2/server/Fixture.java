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

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csv2.api.ops.GroupStatus;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.Sample;
import org.csv2.model.User;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.spi.StoreChanges;

/**
 * A server on an in-memory store with two groups and four users: {@code root} (admin), {@code
 * alice} (member of atlas), {@code bob} (member of belle), {@code eve} (no group). VMs of both
 * groups and job samples are stored.
 */
final class Fixture implements AutoCloseable {
  static final String PASSWORD = "correct-horse-battery";
  static final GroupName ATLAS = GroupName.of("atlas");
  static final GroupName BELLE = GroupName.of("belle");

  static final String CONFIG =
      String.join(
          "\n",
          "groups:",
          "  - name: atlas",
          "  - name: belle",
          "clouds:",
          "  - { name: cloud-a, driver: simulated }",
          "  - { name: cloud-b, driver: simulated }",
          "allocations:",
          "  - { group: atlas, cloud: cloud-a }",
          "  - { group: belle, cloud: cloud-b }",
          "job-source: { driver: simulated }",
          "state-store: { driver: memory }",
          "");

  final InMemoryStateStore store;
  final Csv2Server server;
  final List<Vm> vms = new ArrayList<>();

  Fixture() {
    this(b -> b);
  }

  Fixture(java.util.function.UnaryOperator<Csv2Server.Builder> customize) {
    this(new InMemoryStateStore(Clock.systemUTC()), customize);
  }

  /** The fixture on a store that an engine of the test shares. */
  Fixture(InMemoryStateStore store, java.util.function.UnaryOperator<Csv2Server.Builder> customize) {
    this(store, customize, true);
  }

  /** The fixture's users only, on a store an engine of the test fills (VMs, samples, snapshots). */
  static Fixture usersOnly(InMemoryStateStore store, java.util.function.UnaryOperator<Csv2Server.Builder> customize) {
    return new Fixture(store, customize, false, false);
  }

  Fixture(InMemoryStateStore store, java.util.function.UnaryOperator<Csv2Server.Builder> customize, boolean snapshots) {
    this(store, customize, snapshots, true);
  }

  /** The fixture; without {@code snapshots} no status snapshot is stored (an engine of the test writes its own). */
  private Fixture(InMemoryStateStore store, java.util.function.UnaryOperator<Csv2Server.Builder> customize, boolean snapshots, boolean world) {
    this.store = store;
    Passwords p = new Passwords(4);
    store.saveUser(User.of("root", p.hash(PASSWORD), true, Set.of()), 0);
    store.saveUser(User.of("alice", p.hash(PASSWORD), false, Set.of(ATLAS)), 0);
    store.saveUser(User.of("bob", p.hash(PASSWORD), false, Set.of(BELLE)), 0);
    store.saveUser(User.of("eve", p.hash(PASSWORD), false, Set.of()), 0);
    Instant now = Instant.now();
    if (world) {
      for (int i = 0; i < 3; i++) {
        vms.add(vm(ATLAS, "cloud-a", i, VmState.RUNNING, now));
        vms.add(vm(BELLE, "cloud-b", i, VmState.IDLE, now));
      }
      store.commit(
          new StoreChanges(
              vms,
              List.of(),
              List.of(),
              List.of(),
              List.of(
                  new Sample(now.minusSeconds(60), "jobs.idle", Map.of("group", "atlas"), 7),
                  new Sample(now.minusSeconds(60), "jobs.running", Map.of("group", "atlas"), 3),
                  new Sample(now.minusSeconds(60), "jobs.idle", Map.of("group", "belle"), 11),
                  new Sample(now.minusSeconds(60), "plan.time.ms", Map.of(), 1.5)),
              List.of()));
    }
    if (snapshots) {
      // what an engine holding the groups would have written: the status pages read these
      store.saveStatus(snapshot(ATLAS, "cloud-a", now, new GroupStatus.JobCounts(null, 7, 3, 1, 0), VmState.RUNNING));
      store.saveStatus(snapshot(BELLE, "cloud-b", now, new GroupStatus.JobCounts(null, 11, 0, 0, 2), VmState.IDLE));
    }
    if (store.config().isEmpty()) { // an engine sharing the store saved its own
      store.saveConfig(CONFIG, 0, "fixture");
    }
    server = customize.apply(Csv2Server.builder().store(store).port(0).bcryptCost(4)).build().start();
  }

  /** A group's snapshot: three VMs of 4 cores and 8 GiB in one state on one cloud of quota 40 cores. */
  static GroupStatus snapshot(GroupName group, String cloud, Instant now, GroupStatus.JobCounts jobs, VmState state) {
    GroupStatus.CloudFigures c =
        new GroupStatus.CloudFigures(
            CloudName.of(cloud), true, Map.of(state, 3), new GroupStatus.Usage(40, -1, 12, 2), new GroupStatus.Usage(81920, -1, 24576, 4096),
            List.of(new GroupStatus.FlavorSlots(FlavorName.of("m1.large"), state == VmState.RUNNING ? 12 : 0, state == VmState.RUNNING ? 0 : 12)),
            true, Duration.ofMillis(42), org.csv2.api.BreakerState.CLOSED, null, "");
    return new GroupStatus(group, now.minusSeconds(60), "e1@0", 1, List.of(jobs), List.of(c), List.of(), List.of(), List.of(), List.of());
  }

  static Vm vm(GroupName group, String cloud, int n, VmState state, Instant now) {
    CloudName c = CloudName.of(cloud);
    return Vm.builder(VmId.of(group, c, "t0c0ffee0", String.format("v%04d", n)), group, c, FlavorName.of("m1.large"), now.minusSeconds(600))
        .resources(Resources.of(4, 8192, 20))
        .state(state)
        .reason("fixture")
        .build();
  }

  URI uri(String path) {
    return server.uri().resolve(path);
  }

  /** A client signed in as one of the users (its cookie jar holds the session), or anonymous. */
  Client client(String user) throws IOException, InterruptedException {
    Client c = new Client(this);
    if (user != null) {
      c.signIn(user, PASSWORD);
    }
    return c;
  }

  @Override
  public void close() {
    server.close();
  }

  /** An HTTP client with its own cookies, that knows its session's CSRF token. */
  static final class Client {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    final Fixture fixture;
    final HttpClient http;
    String csrf;
    String bearer;

    Client(Fixture fixture) {
      this.fixture = fixture;
      this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5)).build();
    }

    void signIn(String user, String password) throws IOException, InterruptedException {
      String token = csrfOf(get("/login").body());
      HttpResponse<String> r = form("/login", "_csrf=" + token + "&name=" + user + "&password=" + password + "&next=/status");
      if (r.statusCode() != 303) {
        throw new IllegalStateException("sign-in of " + user + " answered " + r.statusCode() + ": " + r.body());
      }
      csrf = csrfOf(get("/status").body());
    }

    static String csrfOf(String html) {
      Matcher m = CSRF.matcher(html);
      if (!m.find()) {
        throw new IllegalStateException("no CSRF token in the page: " + html);
      }
      return m.group(1);
    }

    HttpRequest.Builder request(String path) {
      HttpRequest.Builder b = HttpRequest.newBuilder(fixture.uri(path)).timeout(Duration.ofSeconds(10));
      if (bearer != null) {
        b.header("Authorization", "Bearer " + bearer);
      }
      return b;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
      HttpRequest.Builder b = request(path).header("Content-Type", "application/json");
      if (csrf != null) {
        b.header(Auth.CSRF_HEADER, csrf);
      }
      return http.send(
          b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> form(String path, String body) throws IOException, InterruptedException {
      return http.send(
          request(path).header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}

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

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.csv2.api.BreakerState;
import org.csv2.api.ops.GroupStatus;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reservation endpoints end to end on one server: alice searches, books, sees the conflict
 * when the capacity is taken, extends and cancels; bob (another group) sees none of it and may not
 * cancel; the usage report comes as JSON and CSV; hostile bodies get 400 naming the field.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReservationApiTest {
  static Fixture f;
  static final Instant START = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(2, ChronoUnit.DAYS);

  @BeforeAll
  static void start() {
    f = new Fixture();
    // what an engine would have written: cloud-a has a quota of 16 cores and 10 VMs, 12 cores held
    // by atlas's 3 VMs; atlas's largest flavors there hold 8 cores or 32,000 MiB
    GroupStatus.CloudFigures a = new GroupStatus.CloudFigures(CloudName.of("cloud-a"), true, Map.of(),
        new GroupStatus.Usage(16, -1, 12, 0), new GroupStatus.Usage(-1, -1, 24576, 0), List.of(), true, null,
        BreakerState.CLOSED, null, "", new GroupStatus.Usage(10, -1, 3, 0),
        List.of(new GroupStatus.FlavorSize(FlavorName.of("m8"), 8, 16000), new GroupStatus.FlavorSize(FlavorName.of("r4"), 4, 32000)));
    f.store.saveStatus(new GroupStatus(Fixture.ATLAS, Instant.now(), "e1@0", 1, List.of(), List.of(a), List.of(),
        List.of(), List.of(), List.of()));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static String body(int cores, int count, Instant s, Instant e) {
    return "{\"cores\":" + cores + ",\"ramMiB\":" + cores * 2000 + ",\"count\":" + count + ",\"start\":\"" + s
        + "\",\"end\":\"" + e + "\"}";
  }

  @Test
  void searchBookConflictExtendCancelAndUsage() throws Exception {
    Fixture.Client alice = f.client("alice");
    Fixture.Client bob = f.client("bob");
    Fixture.Client root = f.client("root");
    Instant end = START.plus(2, ChronoUnit.HOURS);

    HttpResponse<String> search = alice.send("POST", "/api/v1/groups/atlas/reservations/search", body(4, 2, START, end));
    assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
    assertThat(search.body()).contains("\"cloud\":\"cloud-a\"").contains("\"fits\":true");

    HttpResponse<String> booked = alice.send("POST", "/api/v1/groups/atlas/reservations", body(4, 3, START, end));
    assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
    assertThat(booked.body()).contains("\"state\":\"CONFIRMED\"").contains("\"owner\":\"alice\"");
    String location = booked.headers().firstValue("Location").orElseThrow();
    long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));

    HttpResponse<String> refused = alice.send("POST", "/api/v1/groups/atlas/reservations", body(4, 2, START.plusSeconds(3600), end));
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("refused").contains("reservation(s) " + id).contains("12 of 16 cores");

    assertThat(bob.get("/api/v1/reservations/" + id).statusCode()).isEqualTo(404);
    assertThat(bob.get("/api/v1/reservations").body()).doesNotContain("atlas");
    assertThat(alice.get("/api/v1/reservations?group=atlas").body()).contains("\"id\":" + id);
    assertThat(bob.send("POST", "/api/v1/reservations/" + id + "/cancel", null).statusCode()).isEqualTo(404);

    HttpResponse<String> extended = alice.send("POST", "/api/v1/reservations/" + id + "/extend", "{\"end\":\"" + end.plusSeconds(1800) + "\"}");
    assertThat(extended.statusCode()).as(extended.body()).isEqualTo(200);
    assertThat(extended.body()).contains(end.plusSeconds(1800).toString());

    HttpResponse<String> cancelled = root.send("POST", "/api/v1/reservations/" + id + "/cancel", null);
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.body()).contains("\"state\":\"ENDED\"").contains("cancelled by root");

    String range = "&from=" + START.minus(1, ChronoUnit.DAYS) + "&to=" + end.plus(1, ChronoUnit.DAYS);
    HttpResponse<String> json = alice.get("/api/v1/reservations/usage?group=atlas" + range);
    assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
    assertThat(json.body()).contains("\"name\":\"alice\"").contains("\"refused\":1");
    HttpResponse<String> csv = root.get("/api/v1/reservations/usage?format=csv" + range);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(csv.body()).startsWith("by,name,core_hours_reserved").contains("user,alice,");
  }

  @Test
  void aSizeNoFlavorHoldsAndMoreVmsThanTheInstanceQuotaAreRefusedNamingTheCloud() throws Exception {
    Fixture.Client alice = f.client("alice");
    // days after the other tests' windows, so that they never conflict whatever their order
    Instant s = START.plus(9, ChronoUnit.DAYS);
    Instant e = s.plus(1, ChronoUnit.HOURS);
    HttpResponse<String> search = alice.send("POST", "/api/v1/groups/atlas/reservations/search", body(16, 1, s, e));
    assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
    assertThat(search.body()).contains("\"fits\":false").contains("\"free\":[]")
        .contains("no flavor of cloud-a holds one VM of 16 cores and 32000 MiB").contains("m8 (8 cores, 16000 MiB)");

    HttpResponse<String> tooBig = alice.send("POST", "/api/v1/groups/atlas/reservations", body(16, 1, s, e));
    assertThat(tooBig.statusCode()).as(tooBig.body()).isEqualTo(409);
    assertThat(tooBig.body()).contains("no flavor of cloud-a holds one VM of 16 cores and 32000 MiB");

    HttpResponse<String> tooMany = alice.send("POST", "/api/v1/groups/atlas/reservations", body(1, 11, s, e));
    assertThat(tooMany.statusCode()).as("11 VMs > the instance quota of 10, though 11 cores fit in 16: %s", tooMany.body())
        .isEqualTo(409);
    assertThat(tooMany.body()).contains("of 10 VMs for reservations on cloud-a").contains("11 more asked");
    HttpResponse<String> ten = alice.send("POST", "/api/v1/groups/atlas/reservations", body(1, 10, s, e));
    assertThat(ten.statusCode()).as(ten.body()).isEqualTo(201);
    String location = ten.headers().firstValue("Location").orElseThrow();
    assertThat(alice.send("POST", location.substring(location.indexOf("/api/")) + "/cancel", null).statusCode()).isEqualTo(200);
  }

  @Test
  void theDefaultPeriodCountsBookingsAheadAndACancelledOneReservesNothing() throws Exception {
    Fixture.Client alice = f.client("alice");
    // days after the other test's window, so the two never conflict whatever their order
    Instant s = START.plus(5, ChronoUnit.DAYS);
    Instant e = s.plus(1, ChronoUnit.HOURS);
    HttpResponse<String> booked = alice.send("POST", "/api/v1/groups/atlas/reservations", body(4, 1, s, e));
    assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
    String location = booked.headers().firstValue("Location").orElseThrow();
    long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));

    HttpResponse<String> byDefault = alice.get("/api/v1/reservations/usage?group=atlas");
    assertThat(byDefault.statusCode()).as(byDefault.body()).isEqualTo(200);
    assertThat(byDefault.body()).as("a booking ahead is in the default period").contains("\"name\":\"alice\"");

    String window = "&from=" + s + "&to=" + e + "&format=csv";
    assertThat(alice.get("/api/v1/reservations/usage?group=atlas" + window).body()).contains("user,alice,4.00,");
    HttpResponse<String> cancelled = alice.send("POST", "/api/v1/reservations/" + id + "/cancel", null);
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
    assertThat(alice.get("/api/v1/reservations/usage?group=atlas" + window).body())
        .as("cancelled before its start: nothing was reserved").contains("user,alice,0.00,");
  }

  @Test
  void hostileBodiesAreRefusedNamingTheField() throws Exception {
    Fixture.Client alice = f.client("alice");
    Instant end = START.plus(1, ChronoUnit.HOURS);
    String[][] cases = {
      {"{\"cores\":4,\"ramMiB\":8000,\"count\":1,\"start\":\"" + START + "\",\"end\":\"" + end + "\",\"owner\":\"root\"}", "owner"},
      {"{\"cores\":4,\"ramMiB\":8000,\"count\":-1,\"start\":\"" + START + "\",\"end\":\"" + end + "\"}", "count"},
      {"{\"cores\":4,\"ramMiB\":8000,\"count\":1,\"start\":\"yesterday\",\"end\":\"" + end + "\"}", "start"},
      {"{\"cores\":4,\"ramMiB\":8000,\"count\":1,\"start\":\"" + START + "\",\"end\":\"" + end + "\",\"image\":\""
          + "x".repeat(5000) + "\"}", "image"},
      {"{\"cores\":4,\"ramMiB\":8000,\"count\":1,\"start\":\"" + START + "\",\"end\":\"" + end
          + "\",\"sshKey\":\"ssh-ed25519 AAAA\\nrm -rf /\"}", "SSH key"},
      {"{\"cores\":0,\"ramMiB\":0,\"count\":1,\"start\":\"" + START + "\",\"end\":\"" + end + "\"}", "cores"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = alice.send("POST", "/api/v1/groups/atlas/reservations", c[0]);
      assertThat(r.statusCode()).as("%s: %s", c[1], r.body()).isIn(400, 409);
      assertThat(r.body()).as(c[1]).containsIgnoringCase(c[1].split(" ")[0]).doesNotContain("<script");
    }
    HttpResponse<String> script = alice.send("POST", "/api/v1/groups/atlas/reservations",
        "{\"cores\":4,\"ramMiB\":8000,\"count\":1,\"start\":\"" + START + "\",\"end\":\"" + end
            + "\",\"cloud\":\"<script>alert(1)</script>\"}");
    assertThat(script.statusCode()).isEqualTo(400);
    assertThat(alice.get("/api/v1/reservations/99999999999999999999").statusCode()).isEqualTo(404);
    assertThat(alice.get("/api/v1/reservations?from=not-a-time").statusCode()).isEqualTo(400);
  }
}

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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.VmId;
import org.csv2.model.VmUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /api/v1/accounting}, {@code /api/v1/images} and {@code /api/v1/keypairs} end to end on one
 * server: who may read which report, JSON and CSV, the APEL export refused without its settings,
 * transfers asked and cancelled, key pairs kept and forgotten, each refusal a problem document.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AccountingImageApiTest {
  static Fixture f;
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  static VmUsage usage(String vm, GroupName g, String cloud, int cores, int hoursAgo) {
    Instant start = NOW.minus(hoursAgo, ChronoUnit.HOURS);
    return new VmUsage(VmId.of(vm), vm, g, CloudName.of(cloud), FlavorName.of("c" + cores), "alma9", cores, 8000, 40, start,
        start.plus(2, ChronoUnit.HOURS), 0, null, 0, false, Set.of("prod"), Map.of(), 0.5, NOW);
  }

  @BeforeAll
  static void start() {
    f = new Fixture();
    f.store.saveUsage(List.of(usage("u-a1", Fixture.ATLAS, "cloud-a", 4, 10), usage("u-a2", Fixture.ATLAS, "cloud-a", 8, 5),
        usage("u-b1", Fixture.BELLE, "cloud-b", 2, 3)));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void usageReportsAsJsonAndCsvToWhoMaySeeThem() throws Exception {
    Fixture.Client alice = f.client("alice");
    Fixture.Client root = f.client("root");
    HttpResponse<String> mine = alice.get("/api/v1/accounting/report?group=atlas&by=group,cloud");
    assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
    assertThat(mine.body()).contains("\"key\":[\"atlas\",\"cloud-a\"]").contains("\"vms\":2").contains("\"coreHours\":24.0")
        .doesNotContain("belle");
    assertThat(alice.get("/api/v1/accounting/report?group=belle").statusCode()).as("another group is not even named to her").isEqualTo(404);
    assertThat(alice.get("/api/v1/accounting/report").statusCode()).as("every group's report").isEqualTo(403);
    HttpResponse<String> csv = root.get("/api/v1/accounting/report?by=group&format=csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
    assertThat(csv.body()).isEqualTo("group,vms,wall_hours,core_hours,cpu_hours,cost\r\n"
        + "atlas,2,4.000,24.000,24.000,2.00\r\nbelle,1,2.000,4.000,4.000,1.00\r\n");
    HttpResponse<String> bad = root.get("/api/v1/accounting/report?by=vo");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
    assertThat(bad.body()).contains("by: 'vo' is not a report dimension");
    assertThat(root.get("/api/v1/accounting/report?from=2030-01-01T00:00:00Z&to=2029-01-01T00:00:00Z").statusCode())
        .as("an empty period").isEqualTo(409);
    assertThat(root.get("/api/v1/accounting/report?from=yesterday").body()).contains("from: an ISO-8601 instant");
  }

  @Test
  void theApelExportIsForAdminsAndRefusedWithoutItsSettings() throws Exception {
    Fixture.Client alice = f.client("alice");
    Fixture.Client root = f.client("root");
    assertThat(alice.get("/api/v1/accounting/apel").statusCode()).isEqualTo(403);
    assertThat(alice.send("POST", "/api/v1/accounting/apel", "").statusCode()).isEqualTo(403);
    HttpResponse<String> status = root.get("/api/v1/accounting/apel");
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body()).contains("\"configured\":false");
    HttpResponse<String> run = root.send("POST", "/api/v1/accounting/apel", "{}");
    assertThat(run.statusCode()).isEqualTo(409);
    assertThat(run.body()).contains("accounting.site-name and accounting.outgoing");
  }

  @Test
  void theMatrixShowsEachCallerTheCloudsOfTheirGroupsOnly() throws Exception {
    java.time.Instant now = java.time.Instant.parse("2026-12-05T10:00:00Z");
    org.csv2.model.CloudName a = org.csv2.model.CloudName.of("cloud-a");
    org.csv2.model.CloudName b = org.csv2.model.CloudName.of("cloud-b");
    f.store.saveCloudImages(a, List.of(new org.csv2.model.Image("ia-1", "alma9")), now);
    f.store.saveCloudImages(b, List.of(new org.csv2.model.Image("ib-1", "alma9"), new org.csv2.model.Image("ib-2", "belle-only")), now);
    f.store.saveCloudImage(new org.csv2.api.ops.CloudImage(a, "ia-1", "alma9", "c".repeat(64), 2_147_483_648L, now));
    Fixture.Client alice = f.client("alice");
    Fixture.Client bob = f.client("bob");
    Fixture.Client root = f.client("root");
    HttpResponse<String> hers = alice.get("/api/v1/images");
    assertThat(hers.statusCode()).isEqualTo(200);
    assertThat(hers.body()).contains("\"cloud\":\"cloud-a\"", "\"alma9\"", "\"sha256\":\"" + "c".repeat(64), "2147483648")
        .doesNotContain("cloud-b", "belle", "ib-1");
    assertThat(bob.get("/api/v1/images").body()).contains("cloud-b", "belle-only").doesNotContain("cloud-a", "atlas", "ia-1");
    assertThat(root.get("/api/v1/images").body()).contains("cloud-a", "cloud-b", "belle-only");
    assertThat(alice.get("/api/v1/images?group=belle").statusCode()).as("another group is not even named to her").isEqualTo(404);
    assertThat(root.get("/api/v1/images?group=belle").body()).contains("cloud-b").doesNotContain("cloud-a");

    assertThat(alice.send("POST", "/api/v1/images/deletes", "{\"cloud\":\"cloud-a\",\"image\":\"alma9\"}").statusCode()).isEqualTo(403);
    HttpResponse<String> del = root.send("POST", "/api/v1/images/deletes", "{\"cloud\":\"cloud-b\",\"image\":\"belle-only\"}");
    assertThat(del.statusCode()).as(del.body()).isEqualTo(202);
    assertThat(del.body()).contains("\"kind\":\"DELETE_IMAGE\"", "\"imageId\":\"ib-2\"", "\"state\":\"PENDING\"");
    assertThat(root.send("POST", "/api/v1/images/deletes", "{\"cloud\":\"cloud-b\",\"image\":\"belle-only\"}").statusCode())
        .as("already being deleted").isEqualTo(409);
    assertThat(root.send("POST", "/api/v1/images/deletes", "{\"cloud\":\"cloud-b\",\"image\":\"nope\"}").statusCode()).isEqualTo(404);
    assertThat(alice.get("/api/v1/images/actions").body()).as("not on her clouds").isEqualTo("[]");
    assertThat(bob.get("/api/v1/images/actions").body()).contains("belle-only");

    String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKr9GPBxDqyWuGrx46vnUH/HZZwcxDOQ7MWbu/6BqJsS ops@site";
    assertThat(root.send("POST", "/api/v1/keypairs", "{\"name\":\"ops\",\"publicKey\":\"" + key + "\"}").statusCode()).isEqualTo(201);
    HttpResponse<String> copy = root.send("POST", "/api/v1/keypairs/ops/copy", "{\"group\":\"atlas\"}");
    assertThat(copy.statusCode()).as(copy.body()).isEqualTo(202);
    assertThat(copy.body()).contains("\"kind\":\"IMPORT_KEY_PAIR\"", "\"cloud\":\"cloud-a\"").doesNotContain("cloud-b");
    assertThat(root.send("POST", "/api/v1/keypairs/ops/copy", "{\"group\":\"atlas\",\"clouds\":[\"cloud-b\"]}").statusCode())
        .as("not a cloud of the group").isEqualTo(404);
    assertThat(alice.get("/api/v1/images/actions?active=true").body()).contains("IMPORT_KEY_PAIR").doesNotContain("belle-only");
  }

  @Test
  void transfersAndKeyPairs() throws Exception {
    Fixture.Client alice = f.client("alice");
    Fixture.Client root = f.client("root");
    String ask = "{\"image\":\"alma9\",\"sourceCloud\":\"cloud-a\",\"sourceImageId\":\"img-1\",\"target\":\"cloud-b\"}";
    assertThat(alice.send("POST", "/api/v1/images/transfers", ask).statusCode()).isEqualTo(403);
    HttpResponse<String> asked = root.send("POST", "/api/v1/images/transfers", ask);
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
    assertThat(asked.body()).contains("\"state\":\"PENDING\"").contains("\"requestedBy\":\"root\"");
    String location = asked.headers().firstValue("Location").orElseThrow();
    assertThat(root.send("POST", "/api/v1/images/transfers", ask).statusCode()).as("already on its way").isEqualTo(409);
    HttpResponse<String> unknown = root.send("POST", "/api/v1/images/transfers", ask.replace("cloud-b", "cloud-z"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("target cloud cloud-z is not configured");
    assertThat(root.send("POST", "/api/v1/images/transfers", "{\"image\":\"x\",\"target\":\"cloud-b\"}").body())
        .contains("sourceCloud (or sourceUrl) is required");
    assertThat(root.get("/api/v1/images/transfers?active=true").body()).contains("\"image\":\"alma9\"");
    // a member sees the transfers whose clouds are all their groups': alma9 goes to belle's cloud-b
    assertThat(alice.get("/api/v1/images/transfers?active=true").body()).doesNotContain("alma9").doesNotContain("cloud-b");
    assertThat(alice.get(location).statusCode()).isEqualTo(404);
    assertThat(f.client("bob").get(location).statusCode()).as("from atlas's cloud-a").isEqualTo(404);
    HttpResponse<String> toA = root.send("POST", "/api/v1/images/transfers",
        "{\"image\":\"alma9\",\"sourceUrl\":\"https://images.example/alma9.qcow2\",\"target\":\"cloud-a\"}");
    assertThat(toA.statusCode()).as(toA.body()).isEqualTo(201);
    assertThat(alice.get("/api/v1/images/transfers").body()).contains("\"target\":\"cloud-a\"").doesNotContain("cloud-b");
    assertThat(alice.get(toA.headers().firstValue("Location").orElseThrow()).statusCode()).isEqualTo(200);
    assertThat(f.client("bob").get("/api/v1/images/transfers").body()).as("both transfers name atlas's cloud-a").isEqualTo("[]");
    assertThat(alice.send("POST", location + "/cancel", "").statusCode()).isEqualTo(403);
    assertThat(root.send("POST", location + "/cancel", "").body()).contains("\"state\":\"CANCELLED\"");
    assertThat(root.send("POST", location + "/cancel", "").statusCode()).as("over").isEqualTo(409);
    assertThat(root.get("/api/v1/images/transfers/999999").statusCode()).isEqualTo(404);
    assertThat(root.get("/api/v1/images/replication").body()).isEqualTo("[]");

    String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKr9GPBxDqyWuGrx46vnUH/HZZwcxDOQ7MWbu/6BqJsS ops@site";
    String body = "{\"name\":\"ops\",\"publicKey\":\"" + key + "\"}";
    assertThat(alice.send("POST", "/api/v1/keypairs", body).statusCode()).isEqualTo(403);
    HttpResponse<String> kept = root.send("POST", "/api/v1/keypairs", body);
    assertThat(kept.statusCode()).as(kept.body()).isEqualTo(201);
    assertThat(kept.body()).contains("\"fingerprint\":\"SHA256:UOCkDnTqUfIKYzXY9+b5uV2GeV20OOaG533eu1akP2U\""); // as ssh-keygen -lf prints it
    assertThat(root.send("POST", "/api/v1/keypairs", "{\"name\":\"bad\",\"publicKey\":\"x\"}").body()).contains("key pair bad");
    // a member sees the key pairs their groups name (key-name), nothing else
    assertThat(alice.get("/api/v1/keypairs").body()).isEqualTo("[]");
    long version = f.store.config().orElseThrow().version();
    f.store.saveConfig(Fixture.CONFIG.replace("  - name: atlas\n", "  - name: atlas\n    vm-defaults: { key-name: ops }\n"), version, "test");
    assertThat(alice.get("/api/v1/keypairs").body()).contains("\"name\":\"ops\"");
    assertThat(f.client("bob").get("/api/v1/keypairs").body()).isEqualTo("[]");
    assertThat(root.get("/api/v1/keypairs").body()).contains("\"name\":\"ops\"");
    assertThat(alice.send("DELETE", "/api/v1/keypairs/ops", "").statusCode()).isEqualTo(403);
    assertThat(root.send("DELETE", "/api/v1/keypairs/ops", "").statusCode()).isEqualTo(204);
    assertThat(root.send("DELETE", "/api/v1/keypairs/ops", "").statusCode()).isEqualTo(404);
  }
}

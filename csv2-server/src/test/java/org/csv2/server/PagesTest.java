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
import java.util.concurrent.TimeUnit;
import org.csv2.api.ops.IntentKind;
import org.csv2.model.GroupName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PagesTest {
  @Test
  void theVmPageShowsTheListAPageAtATimeWithLinksToTheRest() throws Exception {
    try (Fixture f = new Fixture()) {
      java.time.Instant now = java.time.Instant.now();
      java.util.List<org.csv2.model.Vm> more = new java.util.ArrayList<>();
      for (int i = 3; i < 3 + Api.DEFAULT_LIMIT; i++) {
        more.add(Fixture.vm(Fixture.ATLAS, "cloud-a", i, org.csv2.model.VmState.RUNNING, now));
      }
      f.store.commit(new org.csv2.spi.StoreChanges(more, java.util.List.of(), java.util.List.of(), java.util.List.of(), java.util.List.of(), java.util.List.of()));
      Fixture.Client alice = f.client("alice");
      String first = alice.get("/vms?group=atlas").body();
      int total = 3 + Api.DEFAULT_LIMIT;
      assertThat(first).contains(total + " VMs, 1 to " + Api.DEFAULT_LIMIT + " shown").contains("id=\"vms-next\"").doesNotContain("id=\"vms-previous\"")
          .contains("atlas--cloud-a--t0c0ffee0--v0000").doesNotContain(String.format("v%04d<", total - 1));
      String second = alice.get("/vms?group=atlas&sort=id&from=" + Api.DEFAULT_LIMIT).body();
      assertThat(second).contains((Api.DEFAULT_LIMIT + 1) + " to " + total + " shown").contains("id=\"vms-previous\"").doesNotContain("id=\"vms-next\"")
          .contains(String.format("atlas--cloud-a--t0c0ffee0--v%04d", total - 1)).doesNotContain("atlas--cloud-a--t0c0ffee0--v0000<");
      assertThat(alice.get("/vms?from=999999").body()).as("past the end: the last page").contains("to " + total + " shown");
    }
  }

  @Test
  void bulkRetireStoresOneIntentPerVmAndNeedsTheConfirmation() throws Exception {
    try (Fixture f = new Fixture()) {
      Fixture.Client alice = f.client("alice");
      String a0 = "atlas--cloud-a--t0c0ffee0--v0000";
      String a1 = "atlas--cloud-a--t0c0ffee0--v0001";
      String b0 = "belle--cloud-b--t0c0ffee0--v0000";
      HttpResponse<String> unconfirmed = alice.form("/vms/action", "_csrf=" + alice.csrf + "&vm=" + a0 + "&action=retire");
      assertThat(unconfirmed.statusCode()).isEqualTo(400);
      assertThat(unconfirmed.body()).contains("I confirm");
      HttpResponse<String> done = alice.form("/vms/action", "_csrf=" + alice.csrf + "&vm=" + a0 + "&vm=" + a1 + "&vm=" + b0 + "&action=retire&confirm=yes");
      assertThat(done.statusCode()).isEqualTo(200);
      assertThat(done.body()).contains("retire requested").contains("not found").doesNotContain("belle--cloud-b--t0c0ffee0--v0000</td><td>retire");
      assertThat(f.store.pendingIntents(java.util.List.of(Fixture.ATLAS, Fixture.BELLE))).extracting(i -> i.vm().value()).containsExactlyInAnyOrder(a0, a1);
      assertThat(f.store.pendingIntents(java.util.List.of(Fixture.ATLAS, Fixture.BELLE))).allSatisfy(i -> {
        assertThat(i.kind()).isEqualTo(IntentKind.RETIRE);
        assertThat(i.actor().name()).isEqualTo("alice");
      });
    }
  }

  @Test
  void aBadCoreControlIsShownInlineAndAGoodOneIsSavedAndAudited() throws Exception {
    try (Fixture f = new Fixture()) {
      Fixture.Client alice = f.client("alice");
      String page = alice.get("/clouds").body();
      assertThat(page).contains("cloud-a").doesNotContain("cloud-b");
      String version = page.replaceAll("(?s).*name=\"version\" value=\"(\\d+)\".*", "$1");
      HttpResponse<String> bad = alice.form("/clouds/atlas/cloud-a/controls", "_csrf=" + alice.csrf + "&version=" + version + "&coresCtl=lots&excluded=");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("class=\"field-error\"").contains("&#39;lots&#39; is not a whole number").contains("value=\"lots\"");
      HttpResponse<String> good = alice.form("/clouds/atlas/cloud-a/controls", "_csrf=" + alice.csrf + "&version=" + version + "&coresCtl=24&excluded=m1.small");
      assertThat(good.statusCode()).as(good.body()).isEqualTo(303);
      assertThat(alice.get("/clouds").body()).contains("value=\"24\"").contains("value=\"m1.small\"");
      Fixture.Client root = f.client("root");
      assertThat(root.get("/audit").body()).contains("alice (member)");
      assertThat(alice.get("/audit").statusCode()).isEqualTo(403);
    }
  }

  @Test
  void metricsShowTheStateByGroupCloudAndStateAndTheJvm() throws Exception {
    try (Fixture f = new Fixture()) {
      Fixture.Client root = f.client("root");
      String text = root.get("/metrics").body();
      assertThat(text).contains("csv2_vms{cloud=\"cloud-a\",group=\"atlas\",state=\"running\"} 3.0");
      assertThat(text).contains("csv2_jobs{group=\"atlas\",state=\"idle\"} 7.0");
      assertThat(text).contains("csv2_cloud_cores{cloud=\"cloud-b\",kind=\"used\"} 12.0");
      assertThat(text).contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void theEnginesOwnFiguresReachMetrics() throws Exception {
    String yaml =
        """
        engine: { instance-id: m1 }
        timers: { cycle: 30s }
        groups:
          - { name: cms, vm-defaults: { image: centos7 } }
        clouds:
          - name: cloud-m
            driver: simulated
            config:
              quota: { cores: 40 }
              foreign-usage: { cores: 6, ram-mib: 12000 }
              boot-delay: { min: 10s, max: 10s }
              flavors:
                - { name: s1, cores: 1, ram-mib: 4000, disk-gib: 10 }
        allocations:
          - { group: cms, cloud: cloud-m }
        job-source: { driver: simulated, config: { register-delay: 10s } }
        state-store: { driver: shared-memory }
        """;
    org.csv2.core.store.InMemoryStateStore store = new org.csv2.core.store.InMemoryStateStore(java.time.Clock.systemUTC());
    org.csv2.core.sim.VirtualClock clock = new org.csv2.core.sim.VirtualClock();
    org.csv2.core.sim.SimulatedWorld world = new org.csv2.core.sim.SimulatedWorld(clock, 3);
    MicrometerMetricsSink sink = MicrometerMetricsSink.prometheus();
    org.csv2.spi.StateStoreProvider shared =
        new org.csv2.spi.StateStoreProvider() {
          @Override
          public String name() {
            return "shared-memory";
          }

          @Override
          public org.csv2.spi.StateStore create(org.csv2.spi.PluginConfig config, org.csv2.spi.PluginContext context) {
            return store;
          }
        };
    try (org.csv2.api.Scheduler engine =
        org.csv2.core.Csv2Scheduler.builder()
            .configYaml(yaml)
            .clock(clock)
            .executor(new org.csv2.core.sim.CallingThreadExecutor())
            .addCloudDriverProvider(world.cloudProvider())
            .addJobSourceProvider(world.jobSourceProvider())
            .addStateStoreProvider(shared)
            .metrics(sink)
            .build()) {
      engine.runOnce(); // saves the engine's configuration in the shared store
      GroupName cms = GroupName.of("cms");
      for (int i = 0; i < 2; i++) {
        world.pool().submit(cms, "u1", org.csv2.model.Resources.of(1, 2000, 5), java.time.Duration.ofHours(1), 0);
      }
      try (Fixture f = new Fixture(store, b -> b.scheduler(engine).engineMetrics(sink))) {
        for (int i = 0; i < 3; i++) {
          clock.advance(java.time.Duration.ofSeconds(30));
          engine.runOnce();
        }
        String text = f.client("root").get("/metrics").body();
        assertThat(text)
            .contains("csv2_cycle_duration_seconds_count{instance=\"m1\"} 4")
            .contains("csv2_cycle_duration_seconds_bucket{instance=\"m1\",le=")
            .contains("csv2_cloud_calls_total{cloud=\"cloud-m\",instance=\"m1\",outcome=\"ok\",verb=\"instances\"} 4")
            .contains("csv2_cloud_calls_total{cloud=\"cloud-m\",instance=\"m1\",outcome=\"ok\",verb=\"boot\"}")
            .contains("csv2_cloud_call_duration_seconds_count{cloud=\"cloud-m\",instance=\"m1\",outcome=\"ok\",verb=\"capacity\"} 4")
            .contains("csv2_job_source_calls_total{instance=\"m1\",outcome=\"ok\",source=\"default\",verb=\"snapshot\"} 4")
            .contains("csv2_cloud_cores{cloud=\"cloud-m\",kind=\"foreign\"} 6.0")
            .contains("csv2_cloud_ram_mebibytes{cloud=\"cloud-m\",kind=\"foreign\"} 12000.0")
            .contains("csv2_vm_boots_total 2.0");
        // the shared answers follow the engine's cycles: a cycle's end is seen at once
        Fixture.Client root = f.client("root");
        long before = Http.JSON.readTree(root.get("/api/v1/status").body()).path("cycles").asLong();
        clock.advance(java.time.Duration.ofSeconds(30));
        engine.runOnce();
        assertThat(Http.JSON.readTree(root.get("/api/v1/status").body()).path("cycles").asLong()).isEqualTo(before + 1);
      }
    }
  }

  @Test
  void theConfigurationEditorSavesRefusesAStaleVersionAndListsEveryProblem() throws Exception {
    try (Fixture f = new Fixture()) {
      Fixture.Client root = f.client("root");
      String page = root.get("/config").body();
      assertThat(page).contains("cloud-a").contains("name=\"version\"");
      long version = f.store.config().orElseThrow().version();
      String enc = java.net.URLEncoder.encode(Fixture.CONFIG, java.nio.charset.StandardCharsets.UTF_8);
      HttpResponse<String> saved = root.form("/config", "_csrf=" + root.csrf + "&version=" + version + "&document=" + enc);
      assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
      assertThat(f.store.config().orElseThrow().version()).isGreaterThan(version);
      // the same version again: somebody saved since, so this one is refused and the text kept
      HttpResponse<String> stale = root.form("/config", "_csrf=" + root.csrf + "&version=" + version + "&document=" + enc);
      assertThat(stale.statusCode()).isEqualTo(409);
      assertThat(stale.body()).contains("Somebody saved the configuration since you read version " + version).contains("Stored now");
      // two problems at once: an allocation on an unknown cloud and an unknown key
      long now = f.store.config().orElseThrow().version();
      String bad = java.net.URLEncoder.encode(Fixture.CONFIG.replace("allocations:\n", "allocations:\n  - { group: atlas, cloud: cloud-z }\n") + "bogus-key: 1\n", java.nio.charset.StandardCharsets.UTF_8);
      HttpResponse<String> invalid = root.form("/config", "_csrf=" + root.csrf + "&version=" + now + "&document=" + bad);
      assertThat(invalid.statusCode()).isEqualTo(400);
      assertThat(invalid.body()).contains("cloud-z").contains("bogus-key").contains("nothing was saved");
      assertThat(f.store.config().orElseThrow().version()).isEqualTo(now);
      assertThat(f.client("alice").get("/config").statusCode()).isEqualTo(403);
      assertThat(root.get("/audit").body()).contains("configuration edit");
    }
  }

  @Test
  void theReservationCalendarShowsABookingOnItsCloudWithoutScript() throws Exception {
    try (Fixture f = new Fixture()) {
      Fixture.Client alice = f.client("alice");
      HttpResponse<String> booked = alice.send("POST", "/api/v1/groups/atlas/reservations",
          "{\"cores\":4,\"ramMiB\":8000,\"count\":2,\"start\":\"2099-01-01T10:00:00Z\",\"end\":\"2099-01-01T12:00:00Z\"}");
      assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
      String page = alice.get("/reservations?from=2099-01-01&days=1").body();
      assertThat(page).contains("href=\"/reservations\"").contains("alice · 2×4 cores · confirmed").doesNotContain("<script");
      // 1-hour slots: the bar spans 10:00 to 12:00, and the cores row holds 8 in those two slots
      assertThat(page).contains("colspan=\"10\" class=\"gap\"").contains("colspan=\"2\" class=\"bar r-confirmed\"");
      assertThat(page).contains("<td class=\"num peak\">8</td>");
      assertThat(f.client("bob").get("/reservations?from=2099-01-01&days=1").body()).doesNotContain("alice").contains("No reservations");
      assertThat(alice.get("/reservations?days=99").statusCode()).isEqualTo(400);
    }
  }
}

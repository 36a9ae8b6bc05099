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
package org.csv2.core.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.core.config.AccountingSettings;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.VmId;
import org.csv2.model.VmUsage;
import org.junit.jupiter.api.Test;

class ApelRecordsTest {
  private static final AccountingSettings SETTINGS =
      new AccountingSettings("CA-TEST", "", Path.of("/tmp/x"), null,
          Map.of(FlavorName.of("c8"), new AccountingSettings.Benchmark("HEPSPEC", 10.5)),
          Map.of(GroupName.of("atlas"), new AccountingSettings.GroupIdentity("/atlas/Role=production", "/CN=pilot")));

  private static VmUsage usage(Instant start, Instant end) {
    return new VmUsage(VmId.of("vm1"), "6f1c0a8e-0000-3000-8000-000000000001", GroupName.of("atlas"), CloudName.of("arbutus"),
        FlavorName.of("c8"), "alma9", 8, 16000, 80, start, end, 0, null, 86_400 * 4.0, true, Set.of("alice\nX: injected"), Map.of(), 0, start);
  }

  @Test
  void aVmAcrossAMonthBoundaryHasOneRecordPerMonthAndCompletesInItsLast() {
    Instant start = Instant.parse("2026-11-30T12:00:00Z");
    Instant end = Instant.parse("2026-12-01T12:00:00Z");
    List<ApelRecords.Entry> r = ApelRecords.records(List.of(usage(start, end)), SETTINGS, Map.of(CloudName.of("arbutus"), "openstack"),
        Instant.parse("2026-12-04T00:00:00Z"));
    assertThat(r).hasSize(2);
    Map<String, String> nov = r.get(0).fields();
    assertThat(nov).containsEntry("Status", "started").containsEntry("WallDuration", "43199")
        .containsEntry("RecordCreateTime", Long.toString(Instant.parse("2026-11-30T23:59:59Z").getEpochSecond()))
        .containsEntry("FQAN", "/atlas/Role=production").containsEntry("GlobalUserName", "/CN=pilot")
        .containsEntry("BenchmarkType", "HEPSPEC").containsEntry("Benchmark", "10.500").containsEntry("CloudType", "openstack")
        .containsEntry("LocalUserId", "aliceX: injected").doesNotContainKey("EndTime");
    Map<String, String> dec = r.get(1).fields();
    assertThat(dec).containsEntry("Status", "completed").containsEntry("WallDuration", "86400").containsEntry("CpuDuration", "345600")
        .containsEntry("EndTime", Long.toString(end.getEpochSecond()));
    assertThat(r.get(0).key()).endsWith("/2026-11");
    String message = ApelRecords.message(ApelRecords.CLOUD_HEADER, r);
    assertThat(message).startsWith("APEL-cloud-message: v0.4\nRecordCreateTime: ").contains("\n%%\n").doesNotContain("\nX: injected");

    List<ApelRecords.Entry> s = ApelRecords.summaries(List.of(usage(start, end)), SETTINGS, Map.of(), Set.of(YearMonth.of(2026, 12)),
        Instant.parse("2026-12-04T00:00:00Z"));
    assertThat(s).hasSize(1);
    assertThat(s.get(0).fields()).containsEntry("Month", "12").containsEntry("VO", "atlas").containsEntry("VOGroup", "/atlas")
        .containsEntry("VORole", "Role=production").containsEntry("WallDuration", Long.toString(86400 - 43199))
        .containsEntry("NumberOfVMs", "1");
  }

  @Test
  void fingerprintsIgnoreTheCreationTimeButNotTheFigures() {
    Instant start = Instant.parse("2026-12-01T00:00:00Z");
    VmUsage ended = usage(start, start.plusSeconds(3600));
    var a = ApelRecords.records(List.of(ended), SETTINGS, Map.of(), Instant.parse("2026-12-02T00:00:00Z")).get(0);
    var b = ApelRecords.records(List.of(ended), SETTINGS, Map.of(), Instant.parse("2026-12-03T00:00:00Z")).get(0);
    assertThat(a.fingerprint()).as("a finished VM's record does not change").isEqualTo(b.fingerprint());
    VmUsage running = usage(start, null);
    var c = ApelRecords.records(List.of(running), SETTINGS, Map.of(), Instant.parse("2026-12-02T00:00:00Z")).get(0);
    var d = ApelRecords.records(List.of(running), SETTINGS, Map.of(), Instant.parse("2026-12-03T00:00:00Z")).get(0);
    assertThat(c.fingerprint()).as("a running VM's figures grow").isNotEqualTo(d.fingerprint());
    assertThat(c.key()).isEqualTo(d.key());
  }

  @Test
  void eachGroupAndFlavorIsReportedAsConfiguredOrByDefaultAndSuspensionApart() {
    Instant start = Instant.parse("2026-12-01T00:00:00Z");
    Instant end = start.plusSeconds(7200);
    // atlas/c8: configured; dune/m1: neither a group identity nor a benchmark; 30 minutes suspended
    VmUsage dune = new VmUsage(VmId.of("vm2"), "6f1c0a8e-0000-3000-8000-000000000002", GroupName.of("dune"), CloudName.of("cern"),
        FlavorName.of("m1"), "", 2, 4000, 20, start, end, 1800, null, 0, false, Set.of(), Map.of(), 0, end);
    List<ApelRecords.Entry> r = ApelRecords.records(List.of(usage(start, end), dune), SETTINGS, Map.of(CloudName.of("arbutus"), "openstack"),
        Instant.parse("2026-12-04T00:00:00Z"));
    assertThat(r).hasSize(2);
    Map<String, String> atlas = r.stream().filter(e -> e.fields().get("LocalGroupId").equals("atlas")).findFirst().orElseThrow().fields();
    assertThat(atlas).containsEntry("FQAN", "/atlas/Role=production").containsEntry("GlobalUserName", "/CN=pilot")
        .containsEntry("BenchmarkType", "HEPSPEC").containsEntry("Benchmark", "10.500").containsEntry("SuspendDuration", "0");
    Map<String, String> d = r.stream().filter(e -> e.fields().get("LocalGroupId").equals("dune")).findFirst().orElseThrow().fields();
    assertThat(d).as("a group without an entry: VO = the group; a flavor without a benchmark: none")
        .containsEntry("FQAN", "/dune").doesNotContainKeys("GlobalUserName", "BenchmarkType", "Benchmark", "ImageId", "LocalUserId")
        .containsEntry("CloudType", "csv2").containsEntry("Status", "completed")
        .containsEntry("SuspendDuration", "1800").containsEntry("WallDuration", "5400").containsEntry("CpuDuration", "10800");
  }

  @Test
  void fqansParseAsApelParsesThem() {
    assertThat(ApelRecords.parseFqan("/atlas/Role=production")).containsExactly("atlas", "/atlas", "Role=production");
    assertThat(ApelRecords.parseFqan("/dteam/uk/Role=NULL;/dteam")).containsExactly("dteam", "/dteam/uk", "Role=NULL");
    assertThat(ApelRecords.parseFqan("/belle")).containsExactly("belle", "/belle", "None");
  }
}

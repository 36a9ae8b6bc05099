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
package org.csv2.plugin.htcondor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csv2.model.AliasName;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobState;
import org.csv2.model.Resources;
import org.junit.jupiter.api.Test;

/** Job ads recorded from the test pool ({@code condor_q -allusers -json -attributes ...}) mapped to jobs. */
class JobAdsTest {
  private static final String SCHEDD = "127-0-0-1.ci.local";

  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final List<String> skipped = new ArrayList<>();

  JobAdsTest() throws Exception {
    for (ClassAds.Ad ad : ClassAds.parse(Fixtures.resource("condor_q.json"))) {
      JobAds.Outcome o = new JobAds(null).map(ad, "ignored");
      if (o.job() != null) {
        jobs.put(o.job().id().value(), o.job());
      } else {
        skipped.add((o.malformed() ? "malformed " : "") + o.record() + ": " + o.skipped());
      }
    }
  }

  private Job job(String clusterProc) {
    Job j = jobs.get(SCHEDD + "#" + clusterProc);
    assertThat(j).as("job %s among %s", clusterProc, jobs.keySet()).isNotNull();
    return j;
  }

  @Test
  void runningJobWithCsv2GroupIsRead() {
    Job j = job("21.0");
    assertThat(j.group()).isEqualTo(GroupName.of("atlas"));
    assertThat(j.owner()).isEqualTo("tester");
    assertThat(j.state()).isEqualTo(JobState.RUNNING);
    // 10240 KiB of disk is 1 GiB rounded up
    assertThat(j.request()).isEqualTo(Resources.of(1, 256, 1));
    assertThat(j.targetAlias()).isNull();
    assertThat(j.queuedSince()).isAfter(Instant.parse("2020-01-01T00:00:00Z"));
  }

  @Test
  void everyCsv2AttributeIsRead() {
    Job j = job("22.0");
    assertThat(j.state()).isEqualTo(JobState.IDLE);
    assertThat(j.request()).isEqualTo(Resources.of(4, 3000, 1));
    assertThat(j.targetAlias()).isEqualTo(AliasName.of("fast"));
    assertThat(j.targetClouds()).containsExactlyInAnyOrder(CloudName.of("local"), CloudName.of("other"));
    assertThat(j.image()).isEqualTo("alma9");
    assertThat(j.instanceType()).isEqualTo("c8");
    assertThat(j.keepAlive()).isEqualTo(Duration.ofSeconds(600));
    assertThat(j.maxPrice()).isEqualTo(0.5);
    assertThat(j.userData()).containsExactly("extra", "gpu");
    assertThat(j.priority()).isEqualTo(5);
  }

  @Test
  void productionConventionsAreRead() {
    Job j = job("23.0");
    assertThat(j.group()).as("group_name in Requirements").isEqualTo(GroupName.of("belle"));
    assertThat(j.targetAlias()).as("target_alias in Requirements").isEqualTo(AliasName.of("bigmem"));
    assertThat(j.instanceType()).isEqualTo("local:c4");
    assertThat(j.image()).isEqualTo("centos7");
    assertThat(j.keepAlive()).isEqualTo(Duration.ofSeconds(300));
    assertThat(j.maxPrice()).isEqualTo(0.25);
    // CpusProvisioned 8 overrides RequestCpus 1; 3145728 KiB is exactly 3 GiB
    assertThat(j.request()).isEqualTo(Resources.of(8, 128, 3));
  }

  @Test
  void heldJobIsReadAsHeld() {
    assertThat(job("27.0").state()).isEqualTo(JobState.HELD);
    assertThat(job("27.0").request().cores()).isEqualTo(2);
  }

  @Test
  void defaultRequestExpressionsUseTheValuesTheyEvaluateTo() {
    Job j = job("28.0");
    // RequestMemory = ifthenelse(MemoryUsage isnt undefined, MemoryUsage, (ImageSize + 1023) / 1024),
    // RequestDisk = DiskUsage: ImageSize and DiskUsage are small, in KiB
    assertThat(j.request().cores()).isEqualTo(1);
    assertThat(j.request().ramMiB()).isBetween(1L, 16L);
    assertThat(j.request().diskGiB()).isEqualTo(1);
  }

  @Test
  void foreignAndMalformedJobsAreSkippedAndCounted() {
    assertThat(jobs).doesNotContainKeys(SCHEDD + "#24.0", SCHEDD + "#25.0", SCHEDD + "#26.0");
    assertThat(skipped).hasSize(3);
    assertThat(skipped).anyMatch(s -> s.contains("foreign job") && s.contains("#24.0"));
    assertThat(skipped).anyMatch(s -> s.contains("malformed") && s.contains("#25.0") && s.contains("soon"));
    assertThat(skipped).anyMatch(s -> s.contains("malformed") && s.contains("#26.0") && s.contains("group name"));
    assertThat(jobs).hasSize(6);
  }

  @Test
  void aDefaultGroupTakesJobsThatNameNone() throws Exception {
    ClassAds.Ad noGroup =
        ClassAds.parse("[{\"ClusterId\": 3, \"ProcId\": 1, \"JobStatus\": 1, \"Owner\": \"u\", \"RequestCpus\": 2}]").get(0);
    Job j = new JobAds(GroupName.of("default")).map(noGroup, "schedd.example.org").job();
    assertThat(j).isNotNull();
    assertThat(j.group()).isEqualTo(GroupName.of("default"));
    assertThat(j.id().value()).as("job id from the queried schedd when the ad has no GlobalJobId").isEqualTo("schedd.example.org#3.1");
    assertThat(j.request()).isEqualTo(Resources.of(2, 0, 0));
    assertThat(new JobAds(null).map(noGroup, "s").skipped()).contains("foreign");
  }

  @Test
  void jobStatusesMapAsDocumented() {
    assertThat(JobAds.state(1)).isEqualTo(JobState.IDLE);
    assertThat(JobAds.state(2)).isEqualTo(JobState.RUNNING);
    assertThat(JobAds.state(3)).isEqualTo(JobState.REMOVED);
    assertThat(JobAds.state(4)).isEqualTo(JobState.COMPLETED);
    assertThat(JobAds.state(5)).isEqualTo(JobState.HELD);
    assertThat(JobAds.state(6)).as("transferring output").isEqualTo(JobState.RUNNING);
    assertThat(JobAds.state(7)).as("suspended").isEqualTo(JobState.RUNNING);
    assertThat(JobAds.state(0)).isNull();
    assertThat(JobAds.state(8)).isNull();
  }

  @Test
  void diskIsConvertedFromKibToGibRoundingUp() {
    assertThat(JobAds.kibToGib(0)).isZero();
    assertThat(JobAds.kibToGib(1)).isEqualTo(1);
    assertThat(JobAds.kibToGib(1024L * 1024)).isEqualTo(1);
    assertThat(JobAds.kibToGib(1024L * 1024 + 1)).isEqualTo(2);
    assertThat(JobAds.kibToGib(5L * 1024 * 1024)).isEqualTo(5);
  }

  @Test
  void theRequirementsConventionFollowsProductionsRegex() {
    assertThat(JobAds.legacyValue(JobAds.LEGACY_GROUP, "group_name is \"atlas\" && TARGET.Cpus >= 1")).isEqualTo("atlas");
    assertThat(JobAds.legacyValue(JobAds.LEGACY_GROUP, "(group_name == \"belle\")")).isEqualTo("belle");
    assertThat(JobAds.legacyValue(JobAds.LEGACY_GROUP, "group_name =?= \"dune\"")).isEqualTo("dune");
    assertThat(JobAds.legacyValue(JobAds.LEGACY_GROUP, "group_name==toLower(\"cms\")")).isEqualTo("cms");
    assertThat(JobAds.legacyValue(JobAds.LEGACY_GROUP, "TARGET.Group_Name IS \"lhcb\"")).isEqualTo("lhcb");
    assertThat(JobAds.legacyValue(JobAds.LEGACY_GROUP, "my_group_name == \"no\"")).as("another attribute").isNull();
    assertThat(JobAds.legacyValue(JobAds.LEGACY_GROUP, "group_name =!= \"no\"")).as("not an equality").isNull();
    assertThat(JobAds.legacyValue(JobAds.LEGACY_GROUP, "TARGET.Cpus >= 1")).isNull();
    assertThat(JobAds.legacyValue(JobAds.LEGACY_GROUP, null)).isNull();
    assertThat(JobAds.legacyValue(JobAds.LEGACY_ALIAS, "group_name is \"a\" && target_alias == \"fast\"")).isEqualTo("fast");
  }

  @Test
  void malformedOutputIsRejectedWithItsReason() {
    assertThatThrownBy(() -> ClassAds.parse("[{\"ClusterId\": 1,")).isInstanceOf(ClassAds.MalformedOutput.class).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> ClassAds.parse("{\"a\": 1}")).isInstanceOf(ClassAds.MalformedOutput.class).hasMessageContaining("array");
    assertThatThrownBy(() -> ClassAds.parse("[1, 2]")).isInstanceOf(ClassAds.MalformedOutput.class).hasMessageContaining("not an ad");
  }

  @Test
  void emptyOutputIsNoAds() throws Exception {
    assertThat(ClassAds.parse("")).isEmpty();
    assertThat(ClassAds.parse("\n")).isEmpty();
    assertThat(ClassAds.parse("[]")).isEmpty();
  }
}

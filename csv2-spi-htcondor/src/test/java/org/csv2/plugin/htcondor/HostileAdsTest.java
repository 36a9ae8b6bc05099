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

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.csv2.model.Job;
import org.csv2.model.JobSnapshot;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One hostile or broken ad among good ones (issue 20, items 1 and 4): the snapshot keeps every good
 * job and worker, and the bad ad is left out, named and reported to the engine ({@link
 * org.csv2.spi.PluginContext#rejected}). On the main of 2026-12-04 each of these failed the whole
 * snapshot (a DateTimeException), or let the bad value through.
 */
class HostileAdsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INSTANCE = "manual1";

  @TempDir Path dir;

  private final TestPluginContext context = new TestPluginContext(Clock.systemUTC(), INSTANCE, "htcondor");

  /** {@code count} good idle jobs of group atlas, cluster 100, procs 0..count-1. */
  private static ArrayNode goodJobs(int count) {
    ArrayNode ads = JSON.createArrayNode();
    for (int i = 0; i < count; i++) {
      ads.add(job(100, i));
    }
    return ads;
  }

  private static ObjectNode job(int cluster, int proc) {
    ObjectNode ad = JSON.createObjectNode();
    ad.put("ClusterId", cluster);
    ad.put("ProcId", proc);
    ad.put("GlobalJobId", "schedd1#" + cluster + "." + proc + "#1795243533");
    ad.put("JobStatus", 1);
    ad.put("Owner", "tester");
    ad.put("Csv2Group", "atlas");
    ad.put("RequestCpus", 2);
    ad.put("RequestMemory", 2000);
    ad.put("QDate", 1795243533L);
    return ad;
  }

  private JobSnapshot snapshot(ArrayNode jobAds, String statusJson) throws IOException {
    Path q = dir.resolve("q.json");
    Path s = dir.resolve("s.json");
    JSON.writeValue(q.toFile(), jobAds);
    Files.writeString(s, statusJson);
    String script =
        String.join(
            "\n",
            "tool=$1; shift",
            "case \"$tool\" in",
            "  condor_q) cat '" + q + "';;",
            "  condor_status) cat '" + s + "';;",
            "esac");
    HtCondorConfig config =
        new HtCondorConfig(List.of("sh", "-c", script, "sh"), null, List.of(), null, Duration.ofSeconds(20), false)
            .validate("job-source.config");
    return new HtCondorJobSource(config, context).snapshot();
  }

  private JobSnapshot withOneBadJob(Consumer<ObjectNode> spoil) throws IOException {
    ArrayNode ads = goodJobs(1000);
    ObjectNode bad = job(999, 0);
    spoil.accept(bad);
    ads.insert(500, bad);
    return snapshot(ads, "[]");
  }

  @Test
  void aQDateNoInstantHoldsLeavesOutThatJobOnly() throws IOException {
    JobSnapshot s = withOneBadJob(ad -> ad.put("QDate", Long.MAX_VALUE));
    assertThat(s.jobs()).hasSize(1000);
    assertThat(s.skipped()).isEqualTo(1);
    assertThat(context.rejections())
        .singleElement()
        .asString()
        .contains("schedd1#999.0")
        .contains("QDate");
  }

  @Test
  void aKeepAliveOfAHundredCenturiesIsRefusedNotKeptForever() throws IOException {
    JobSnapshot s = withOneBadJob(ad -> ad.put("Csv2KeepAlive", 1e300));
    assertThat(s.jobs()).hasSize(1000).allSatisfy(j -> assertThat(j.keepAlive()).isNull());
    assertThat(context.rejections()).singleElement().asString().contains("999.0").contains("Csv2KeepAlive");
  }

  @Test
  void aRequestCpusExpressionIsRefusedNotCountedAsOneCore() throws IOException {
    JobSnapshot s = withOneBadJob(ad -> ad.put("RequestCpus", "/Expr(ifThenElse(Foo, 8, 16))/"));
    assertThat(s.jobs()).hasSize(1000).noneMatch(j -> j.id().value().contains("#999."));
    assertThat(context.rejections()).singleElement().asString().contains("RequestCpus is an expression");
  }

  @Test
  void hugeCoreCountsAndPrioritiesAreRefused() throws IOException {
    JobSnapshot s = withOneBadJob(ad -> ad.put("RequestCpus", 1e12));
    assertThat(s.jobs()).hasSize(1000);
    assertThat(context.rejections()).singleElement().asString().contains("RequestCpus must be at most");
    context.rejections().clear();
    s = withOneBadJob(ad -> ad.put("JobPrio", 1e19));
    assertThat(s.jobs()).hasSize(1000);
    assertThat(context.rejections()).singleElement().asString().contains("JobPrio");
  }

  @Test
  void aJobListedThreeTimesIsOneJob() throws IOException {
    ArrayNode ads = goodJobs(3);
    ads.add(job(100, 1));
    ads.add(job(100, 1));
    JobSnapshot s = snapshot(ads, "[]");
    assertThat(s.jobs()).extracting(Job::id).doesNotHaveDuplicates().hasSize(3);
    assertThat(context.rejections()).hasSize(2).allMatch(r -> r.contains("listed more than once"));
  }

  @Test
  void foreignJobsAreCountedButNotRejected() throws IOException {
    JobSnapshot s = withOneBadJob(ad -> ad.remove("Csv2Group"));
    assertThat(s.jobs()).hasSize(1000);
    assertThat(s.skipped()).isEqualTo(1);
    assertThat(context.rejections()).isEmpty();
  }

  @Test
  void aStartdAdWithAHugeEnteredCurrentActivityLeavesOutThatStartdOnly() throws IOException {
    ArrayNode slots = (ArrayNode) JSON.readTree(Fixtures.resource("condor_status-running.json"));
    ObjectNode hostile = slots.get(0).deepCopy();
    hostile.put("Name", "slot1@evil@10.0.0.66");
    hostile.put("Machine", "10.0.0.66");
    hostile.put("Csv2VmName", "atlas--local--manual1--evil00");
    hostile.put("EnteredCurrentActivity", 9.2e18);
    slots.add(hostile);
    JobSnapshot s = snapshot(goodJobs(10), slots.toString());
    assertThat(s.jobs()).hasSize(10);
    assertThat(s.workers()).extracting(Worker::vm).containsExactly(VmId.of("atlas--local--manual1--aaaaaa"));
    assertThat(context.rejections())
        .singleElement()
        .asString()
        .contains("startd evil@10.0.0.66")
        .contains("EnteredCurrentActivity");
  }

  @Test
  void anyExceptionFromOneAdIsContained() throws Exception {
    // a value Jackson reads as a huge integer: asLong wraps, the old code failed the snapshot
    ClassAds.Ad ad =
        ClassAds.parse("[{\"ClusterId\": 1, \"ProcId\": 0, \"JobStatus\": 1, \"Owner\": \"o\", \"Csv2Group\": \"atlas\","
                + " \"QDate\": 123456789012345678901234567890}]").get(0);
    JobAds.Outcome o = new JobAds(null).map(ad, "s");
    assertThat(o.job()).isNull();
    assertThat(o.malformed()).isTrue();
    assertThat(o.skipped()).contains("QDate");
  }
}

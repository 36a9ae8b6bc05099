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

import org.csv2.testkit.TestPluginConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.csv2.api.ConfigurationException;
import org.csv2.api.JobSourceException;
import org.csv2.model.JobSnapshot;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.JobSource;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job source against fake HTCondor tools: a command prefix that runs a shell script answering
 * with the outputs recorded from the test pool, logging every call. No server is needed.
 */
class HtCondorJobSourceTest {
  @TempDir Path dir;

  private Path log() {
    return dir.resolve("calls.log");
  }

  /** A prefix whose "tools" print the recorded outputs; condor_status -master prints {@code master}. */
  private List<String> fakeTools(String statusFile, String master) throws IOException {
    Path q = dir.resolve("q.json");
    Path s = dir.resolve("s.json");
    Files.writeString(q, Fixtures.resource("condor_q.json"));
    Files.writeString(s, Fixtures.resource(statusFile));
    Files.writeString(dir.resolve("master.json"), master);
    String script =
        String.join(
            "\n",
            "tool=$1; shift",
            "echo \"$tool $*\" >> '" + log() + "'",
            "case \"$tool\" in",
            "  condor_q) cat '" + q + "';;",
            "  condor_status) case \" $* \" in *' -master '*) cat '" + dir.resolve("master.json") + "';; *) cat '" + s + "';; esac;;",
            "  condor_advertise) cat >> '" + log() + "';;",
            "esac");
    return List.of("sh", "-c", script, "sh");
  }

  private JobSource source(List<String> prefix, Duration timeout, String instanceId) {
    HtCondorConfig config = new HtCondorConfig(prefix, null, List.of(), null, timeout, false).validate("job-source.config");
    return new HtCondorJobSource(config, new TestPluginContext(Clock.systemUTC(), instanceId, "htcondor"));
  }

  @Test
  void aSnapshotHasTheJobsAndThisEnginesWorkersAndCountsTheRest() throws IOException {
    JobSnapshot s = source(fakeTools("condor_status-running.json", ""), Duration.ofSeconds(20), "manual1").snapshot();
    assertThat(s.jobs()).hasSize(6);
    assertThat(s.workers()).extracting(Worker::vm).containsExactly(VmId.of("atlas--local--manual1--aaaaaa"));
    assertThat(s.skipped()).as("3 foreign or malformed job ads").isEqualTo(3);
    String calls = Files.readString(log());
    assertThat(calls).contains("condor_q -allusers -json -attributes ClusterId,ProcId,GlobalJobId,JobStatus");
    assertThat(calls).contains("condor_status -json -attributes Name,Machine").contains("-constraint (Csv2InstanceId isnt undefined) || (cs_host_id isnt undefined)");
  }

  @Test
  void poolAndSchedds() throws IOException {
    HtCondorConfig config =
        new HtCondorConfig(fakeTools("condor_status-running.json", ""), "cm.example.org:9618", List.of("s1", "s2"), null, null, null);
    TestPluginContext context = TestPluginContext.of("htcondor");
    JobSnapshot s = new HtCondorJobSource(config, context).snapshot();
    // the fake answers the same queue for both schedds, and the GlobalJobIds name the same jobs:
    // each is one job, its second listing rejected (issue 20: no job gets two VMs)
    assertThat(s.jobs()).as("each job once").hasSize(6);
    assertThat(context.rejections()).as("6 listed twice, 2 malformed ads seen twice").hasSize(6 + 2 * 2).filteredOn(r -> r.contains("listed more than once")).hasSize(6);
    String calls = Files.readString(log());
    assertThat(calls).contains("condor_q -pool cm.example.org:9618 -name s1 -allusers").contains("condor_q -pool cm.example.org:9618 -name s2 -allusers");
    assertThat(calls).contains("condor_status -pool cm.example.org:9618 -json");
  }

  @Test
  void anotherEnginesWorkersAreNotListed() throws IOException {
    JobSnapshot s = source(fakeTools("condor_status-running.json", ""), Duration.ofSeconds(20), "other").snapshot();
    assertThat(s.workers()).isEmpty();
    assertThat(s.skipped()).isEqualTo(4);
  }

  @Test
  void aToolThatOutlivesItsTimeoutIsKilledAndTheSourceIsUnavailable() {
    JobSource source = source(List.of("sh", "-c", "exec sleep 60", "sh"), Duration.ofMillis(300), "e1");
    assertThatThrownBy(source::snapshot)
        .isInstanceOfSatisfying(JobSourceException.class, e -> assertThat(e.reason()).isEqualTo(JobSourceException.Reason.UNAVAILABLE))
        .hasMessageContaining("timed out and was killed")
        .hasMessageContaining("condor_q");
  }

  @Test
  void aFailingToolMakesTheSourceUnavailableWithItsError() {
    JobSource source = source(List.of("sh", "-c", "echo 'Failed to fetch ads from schedd' >&2; exit 1", "sh"), Duration.ofSeconds(10), "e1");
    assertThatThrownBy(source::snapshot)
        .isInstanceOfSatisfying(JobSourceException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("exited with 1")
        .hasMessageContaining("Failed to fetch ads from schedd");
  }

  @Test
  void aMissingProgramMakesTheSourceUnavailable() {
    JobSource source = source(List.of("/no/such/program"), Duration.ofSeconds(10), "e1");
    assertThatThrownBy(source::snapshot)
        .isInstanceOfSatisfying(JobSourceException.class, e -> assertThat(e.reason()).isEqualTo(JobSourceException.Reason.UNAVAILABLE))
        .hasMessageContaining("could not be started");
  }

  @Test
  void malformedJsonIsInvalidDataNamingTheCommandAndTheFirstBytes() {
    JobSource source = source(List.of("sh", "-c", "echo '[{\"ClusterId\": 1, oops'", "sh"), Duration.ofSeconds(10), "e1");
    assertThatThrownBy(source::snapshot)
        .isInstanceOfSatisfying(JobSourceException.class, e -> assertThat(e.reason()).isEqualTo(JobSourceException.Reason.INVALID_DATA))
        .hasMessageContaining("condor_q -allusers -json")
        .hasMessageContaining("[{\"ClusterId\": 1, oops");
  }

  @Test
  void emptyOutputIsAnEmptySnapshot() {
    JobSnapshot s = source(List.of("true"), Duration.ofSeconds(10), "e1").snapshot();
    assertThat(s.jobs()).isEmpty();
    assertThat(s.workers()).isEmpty();
    assertThat(s.skipped()).isZero();
  }

  @Test
  void retireIsPeacefulOnceTheMasterAdExists() throws IOException {
    JobSource source =
        source(fakeTools("condor_status-running.json", "[{\"Name\": \"manvm@127-0-0-1.ci.local\"}]"), Duration.ofSeconds(20), "manual1");
    Worker w = source.snapshot().workers().get(0);
    source.retire(w);
    String calls = Files.readString(log());
    assertThat(calls).contains("condor_status -master -json -attributes Name -constraint Name =?= \"manvm@127-0-0-1.ci.local\"");
    assertThat(calls).contains("condor_off -startd -peaceful -name manvm@127-0-0-1.ci.local");
    assertThat(calls).doesNotContain("condor_drain");
  }

  @Test
  void retireDrainsTheSlotWhileTheMasterAdIsMissing() throws IOException {
    JobSource source = source(fakeTools("condor_status-running.json", ""), Duration.ofSeconds(20), "manual1");
    Worker w = source.snapshot().workers().get(0);
    source.retire(w);
    String calls = Files.readString(log());
    assertThat(calls).contains("condor_drain -graceful -exit-on-completion slot1@manvm@127-0-0-1.ci.local");
    assertThat(calls).doesNotContain("condor_off");
  }

  @Test
  void retiringADrainingWorkerSendsNothing() throws IOException {
    JobSource source = source(fakeTools("condor_status-draining.json", "[{\"Name\": \"x\"}]"), Duration.ofSeconds(20), "manual1");
    Worker w = source.snapshot().workers().get(0);
    source.retire(w);
    assertThat(Files.readString(log())).doesNotContain("condor_off").doesNotContain("condor_drain");
  }

  @Test
  void forgetInvalidatesSlotStartdAndMasterAdsOfTheVm() throws IOException {
    source(fakeTools("condor_status-running.json", ""), Duration.ofSeconds(20), "manual1").forget(VmId.of("atlas--local--manual1--aaaaaa"));
    String calls = Files.readString(log());
    assertThat(calls).contains("condor_advertise -multiple INVALIDATE_STARTD_ADS -");
    assertThat(calls).contains("condor_advertise INVALIDATE_MASTER_ADS -");
    assertThat(calls).contains("TargetType = \"Machine\"").contains("TargetType = \"StartD\"").contains("TargetType = \"Master\"");
    assertThat(calls).contains("Csv2VmName =?= \"atlas--local--manual1--aaaaaa\" && Csv2InstanceId =?= \"manual1\"");
  }

  @Test
  void theProviderBindsItsConfiguration() {
    JobSource source =
        new HtCondorJobSourceProvider()
            .create(
                TestPluginConfig.of(
                    Map.of(
                        "command-prefix", List.of("true"),
                        "pool", "cm:9618",
                        "schedds", List.of("a"),
                        "default-group", "atlas",
                        "timeout", "5s",
                        "shell-quote", true),
                    "job-source.config"),
                TestPluginContext.of("htcondor"));
    assertThat(source.snapshot().jobs()).isEmpty();
    source.close();
    source.close();
  }

  @Test
  void configurationDefaultsAndProblems() {
    HtCondorConfig defaults = TestPluginConfig.of(Map.of(), "job-source.config").bind(HtCondorConfig.class);
    assertThat(defaults.commandPrefix()).isEmpty();
    assertThat(defaults.schedds()).isEmpty();
    assertThat(defaults.pool()).isNull();
    assertThat(defaults.defaultGroup()).isNull();
    assertThat(defaults.callTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.shellQuote()).isFalse();
    assertThatThrownBy(() -> TestPluginConfig.of(Map.of("colector", "x"), "job-source.config").bind(HtCondorConfig.class))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("colector");
    assertThatThrownBy(
            () ->
                new HtCondorConfig(List.of(" "), " ", List.of(""), "Bad Group", Duration.ZERO, false).validate("job-source.config"))
        .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).hasSize(5))
        .hasMessageContaining("job-source.config.default-group")
        .hasMessageContaining("job-source.config.timeout");
  }

  @Test
  void shellQuotingKeepsEveryWordWhole() {
    // like ssh: the words after the prefix are joined with spaces and split again by a shell
    Commands c = new Commands(List.of("sh", "-c", "eval \"$*\"", "sh"), Duration.ofSeconds(10), true);
    Commands.Result r = c.run(List.of("printf", "%s|", "a b \"c\" 'd'", "x"), null);
    assertThat(r.ok()).as(r.describe()).isTrue();
    assertThat(r.stdout()).isEqualTo("a b \"c\" 'd'|x|");
    assertThat(Commands.quote("it's")).isEqualTo("'it'\\''s'");
  }
}

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
package org.csv2.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceState;
import org.csv2.model.Job;
import org.csv2.model.JobSnapshot;
import org.csv2.model.JobState;
import org.csv2.model.UserData;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.Csv2Tags;
import org.csv2.spi.JobSource;
import org.junit.jupiter.api.Test;

/**
 * Replays the start of the LCG trace (20,000 jobs; {@code -Dcsv2.sim.lcgJobs=0} for all of it)
 * through a world with a naive provisioner in 10 s cycles, as the engine will: every job
 * completes, nothing is lost, and the figures add up.
 */
class TraceReplayWorldTest {
  private static final String ENGINE = "replay";
  private static final GroupName GROUP = GroupName.of("lcg");
  private static final CloudName CLOUD = CloudName.of("grid");

  @Test
  void theLcgTraceRunsToCompletion() {
    int max = Integer.getInteger("csv2.sim.lcgJobs", 20_000);
    VirtualClock clock = new VirtualClock();
    SimulatedWorld world = new SimulatedWorld(clock, 5);
    SimulatedCloudConfig cc =
        SimulatedCloudConfig.DEFAULTS.withFailures(new SimulatedCloudConfig.Failures(0.01, null, null, null, null));
    CloudDriver cloud = world.addCloud(CLOUD, cc).driver(ENGINE);
    JobSource source =
        SimulatedJobSourceProvider.create(
            world,
            new SimulatedJobSourceConfig(
                null,
                new SimulatedJobSourceConfig.Workload(
                    null,
                    new SimulatedJobSourceConfig.Trace(
                        TraceReplayTest.traces().resolve("LCG-2005-1.swf.gz").toString(),
                        max,
                        GROUP.value(),
                        null,
                        null,
                        null,
                        null)),
                null),
            ENGINE,
            "test");
    long expected = world.pool().jobs().size() + world.pool().pendingArrivals();
    Map<VmId, Instant> retiredAt = new HashMap<>();
    long vmSeq = 0;
    long cycles = 0;
    long before = System.nanoTime();
    while (true) {
      JobSnapshot s = source.snapshot();
      if (world.pool().finished()) {
        break;
      }
      int idleCores = 0;
      for (Job j : s.jobs()) {
        if (j.state() == JobState.IDLE) {
          idleCores += j.request().cores();
        }
      }
      List<Instance> instances = cloud.instances();
      Map<VmId, Worker> workers = new HashMap<>();
      int supply = 0;
      for (Worker w : s.workers()) {
        workers.put(w.vm(), w);
        supply += w.free().cores();
      }
      for (Instance i : instances) {
        if (!workers.containsKey(i.name()) && !retiredAt.containsKey(i.name())) {
          if (i.state() == InstanceState.ERROR) {
            cloud.terminate(i.id());
          } else {
            supply += 8;
          }
        }
      }
      int deficit = idleCores - supply;
      if (deficit > 0) {
        int n = Math.min(5, (deficit + 7) / 8);
        List<VmId> names = new java.util.ArrayList<>();
        for (int k = 0; k < n; k++) {
          names.add(VmId.of(GROUP, CLOUD, ENGINE, "v" + (++vmSeq)));
        }
        try {
          cloud.boot(
              new BootRequest(
                  GROUP, FlavorName.of("c8-32gb"), "alma9", names, UserData.EMPTY,
                  Map.of(Csv2Tags.INSTANCE_ID, ENGINE), VmDefaults.NONE, 0));
        } catch (org.csv2.api.CloudException e) {
          // retried next cycle
        }
      }
      for (Worker w : s.workers()) {
        if (w.runningJobs() == 0 && !w.draining()
            && Duration.between(w.lastActivity(), s.at()).compareTo(Duration.ofSeconds(300)) > 0) {
          source.retire(w);
          retiredAt.put(w.vm(), s.at());
        }
      }
      for (Instance i : instances) {
        if (retiredAt.containsKey(i.name()) && !workers.containsKey(i.name())) {
          cloud.terminate(i.id());
          retiredAt.remove(i.name());
        }
      }
      clock.advance(Duration.ofSeconds(10));
      cycles++;
    }
    long wallMs = (System.nanoTime() - before) / 1_000_000;
    SimulationStatistics st = world.statistics();
    org.slf4j.LoggerFactory.getLogger(getClass())
        .info("replayed {} jobs in {} cycles, {} ms wall: {}", st.jobsSubmitted(), cycles, wallMs, st);
    assertThat(st.jobsCompleted()).isEqualTo(st.jobsSubmitted());
    assertThat(st.jobsSubmitted()).isEqualTo(expected);
    assertThat(st.jobsLost()).isZero();
    assertThat(st.coreHoursProvisioned()).isGreaterThan(st.coreHoursUsed());
    assertThat(st.waitP99()).isGreaterThanOrEqualTo(st.waitP95()).isGreaterThanOrEqualTo(st.waitP50());
    assertThat(st.bootFailuresInjected()).isPositive();
    assertThat(cloud.instances()).hasSizeLessThanOrEqualTo(st.peakVms());
  }
}

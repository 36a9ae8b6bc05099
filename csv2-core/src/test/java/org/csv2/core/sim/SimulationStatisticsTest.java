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
import static org.assertj.core.api.Assertions.within;
import static org.csv2.core.sim.SimFixtures.CLOUD;
import static org.csv2.core.sim.SimFixtures.ENGINE;
import static org.csv2.core.sim.SimFixtures.GROUP;
import static org.csv2.core.sim.SimFixtures.boot;

import java.time.Duration;
import java.util.stream.LongStream;
import org.csv2.model.Instance;
import org.csv2.model.Resources;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.JobSource;
import org.junit.jupiter.api.Test;

class SimulationStatisticsTest {
  @Test
  void percentilesAreExactNearestRank() {
    long[] twenty = LongStream.rangeClosed(1, 20).toArray();
    assertThat(SimulationStatistics.percentile(twenty, 20, 50)).isEqualTo(10);
    assertThat(SimulationStatistics.percentile(twenty, 20, 95)).isEqualTo(19);
    assertThat(SimulationStatistics.percentile(twenty, 20, 99)).isEqualTo(20);
    long[] hundred = LongStream.rangeClosed(1, 100).toArray();
    assertThat(SimulationStatistics.percentile(hundred, 100, 95)).isEqualTo(95);
    assertThat(SimulationStatistics.percentile(hundred, 100, 99)).isEqualTo(99);
    assertThat(SimulationStatistics.percentile(new long[] {7}, 1, 1)).isEqualTo(7);
    assertThat(SimulationStatistics.percentile(new long[0], 0, 50)).isZero();
  }

  @Test
  void aSmallRunHasExactFigures() {
    VirtualClock clock = new VirtualClock();
    SimulatedWorld world = new SimulatedWorld(clock, 1);
    CloudDriver cloud =
        world
            .addCloud(
                CLOUD,
                SimulatedCloudConfig.DEFAULTS.withBootDelay(
                    SimulatedCloudConfig.BootDelay.fixed(Duration.ofSeconds(60))))
            .driver(ENGINE);
    JobSource source = world.pool().jobSource(ENGINE);
    for (int i = 0; i < 4; i++) {
      world.pool().submit(GROUP, "alice", Resources.of(1, 1000), Duration.ofMinutes(10), 0);
    }
    Instance vm = cloud.boot(boot("c1-4gb", 1)).get(0);
    // registered at 90 s; one 1-core worker runs the jobs one after the other
    for (long t : new long[] {90, 690, 1290, 1890, 2490}) {
      clock.set(VirtualClock.DEFAULT_START.plusSeconds(t));
      source.snapshot();
    }
    cloud.terminate(vm.id());
    clock.advance(Duration.ofHours(5));
    SimulationStatistics s = world.statistics();
    assertThat(s.jobsSubmitted()).isEqualTo(4);
    assertThat(s.jobsStarted()).isEqualTo(4);
    assertThat(s.jobsCompleted()).isEqualTo(4);
    assertThat(s.jobsLost()).isZero();
    assertThat(s.jobsIdle()).isZero();
    assertThat(s.jobsRunning()).isZero();
    assertThat(s.waitP50()).isEqualTo(Duration.ofSeconds(690));
    assertThat(s.waitP95()).isEqualTo(Duration.ofSeconds(1890));
    assertThat(s.waitP99()).isEqualTo(Duration.ofSeconds(1890));
    assertThat(s.waitMax()).isEqualTo(Duration.ofSeconds(1890));
    assertThat(s.waitMean()).isEqualTo(Duration.ofSeconds(990));
    assertThat(s.coreHoursUsed()).isCloseTo(2400 / 3600.0, within(1e-9));
    assertThat(s.coreHoursProvisioned()).isCloseTo(2490 / 3600.0, within(1e-9));
    assertThat(s.cost()).isCloseTo(0.05 * 2490 / 3600.0, within(1e-9));
    assertThat(s.provisionedPerUsed()).isCloseTo(2490 / 2400.0, within(1e-9));
    assertThat(s.vmsBooted()).isEqualTo(1);
    assertThat(s.vmsNow()).isZero();
    assertThat(s.peakVms()).isEqualTo(1);
    assertThat(s.at()).isEqualTo(clock.instant());
  }

  @Test
  void runningJobsAndLiveVmsCountUpToNow() {
    VirtualClock clock = new VirtualClock();
    SimulatedWorld world = new SimulatedWorld(clock, 1);
    CloudDriver cloud =
        world.addCloud(CLOUD, SimFixtures.instantCloud()).driver(ENGINE);
    world.pool().setRegisterDelay(Duration.ZERO);
    world.pool().submit(GROUP, "alice", Resources.of(2, 1000), Duration.ofHours(10), 0);
    cloud.boot(boot("c4-16gb", 2));
    world.pool().jobSource(ENGINE).snapshot();
    clock.advance(Duration.ofHours(1));
    SimulationStatistics s = world.statistics();
    assertThat(s.coreHoursUsed()).isCloseTo(2.0, within(1e-9));
    assertThat(s.coreHoursProvisioned()).isCloseTo(8.0, within(1e-9));
    assertThat(s.cost()).isCloseTo(0.4, within(1e-9));
    assertThat(s.vmsNow()).isEqualTo(2);
    assertThat(s.jobsRunning()).isEqualTo(1);
  }
}

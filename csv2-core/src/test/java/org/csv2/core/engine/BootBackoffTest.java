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
package org.csv2.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.csv2.api.CloudException;
import org.csv2.core.planning.CloudView;
import org.csv2.core.planning.Snapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cloud whose boots always fail while its reads succeed is not asked again every cycle forever
 * (issue 20, item 8): boots there are held back with a bounded exponential back-off, visible in the
 * status, and resume after one accepted boot. On the main of 2026-12-04 such a cloud got a boot
 * call every cycle or two, forever.
 */
class BootBackoffTest {
  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void theHoldDoublesFromTheSecondFailureAndIsBounded() {
    assertThat(BootBackoff.hold(1)).isZero();
    assertThat(BootBackoff.hold(2)).isEqualTo(Duration.ofMinutes(1));
    assertThat(BootBackoff.hold(3)).isEqualTo(Duration.ofMinutes(2));
    assertThat(BootBackoff.hold(4)).isEqualTo(Duration.ofMinutes(4));
    assertThat(BootBackoff.hold(7)).isEqualTo(Duration.ofMinutes(30));
    assertThat(BootBackoff.hold(Integer.MAX_VALUE)).isEqualTo(BootBackoff.MAX);
  }

  @Test
  void aCloudThatRefusesEveryBootIsAskedLessAndLessOftenAndAgainOnceItAccepts() {
    f.c1().failBoot = new CloudException(CloudException.Reason.INVALID_REQUEST, "image centos is not active");
    f.planner = s -> List.of(Fixture.boot(1));
    Reconciler r = f.build();
    int cycles = 0;
    boolean heldSeenByPlanner = false;
    boolean heldInStatus = false;
    for (; cycles < 360; cycles++) { // one hour of 10 s cycles
      r.runCycle();
      Snapshot s = f.snapshots.get(f.snapshots.size() - 1);
      CloudView c1 = s.clouds().stream().filter(v -> v.cloud().name().equals(Fixture.C1)).findFirst().orElseThrow();
      heldSeenByPlanner |= !c1.cloud().enabled() && c1.reachable();
      heldInStatus |= r.status(false).problems().stream().anyMatch(p -> p.contains("c1") && p.contains("boots held back until"));
      f.clock.advance(Duration.ofSeconds(10));
    }
    // calls at 0 s, 10 s, then after holds of 1, 2, 4, 8, 16, 30, 30... minutes
    assertThat(f.c1().boots).as("boot calls in an hour of refusals").hasSizeBetween(6, 9);
    assertThat(heldSeenByPlanner).as("the planner saw the cloud closed to boots, still read").isTrue();
    assertThat(heldInStatus).as("the status named the hold").isTrue();
    assertThat(r.status(false).problems()).anySatisfy(p -> assertThat(p).contains("image centos is not active"));

    f.c1().failBoot = null;
    int before = f.c1().boots.size();
    for (int i = 0; i < 200 && f.c1().boots.size() == before; i++) {
      r.runCycle();
      f.clock.advance(Duration.ofSeconds(10));
    }
    assertThat(f.c1().boots).as("boots resume when the hold ends").hasSize(before + 1);
    r.runCycle();
    f.clock.advance(Duration.ofSeconds(10));
    r.runCycle();
    assertThat(f.c1().boots).as("after an accepted boot, every cycle boots again").hasSize(before + 3);
    assertThat(f.c2().boots).as("the other cloud is untouched").isEmpty();
  }
}

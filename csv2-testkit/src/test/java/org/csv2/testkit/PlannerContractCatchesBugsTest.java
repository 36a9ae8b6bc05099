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
package org.csv2.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.csv2.model.Boot;
import org.csv2.model.JobState;
import org.csv2.model.Plan;
import org.csv2.model.PlanAction;
import org.csv2.model.Retire;
import org.csv2.model.VmState;
import org.csv2.spi.CloudObservation;
import org.csv2.spi.PlanningPolicy;
import org.csv2.spi.PlanningView;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The planner contract fails on planners with each bug it exists to catch. */
class PlannerContractCatchesBugsTest {
  /** Boots one small VM per idle job on the first reachable cloud, ignoring every limit and what is already booting. */
  private static Plan greedy(PlanningView view, String reason) {
    List<PlanAction> actions = new ArrayList<>();
    CloudObservation cloud = view.clouds().stream().filter(CloudObservation::reachable).findFirst().orElse(null);
    if (cloud != null) {
      view.groups().forEach(g -> {
        int idle = (int) view.jobs().stream().filter(j -> j.group().equals(g.name()) && j.state() == JobState.IDLE).count();
        if (idle > 0) {
          actions.add(new Boot(g.name(), cloud.cloud().name(), cloud.flavors().get(0).name(), cloud.images().get(0).id(),
              null, idle, idle, null, List.of(), 0, reason));
        }
      });
    }
    return new Plan(view.now(), actions, List.of());
  }

  /** Retires every idle VM, and the manual ones too. */
  private static Plan retiresManual(PlanningView view) {
    List<PlanAction> actions = new ArrayList<>();
    view.vms().stream()
        .filter(v -> v.state() == VmState.IDLE || v.manual())
        .forEach(v -> actions.add(new Retire(v.id(), "retire " + v.id())));
    return new Plan(view.now(), actions, List.of());
  }

  @Test
  @DisplayName("a planner that boots beyond quotas and caps fails the limits test")
  void limitsTestCatchesAPlannerThatIgnoresQuotas() {
    Kit kit = new Kit(view -> greedy(view, "greedy"));
    assertThatThrownBy(kit::bootsStayWithinEveryLimit).isInstanceOf(AssertionError.class).hasMessageContaining("seed");
  }

  @Test
  @DisplayName("a planner that boots again for jobs its applied plan already boots for fails the idempotence test")
  void idempotenceTestCatchesAPlannerThatIgnoresRequestedVms() {
    Kit kit = new Kit(view -> greedy(view, "greedy"));
    assertThatThrownBy(kit::planningIsIdempotentOnItsOwnAppliedPlan)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("booted for in the plan and again after it was applied");
  }

  @Test
  @DisplayName("a planner that retires manual VMs fails the manual test")
  void manualTestCatchesAPlannerThatRetiresManualVms() {
    Kit kit = new Kit(PlannerContractCatchesBugsTest::retiresManual);
    assertThatThrownBy(kit::manualVmsAreNeverTouched).isInstanceOf(AssertionError.class).hasMessageContaining("manual VM");
  }

  @Test
  @DisplayName("a planner whose actions have blank reasons fails the reason test")
  void reasonTestCatchesBlankReasons() {
    Kit kit = new Kit(view -> greedy(view, " "));
    assertThatThrownBy(kit::everyActionHasAReason).isInstanceOf(AssertionError.class).hasMessageContaining("reason of");
  }

  @Test
  @DisplayName("a planner that counts its calls in its reasons fails the determinism test")
  void determinismTestCatchesAStatefulPlanner() {
    AtomicInteger calls = new AtomicInteger();
    Kit kit = new Kit(view -> greedy(view, "call " + calls.incrementAndGet()));
    assertThatThrownBy(kit::planningIsDeterministic).isInstanceOf(AssertionError.class).hasMessageContaining("planned again");
  }

  @Test
  @DisplayName("the kit's views give a planner something to do and something to leave alone")
  void theViewsExerciseAPlanner() {
    int boots = 0;
    int manual = 0;
    for (int seed = 1; seed <= 60; seed++) {
      PlanningView view = PlannerContract.scenario(seed);
      boots += greedy(view, "x").boots().size();
      manual += (int) view.vms().stream().filter(v -> v.manual()).count();
      assertThat(PlannerContract.scenario(seed)).as("seed %d is reproducible", seed).isEqualTo(view);
    }
    assertThat(boots).isPositive();
    assertThat(manual).isGreaterThanOrEqualTo(60);
  }

  /** Nested, so surefire does not run it on its own. */
  static final class Kit extends PlannerContract {
    private final PlanningPolicy policy;

    Kit(PlanningPolicy policy) {
      this.policy = policy;
    }

    @Override
    protected String providerName() {
      return "fake";
    }

    @Override
    protected PlanningPolicy newPolicy() {
      return policy;
    }
  }
}

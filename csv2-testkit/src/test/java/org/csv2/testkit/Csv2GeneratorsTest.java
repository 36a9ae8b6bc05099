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

import static org.quicktheories.QuickTheory.qt;

import org.csv2.model.Instance;
import org.csv2.model.Resources;
import org.csv2.model.VmState;
import org.csv2.spi.Csv2Tags;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The generators stay within their documented ranges and produce consistent values. */
class Csv2GeneratorsTest {
  private static final long SEED = 99L;

  @Test
  @DisplayName("resources stay within the documented ranges")
  void resourcesAreInRange() {
    qt().withFixedSeed(SEED).forAll(Csv2Generators.resources())
        .check(r -> r.fitsIn(new Resources(128, 1_048_576, 10_000, 65_536, 8)));
  }

  @Test
  @DisplayName("job requests have at least one core and 128 MiB")
  void jobRequestsAreUsable() {
    qt().withFixedSeed(SEED).forAll(Csv2Generators.jobRequests()).check(r -> r.cores() >= 1 && r.ramMiB() >= 128);
  }

  @Test
  @DisplayName("workers use no more than they have and name their VM's group, cloud and engine")
  void workersAreConsistent() {
    qt().withFixedSeed(SEED).forAll(Csv2Generators.workers())
        .check(w -> w.used().fitsIn(w.total())
            && w.vm().value().startsWith(w.group().value().replace('_', '-') + "--")
            && w.vm().instancePart().orElse("").equals(w.instanceId()));
  }

  @Test
  @DisplayName("instances carry the csv2 tags of their name")
  void instancesAreTagged() {
    qt().withFixedSeed(SEED).forAll(Csv2Generators.instances())
        .check((Instance i) -> i.tag(Csv2Tags.VM_NAME).orElse("").equals(i.name().value())
            && i.tag(Csv2Tags.INSTANCE_ID).equals(i.name().instancePart()));
  }

  @Test
  @DisplayName("VMs are unstored, entered their state when they say, and cost a multiple of 0.25")
  void vmsAreStorable() {
    qt().withFixedSeed(SEED).forAll(Csv2Generators.vms())
        .check(v -> v.version() == 0
            && v.enteredAt(v.state()).orElseThrow().equals(v.stateSince())
            && v.enteredAt(VmState.REQUESTED).isPresent()
            && v.pricePerHour() * 4 == Math.rint(v.pricePerHour() * 4));
  }

  @Test
  @DisplayName("jobs, flavors, groups and allocations are generated without validation errors")
  void recordsAreValid() {
    qt().withFixedSeed(SEED)
        .forAll(Csv2Generators.jobs(), Csv2Generators.flavors(), Csv2Generators.groups(), Csv2Generators.allocations())
        .check((j, f, g, a) -> j.request().cores() >= 1 && f.resources().cores() >= 1 && g.weight() > 0 && a.priority() >= 0);
  }
}

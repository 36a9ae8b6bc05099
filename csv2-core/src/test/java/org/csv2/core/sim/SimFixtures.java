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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.UserData;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.spi.Csv2Tags;

/** Shared values of the simulation tests. */
final class SimFixtures {
  static final String ENGINE = "engine-a";
  static final GroupName GROUP = GroupName.of("atlas");
  static final CloudName CLOUD = CloudName.of("arbutus");

  private static int names;

  private SimFixtures() {}

  /** A cloud without boot delay, with the default flavors and no failures. */
  static SimulatedCloudConfig instantCloud() {
    return SimulatedCloudConfig.DEFAULTS.withBootDelay(SimulatedCloudConfig.BootDelay.NONE);
  }

  static BootRequest boot(String flavor, int count) {
    return boot(flavor, "alma9", count);
  }

  static BootRequest boot(String flavor, String image, int count) {
    List<VmId> vms = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      vms.add(VmId.of(GROUP, CLOUD, ENGINE, "v" + (++names)));
    }
    return new BootRequest(
        GROUP,
        FlavorName.of(flavor),
        image,
        vms,
        UserData.EMPTY,
        Map.of(Csv2Tags.INSTANCE_ID, ENGINE, "site", "test"),
        VmDefaults.NONE,
        0);
  }

  static Duration minutes(long m) {
    return Duration.ofMinutes(m);
  }
}

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

package org.csv2.plugin.htcondor.it;

import java.util.EnumSet;
import java.util.Set;
import org.csv2.plugin.htcondor.LocalCloudDriverProvider;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.PluginContext;
import org.csv2.testkit.CloudDriverContract;
import org.csv2.testkit.DriverCapability;

/**
 * The cloud driver contract for the local driver against the real chroot: its VMs are condor_master
 * + condor_startd pairs started by vm-start.sh (with the contract's empty user data they run no
 * job: START = False).
 */
class LocalCloudDriverContractIT extends CloudDriverContract {
  private final Pool pool = new Pool();

  @Override
  protected String providerName() {
    return LocalCloudDriverProvider.NAME;
  }

  @Override
  protected CloudDriver newDriver(PluginContext context) {
    return new LocalCloudDriverProvider().create(pool.localConfig(6), context);
  }

  @Override
  protected Set<DriverCapability> capabilities() {
    return EnumSet.of(DriverCapability.CAPACITY_LIMITS);
  }
}

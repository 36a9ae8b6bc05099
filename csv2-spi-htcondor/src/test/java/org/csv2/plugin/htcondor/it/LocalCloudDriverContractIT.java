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

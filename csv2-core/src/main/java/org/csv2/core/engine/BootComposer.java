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

import java.util.List;
import java.util.Map;
import org.csv2.model.Allocation;
import org.csv2.model.Boot;
import org.csv2.model.BootRequest;
import org.csv2.model.Flavor;
import org.csv2.model.Group;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;

/**
 * Turns one planned {@link Boot} into the boot requests sent to the cloud: one request for all
 * its VMs, or one per VM when the user data must name each VM.
 *
 * <p><b>Thread safety:</b> implementations are stateless.
 */
@FunctionalInterface
public interface BootComposer {
  /**
   * Composes the requests.
   *
   * @param group the boot's group
   * @param allocation the group's allocation on the boot's cloud
   * @param boot the planned boot
   * @param flavor the flavor, as the cloud lists it
   * @param names the names chosen for the VMs, as many as {@code boot.count()}
   * @param defaults the VM defaults (the allocation's overrides over the group's)
   * @param tags the csv2 tags every instance carries
   * @return requests that name every VM exactly once
   */
  List<BootRequest> requests(
      Group group,
      Allocation allocation,
      Boot boot,
      Flavor flavor,
      List<VmId> names,
      VmDefaults defaults,
      Map<String, String> tags);
}

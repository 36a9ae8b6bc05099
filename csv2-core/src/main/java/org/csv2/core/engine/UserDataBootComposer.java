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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.csv2.core.userdata.BootVariables;
import org.csv2.core.userdata.UserDataComposer;
import org.csv2.model.Allocation;
import org.csv2.model.Boot;
import org.csv2.model.BootRequest;
import org.csv2.model.Flavor;
import org.csv2.model.Group;
import org.csv2.model.UserDataDocument;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;

/**
 * Composes boot requests with the group's and allocation's user-data documents. When a document
 * uses {@code vm_name}, every VM needs its own user data, so each gets its own request; otherwise
 * one request boots them all (one cloud call, as the production system made).
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class UserDataBootComposer implements BootComposer {
  private final UserDataComposer composer = new UserDataComposer();
  private final String instanceId;

  /**
   * Creates the composer.
   *
   * @param instanceId this engine's csv2 instance id (a template variable)
   */
  public UserDataBootComposer(String instanceId) {
    this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
  }

  @Override
  public List<BootRequest> requests(
      Group group,
      Allocation allocation,
      Boot boot,
      Flavor flavor,
      List<VmId> names,
      VmDefaults defaults,
      Map<String, String> tags) {
    List<UserDataDocument> documents = UserDataComposer.select(group, allocation, boot.userData());
    if (UserDataComposer.uses(documents, "image")) {
      // the image comes from a job (Csv2Image) or a cloud's image list: never rendered unless safe
      BootVariables.requireSafe("image", boot.image());
    }
    if (!UserDataComposer.uses(documents, "vm_name")) {
      Map<String, String> variables =
          BootVariables.of(group, boot.cloud(), flavor, boot.image(), boot.alias(), instanceId, null);
      return List.of(
          new BootRequest(
              group.name(), flavor.name(), boot.image(), names, composer.compose(documents, variables), tags, defaults,
              boot.maxPrice()));
    }
    List<BootRequest> requests = new ArrayList<>(names.size());
    for (VmId name : names) {
      Map<String, String> variables =
          BootVariables.of(group, boot.cloud(), flavor, boot.image(), boot.alias(), instanceId, name);
      requests.add(
          new BootRequest(
              group.name(), flavor.name(), boot.image(), List.of(name), composer.compose(documents, variables), tags,
              defaults, boot.maxPrice()));
    }
    return requests;
  }
}

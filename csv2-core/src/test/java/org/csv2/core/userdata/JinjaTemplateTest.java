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
package org.csv2.core.userdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csv2.api.ConfigurationException;
import org.csv2.model.Flavor;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.CloudName;
import org.csv2.model.Resources;
import org.csv2.model.UserDataDocument;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Jinja user data: a worker template of our own with the constructs of production's
 * {@code default.yaml.j2} (hep-gc/cloudscheduler, metadata/default.yaml.j2) plus if / for /
 * filters, rendered with production's variable names, and the sandbox.
 */
class JinjaTemplateTest {
  private final UserDataComposer composer = new UserDataComposer();

  private static String resource(String name) throws IOException {
    try (InputStream in = JinjaTemplateTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The variables of a boot, as the engine makes them, with the group's production settings. */
  private static Map<String, String> productionVariables(Map<String, String> extra) {
    Map<String, String> groupVariables = new HashMap<>(Map.of(
        "condor_host", "cm.example.org",
        "cs_condor_host_ip", "10.0.0.5",
        "cs_user", "atlas-pilot",
        "cs_cloud_type", "openstack",
        "cs_condorworker_cert_days_to_end_of_life", "14",
        "cs_condorworker_optional_gsi_messages", "True"));
    groupVariables.putAll(extra);
    Group group = new Group(GroupName.of("atlas"), Group.DEFAULT_JOB, VmDefaults.NONE, List.of(), List.of(), 1, groupVariables);
    return BootVariables.of(
        group, CloudName.of("arbutus"), Flavor.of("c8-30gb", Resources.of(8, 30000, 186)), "alma9", null, "csv2-prod",
        VmId.of(GroupName.of("atlas"), CloudName.of("arbutus"), "csv2-prod", "a1b2c3"));
  }

  private static UserDataDocument jinja(String template) {
    return new UserDataDocument("worker.yaml.j2", 0, UserDataComposer.CLOUD_CONFIG, template, true);
  }

  private static String render(String template, Map<String, String> variables) {
    List<UserDataComposerTest.Part> parts = UserDataComposerTest.parse(
        new UserDataComposer().compose(List.of(jinja(template)), variables).text());
    assertThat(parts).hasSize(1);
    return parts.get(0).body();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aProductionStyleWorkerTemplateRendersToTheExpectedCloudConfig() throws IOException {
    String out = render(resource("worker.yaml.j2"), productionVariables(Map.of("cs_slots", "3")));
    Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(out);
    List<Map<String, Object>> files = (List<Map<String, Object>>) yaml.get("write_files");
    assertThat(files.get(0).get("content")).isEqualTo("openstack\n");
    assertThat(files.get(1).get("content")).isEqualTo("arbutus\n");
    String condor = (String) files.get(2).get("content");
    assertThat(condor)
        .contains("cs_host_id = \"csv2-prod\"")
        .contains("group_name = \"atlas\"")
        .contains("flavor = \"c8-30gb\"")
        .contains("target_alias = \"none\"")
        .contains("CONDOR_HOST=cm.example.org\n")
        .contains("CONDOR_HOST_IP=10.0.0.5\n")
        .contains("START = (Owner == \"atlas-pilot\")")
        .contains("SLOT1_1_USER = slot01\n", "SLOT1_3_USER = slot03\n")
        .doesNotContain("SLOT1_4_USER")
        .contains("CLOUD_KIND = OPENSTACK");
    assertThat((String) files.get(3).get("content"))
        .contains("-checkend $(( 86400 * 14 ))")
        .contains("if [ 'True' == \"True\" ]");
    assertThat((List<Map<String, Object>>) yaml.get("users"))
        .extracting(u -> u.get("name"))
        .containsExactly("slot01", "slot02", "slot03");
  }

  @Test
  void theDefaultOfAFilterAndTheElseBranchApplyWhenTheGroupDoesNotSetThem() throws IOException {
    String out = render(resource("worker.yaml.j2"), productionVariables(Map.of("cs_cloud_type", "amazon")));
    assertThat(out).contains("SLOT1_4_USER = slot04").doesNotContain("SLOT1_5_USER").contains("CLOUD_KIND = other");
  }

  @Test
  void anUnknownVariableIsAnErrorNamingIt() {
    assertThatThrownBy(() -> render("#cloud-config\nhost: {{ cs_no_such_thing }}\n", productionVariables(Map.of())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("worker.yaml.j2")
        .hasMessageContaining("cs_no_such_thing");
  }

  @Test
  void templatesCannotReadFilesUrlsOrTheClassPath() {
    for (String t : List.of(
        "{% include '/etc/passwd' %}",
        "{% include 'org/csv2/core/userdata/worker.yaml.j2' %}",
        "{% import 'https://example.org/macros.j2' as m %}",
        "{% from 'file:///etc/hostname' import x %}",
        "{% extends 'base.j2' %}")) {
      assertThatThrownBy(() -> render("#cloud-config\n" + t + "\n", productionVariables(Map.of())))
          .as(t)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("worker.yaml.j2");
    }
  }

  @Test
  void templatesCannotReachClasses() {
    for (String t : List.of("{{ cs_user.class }}", "{{ cs_user.getClass() }}", "{{ cs_user.getClass().forName('java.lang.Runtime') }}")) {
      String out;
      try {
        out = render("#cloud-config\nx: '" + t + "'\n", productionVariables(Map.of()));
      } catch (ConfigurationException e) {
        continue; // refused: fine
      }
      assertThat(out).as(t).doesNotContain("java.lang").doesNotContain("class ");
    }
  }

  @Test
  void outputIsBounded() {
    assertThatThrownBy(() -> render(
            "#cloud-config\n{% for i in range(0, 1000) %}{% for j in range(0, 1000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}\n",
            productionVariables(Map.of())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("worker.yaml.j2");
  }

  @Test
  void aJinjaDocumentIsCheckedAsYamlAfterRendering() {
    assertThatThrownBy(() -> render("#cloud-config\n{% if true %}a: [1, 2{% endif %}\n", productionVariables(Map.of())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("not valid YAML after rendering");
  }

  @Test
  void theUseOfAVariableIsFoundInExpressionsAndTags() {
    assertThat(UserDataComposer.uses(List.of(jinja("{% if image %}x{% endif %}")), "image")).isTrue();
    assertThat(UserDataComposer.uses(List.of(jinja("{{ image | upper }}")), "image")).isTrue();
    assertThat(UserDataComposer.uses(List.of(jinja("{{ vm_name }}")), "vm_name")).isTrue();
    assertThat(UserDataComposer.uses(List.of(jinja("image: {{ cs_flavor }}")), "image")).isFalse();
    assertThat(UserDataComposer.uses(List.of(jinja("{{ cs_images }}")), "image")).isFalse();
    assertThat(UserDataComposer.variables(jinja("{{ cs_user }} {{cs_flavor|upper}} {% if x %}{% endif %}")))
        .containsExactly("cs_user", "cs_flavor");
  }

  @Test
  void aSyntaxErrorIsAConfigurationProblem() {
    assertThatThrownBy(() -> UserDataComposer.variables(jinja("{% if x %}never closed")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("worker.yaml.j2");
  }
}

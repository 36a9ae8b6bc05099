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
package org.csv2.plugin.htcondor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The shipped worker template, rendered like the engine does, and the local driver's reading of
 * user data: the condor config files a cloud-init would write.
 */
class WorkerTemplateTest {
  private static final String VM = "atlas--local--e1--0a1b2c";

  private static String rendered(String alias) {
    return Fixtures.render(Fixtures.workerTemplate(), Fixtures.variables("atlas", "local", "e1", VM, alias));
  }

  @Test
  void theTemplateUsesOnlyBootVariablesAndTheTwoGroupVariables() {
    Set<String> used = new TreeSet<>();
    Matcher m = Pattern.compile("\\{\\{\\s*([^}]*?)\\s*}}").matcher(Fixtures.workerTemplate());
    while (m.find()) {
      used.add(m.group(1));
    }
    // the names of org.csv2.core.userdata.BootVariables.BUILT_IN, plus the group's variables
    Set<String> builtIn =
        Set.of("group", "cloud", "flavor", "cores", "ram_mib", "disk_gib", "image", "alias", "instance_id", "vm_name");
    Set<String> allowed = new TreeSet<>(builtIn);
    allowed.addAll(List.of("condor_host", "condor_token"));
    assertThat(allowed).containsAll(used);
    assertThat(used).contains("vm_name", "group", "cloud", "instance_id", "condor_host", "condor_token");
  }

  @Test
  void theRenderedTemplateIsCloudConfigWritingTheCondorConfigAndTheToken() {
    String text = rendered("");
    assertThat(text).startsWith("#cloud-config\n");
    Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    assertThat(root).isInstanceOf(Map.class);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> files = (List<Map<String, Object>>) ((Map<String, Object>) root).get("write_files");
    Map<String, Map<String, Object>> byPath = new HashMap<>();
    files.forEach(f -> byPath.put((String) f.get("path"), f));
    assertThat(byPath).containsKeys("/etc/condor/config.d/50-csv2.config", "/etc/condor/tokens.d/csv2");
    assertThat(byPath.get("/etc/condor/tokens.d/csv2")).containsEntry("permissions", "0600").containsEntry("content", "eyJhbGciOiJIUzI1NiJ9.test.token");
  }

  @Test
  void theCondorConfigHasThePoolTheSlotTheAttributesStartAndRetirement() throws Exception {
    Map<String, String> files = CloudInit.condorConfig(rendered("fast"));
    assertThat(files).containsOnlyKeys("/etc/condor/config.d/50-csv2.config");
    String config = files.get("/etc/condor/config.d/50-csv2.config");
    assertThat(config)
        .contains("CONDOR_HOST = 127.0.0.1\n")
        .contains("NUM_SLOTS_TYPE_1 = 1\n", "SLOT_TYPE_1 = 100%\n", "SLOT_TYPE_1_PARTITIONABLE = True\n")
        .contains("Csv2VmName = \"" + VM + "\"\n", "Csv2Group = \"atlas\"\n", "Csv2Cloud = \"local\"\n", "Csv2InstanceId = \"e1\"\n")
        .contains("group_name = \"atlas\"\n", "cloud_name = \"local\"\n", "cs_host_id = \"e1\"\n", "target_alias = \"fast\"\n")
        .contains("STARTD_ATTRS = $(STARTD_ATTRS) Csv2VmName Csv2Group Csv2Cloud Csv2InstanceId")
        .contains("MASTER_ATTRS = $(MASTER_ATTRS) Csv2VmName")
        .contains("(TARGET.Csv2Group =?= \"atlas\")")
        .contains("(TARGET.Csv2TargetAlias =?= \"fast\")")
        .contains("START = ($(CSV2_GROUP_JOB)) && ($(CSV2_ALIAS_JOB))")
        .containsPattern("(?m)^MAXJOBRETIREMENTTIME = [1-9][0-9]*$");
    assertThat(config).doesNotContain("{{").doesNotContain("}}");
  }

  @Test
  void anUnknownVariableFailsTheRendering() {
    Map<String, String> v = Fixtures.variables("atlas", "local", "e1", VM, "");
    v.remove("condor_token");
    assertThatThrownBy(() -> Fixtures.render(Fixtures.workerTemplate(), v)).hasMessageContaining("condor_token");
  }

  @Test
  void theConfigIsFoundInAMultipartMessageAsTheEngineComposesIt() throws Exception {
    String message =
        Fixtures.multipart(
            "text/x-shellscript", "#!/bin/sh\necho hello\n",
            "text/cloud-config", rendered(""),
            "text/cloud-config", "#cloud-config\nwrite_files:\n  - path: /etc/condor/config.d/60-site.config\n    content: |\n      SITE = 1\n  - path: /etc/motd\n    content: hi\n");
    Map<String, String> files = CloudInit.condorConfig(message);
    assertThat(files.keySet()).containsExactly("/etc/condor/config.d/50-csv2.config", "/etc/condor/config.d/60-site.config");
    assertThat(files.get("/etc/condor/config.d/60-site.config")).isEqualTo("SITE = 1\n");
    assertThat(CloudInit.cloudConfigs(message)).hasSize(2);
  }

  @Test
  void encodedAndNestedPartsAreRead() throws Exception {
    String inner = Fixtures.multipart("text/cloud-config", "#cloud-config\nwrite_files:\n  - path: /etc/condor/config.d/10-a.config\n    encoding: b64\n    content: " + b64("A = 1\n") + "\n");
    String gz = "#cloud-config\nwrite_files:\n  - path: /etc/condor/config.d/20-b.config\n    encoding: gz+b64\n    content: " + gzB64("B = 2\n") + "\n";
    String outer =
        "Content-Type: multipart/mixed; boundary=\"outer\"\nMIME-Version: 1.0\n\n"
            + "--outer\n" + inner
            + "--outer\nContent-Type: text/cloud-config\nContent-Transfer-Encoding: base64\n\n" + b64(gz) + "\n"
            + "--outer--\n";
    Map<String, String> files = CloudInit.condorConfig(outer);
    assertThat(files).containsEntry("/etc/condor/config.d/10-a.config", "A = 1\n").containsEntry("/etc/condor/config.d/20-b.config", "B = 2\n");
  }

  @Test
  void aSingleCloudConfigDocumentIsRead() throws Exception {
    assertThat(CloudInit.condorConfig(rendered(""))).hasSize(1);
    assertThat(CloudInit.condorConfig("#!/bin/sh\necho not cloud-config\n")).isEmpty();
    assertThat(CloudInit.condorConfig("#cloud-config\n{}\n")).isEmpty();
  }

  @Test
  void malformedUserDataSaysWhatIsWrong() {
    assertThatThrownBy(() -> CloudInit.condorConfig("#cloud-config\nwrite_files: [ {path: x\n"))
        .isInstanceOf(CloudInit.Malformed.class)
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> CloudInit.condorConfig("Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nx\n"))
        .isInstanceOf(CloudInit.Malformed.class)
        .hasMessageContaining("closing boundary");
    assertThatThrownBy(() -> CloudInit.condorConfig("#cloud-config\nwrite_files:\n  - content: x\n"))
        .isInstanceOf(CloudInit.Malformed.class)
        .hasMessageContaining("write_files[0] has no path");
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String gzB64(String s) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }
}

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
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.api.ConfigurationException;
import org.csv2.model.AliasName;
import org.csv2.model.Allocation;
import org.csv2.model.AllocationMode;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Resources;
import org.csv2.model.UserData;
import org.csv2.model.UserDataDocument;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.junit.jupiter.api.Test;

class UserDataComposerTest {
  private final UserDataComposer composer = new UserDataComposer();

  private static UserDataDocument doc(String name, int priority, String template) {
    return new UserDataDocument(name, priority, "text/cloud-config", template, true);
  }

  private static UserDataDocument optional(String name, int priority, String template) {
    return new UserDataDocument(name, priority, "text/x-shellscript", template, false);
  }

  private static Group group(List<UserDataDocument> docs) {
    return new Group(
        GroupName.of("atlas"),
        Group.DEFAULT_JOB,
        VmDefaults.NONE,
        docs,
        List.of(),
        1,
        Map.of("condor_host", "cm.example.org"));
  }

  private static Allocation allocation(List<UserDataDocument> docs) {
    Allocation a = Allocation.of("atlas", "arbutus", 0);
    return new Allocation(
        a.group(), a.cloud(), 0, -1, -1, -1, AllocationMode.PREFERRED, Set.of(), VmDefaults.NONE, docs, true);
  }

  /** A MIME part parsed back: its header lines and body. */
  record Part(Map<String, String> headers, String body) {}

  /** Parses a multipart message by splitting on its boundary; no mail library involved. */
  static List<Part> parse(String message) {
    int headerEnd = message.indexOf("\n\n");
    String top = message.substring(0, headerEnd);
    assertThat(top).contains("MIME-Version: 1.0");
    String marker = "boundary=\"";
    int b = top.indexOf(marker);
    assertThat(b).as("multipart boundary parameter").isPositive();
    String boundary = top.substring(b + marker.length(), top.indexOf('"', b + marker.length()));
    assertThat(top).startsWith("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"");
    String rest = message.substring(headerEnd + 2);
    assertThat(rest).endsWith("--" + boundary + "--\n");
    String[] chunks = rest.substring(0, rest.length() - ("--" + boundary + "--\n").length()).split("--" + boundary + "\n", -1);
    assertThat(chunks[0]).isEmpty();
    List<Part> parts = new ArrayList<>();
    for (int i = 1; i < chunks.length; i++) {
      String chunk = chunks[i];
      int end = chunk.indexOf("\n\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line : chunk.substring(0, end).split("\n")) {
        int colon = line.indexOf(": ");
        headers.put(line.substring(0, colon), line.substring(colon + 2));
      }
      parts.add(new Part(headers, chunk.substring(end + 2)));
    }
    return parts;
  }

  @Test
  void selectTakesEnabledDocumentsAndRequestedOptionalOnesInOrder() {
    Group g =
        group(
            List.of(
                doc("zeta", 0, "#cloud-config\n"),
                doc("alpha", 5, "#cloud-config\n"),
                optional("gpu", 1, "#!/bin/sh\n"),
                optional("debug", 9, "#!/bin/sh\n")));
    Allocation a = allocation(List.of(doc("beta", 0, "#cloud-config\n"), doc("alpha", 2, "#cloud-config\nsite: 1\n")));

    List<UserDataDocument> plain = UserDataComposer.select(g, a, List.of());
    assertThat(plain).extracting(UserDataDocument::name).containsExactly("beta", "zeta", "alpha");
    assertThat(plain.get(2).template()).as("the allocation's document replaces the group's").contains("site: 1");

    List<UserDataDocument> withGpu =
        UserDataComposer.select(g, a, List.of("gpu", "/etc/passwd", "http://evil.example/x", "nope"));
    assertThat(withGpu).extracting(UserDataDocument::name).containsExactly("beta", "zeta", "gpu", "alpha");
  }

  @Test
  void composeRendersAndJoinsAsMultipartInOrder() {
    List<UserDataDocument> docs =
        List.of(
            new UserDataDocument("run.sh", 1, "text/x-shellscript", "#!/bin/sh\necho {{ vm_name }} ${HOME}", true),
            doc("base.yaml", 0, "#cloud-config\nwrite_files:\n  - path: /etc/cm\n    content: {{condor_host}}\n"));
    Map<String, String> vars = Map.of("vm_name", "atlas--arbutus--e1--0001", "condor_host", "cm.example.org");

    UserData data = composer.compose(docs, vars);

    assertThat(data.gzipped()).isFalse();
    List<Part> parts = parse(data.text());
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).headers())
        .containsEntry("Content-Type", "text/cloud-config; charset=\"utf-8\"")
        .containsEntry("MIME-Version", "1.0")
        .containsEntry("Content-Disposition", "attachment; filename=\"base.yaml\"");
    assertThat(parts.get(0).body())
        .isEqualTo("#cloud-config\nwrite_files:\n  - path: /etc/cm\n    content: cm.example.org\n");
    assertThat(parts.get(1).headers())
        .containsEntry("Content-Type", "text/x-shellscript; charset=\"utf-8\"")
        .containsEntry("Content-Disposition", "attachment; filename=\"run.sh\"");
    assertThat(parts.get(1).body()).isEqualTo("#!/bin/sh\necho atlas--arbutus--e1--0001 ${HOME}\n");
  }

  @Test
  void aSingleDocumentIsStillMultipartAndNoDocumentsIsEmpty() {
    UserData one = composer.compose(List.of(doc("only", 0, "#cloud-config\n{}\n")), Map.of());
    assertThat(parse(one.text())).singleElement().satisfies(p -> assertThat(p.body()).isEqualTo("#cloud-config\n{}\n"));
    assertThat(composer.compose(List.of(), Map.of())).isEqualTo(UserData.EMPTY);
  }

  @Test
  void theBoundaryAppearsInNoPart() {
    String sneaky = "#!/bin/sh\necho '--==csv2-boundary==' '==csv2-boundary==1'\n";
    UserData data =
        composer.compose(List.of(new UserDataDocument("s", 0, "text/x-shellscript", sneaky, true)), Map.of());
    assertThat(data.text()).startsWith("Content-Type: multipart/mixed; boundary=\"==csv2-boundary==2\"");
    assertThat(parse(data.text())).singleElement().satisfies(p -> assertThat(p.body()).isEqualTo(sneaky));
  }

  @Test
  void anyBodiesParseBackUnchanged() {
    qt().withExamples(200)
        .forAll(lists().of(strings().basicLatinAlphabet().ofLengthBetween(0, 60)).ofSizeBetween(1, 5))
        .checkAssert(
            bodies -> {
              List<UserDataDocument> docs = new ArrayList<>();
              for (int i = 0; i < bodies.size(); i++) {
                String body = bodies.get(i).replace("{", "(") + "\n";
                docs.add(new UserDataDocument("d" + i, i, "text/x-shellscript", body, true));
              }
              List<Part> parts = parse(composer.compose(docs, Map.of()).text());
              assertThat(parts).extracting(Part::body).containsExactlyElementsOf(docs.stream().map(UserDataDocument::template).toList());
            });
  }

  @Test
  void unknownVariablesAreReportedWithTheDocument() {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () ->
                composer.compose(
                    List.of(doc("a.yaml", 0, "#cloud-config\nx: {{ group }}\ny: {{ tokn }}\n"), doc("b.yaml", 1, "{{ also_missing }}")),
                    Map.of("group", "atlas", "token", "t")));
    assertThat(e.problems())
        .containsExactly(
            "user-data document 'a.yaml', line 3: unknown variable 'tokn'; available: group, token",
            "user-data document 'b.yaml', line 1: unknown variable 'also_missing'; available: group, token");
  }

  @Test
  void malformedPlaceholdersAreReported() {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () -> composer.compose(List.of(doc("a", 0, "x: {{ a | upper }}\ny: {{ b"), doc("b", 1, "{{}}")), Map.of("a", "1")));
    assertThat(e.problems())
        .containsExactly(
            "user-data document 'a', line 1: '{{a | upper}}' is not a variable name (letters, digits, _); templates have no logic or filters",
            "user-data document 'a', line 2: '{{' without '}}'",
            "user-data document 'b', line 1: '{{}}' is not a variable name (letters, digits, _); templates have no logic or filters");
  }

  @Test
  void cloudConfigMustBeYamlAfterRenderingAndTheErrorHidesTheValues() {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () ->
                composer.compose(
                    List.of(
                        doc("broken.yaml", 0, "#cloud-config\ntoken: {{ token }}\n"),
                        new UserDataDocument("ok.sh", 1, "text/x-shellscript", "token: {{ token }}", true)),
                    Map.of("token", "[secret-value")));
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .startsWith("user-data document 'broken.yaml' (text/cloud-config) is not valid YAML after rendering at line 3")
                    .doesNotContain("secret-value"));
  }

  @Test
  void largeUserDataIsGzippedAndRoundTrips() {
    StringBuilder big = new StringBuilder("#cloud-config\nwrite_files:\n");
    for (int i = 0; big.length() <= UserDataComposer.GZIP_THRESHOLD; i++) {
      big.append("  - path: /etc/file-").append(i).append("\n    content: line ").append(i).append('\n');
    }
    UserData data = composer.compose(List.of(doc("big.yaml", 0, big.toString())), Map.of());

    assertThat(data.gzipped()).isTrue();
    assertThat(data.bytes()[0]).isEqualTo((byte) 0x1f);
    assertThat(data.bytes()[1]).isEqualTo((byte) 0x8b);
    assertThat(data.bytes().length).isLessThan(UserDataComposer.GZIP_THRESHOLD);
    assertThat(parse(data.text())).singleElement().satisfies(p -> assertThat(p.body()).isEqualTo(big.toString()));

    UserData small = composer.compose(List.of(doc("small.yaml", 0, "#cloud-config\n{}\n")), Map.of());
    assertThat(small.gzipped()).isFalse();
  }

  @Test
  void usesFindsVariables() {
    List<UserDataDocument> docs = List.of(doc("a", 0, "x: {{vm_name}}"), doc("b", 0, "y: {{ group }}"));
    assertThat(UserDataComposer.uses(docs, "vm_name")).isTrue();
    assertThat(UserDataComposer.uses(docs, "group")).isTrue();
    assertThat(UserDataComposer.uses(docs, "cloud")).isFalse();
    assertThat(UserDataComposer.variables(docs.get(1))).containsExactly("group");
  }

  @Test
  void bootVariables() {
    Group g = group(List.of());
    Flavor flavor = Flavor.of("c8", new Resources(8, 16000, 80, 0, 0));
    Map<String, String> v =
        BootVariables.of(
            g, CloudName.of("arbutus"), flavor, "alma-9", AliasName.of("canada"), "e1", VmId.of("atlas--arbutus--e1--0001"));

    assertThat(v)
        .containsEntry("group", "atlas")
        .containsEntry("cloud", "arbutus")
        .containsEntry("flavor", "c8")
        .containsEntry("cores", "8")
        .containsEntry("ram_mib", "16000")
        .containsEntry("disk_gib", "80")
        .containsEntry("image", "alma-9")
        .containsEntry("alias", "canada")
        .containsEntry("instance_id", "e1")
        .containsEntry("vm_name", "atlas--arbutus--e1--0001")
        .containsEntry("condor_host", "cm.example.org")
        .containsEntry("cs_condor_host", "cm.example.org")
        .containsEntry("cs_group_name", "atlas")
        .containsEntry("cs_cloud_name", "arbutus")
        .containsEntry("cs_flavor", "c8")
        .containsEntry("cs_cloud_alias", "canada")
        .containsEntry("cs_host_id", "e1");
    assertThat(BootVariables.names(g)).containsAll(v.keySet());

    Map<String, String> noVm = BootVariables.of(g, CloudName.of("arbutus"), flavor, "alma-9", null, "e1", null);
    assertThat(noVm).doesNotContainKey("vm_name").containsEntry("alias", "").containsEntry("cs_cloud_alias", "");
    assertThat(BootVariables.check(Map.of("cloud", "x", "9lives", "y", "ok_name", "z")))
        .containsExactly(
            "9lives: a variable name is letters, digits and _, not starting with a digit",
            "cloud: 'cloud' is a built-in variable; choose another name");
  }

  @Test
  void priorityOrderHoldsForAnyPriorities() {
    qt().forAll(lists().of(integers().between(-5, 5)).ofSizeBetween(1, 8))
        .checkAssert(
            priorities -> {
              List<UserDataDocument> docs = new ArrayList<>();
              for (int i = 0; i < priorities.size(); i++) {
                docs.add(doc("d" + i, priorities.get(i), "#cloud-config\nn: " + i + "\n"));
              }
              List<UserDataDocument> selected = UserDataComposer.select(group(docs), allocation(List.of()), List.of());
              for (int i = 1; i < selected.size(); i++) {
                UserDataDocument a = selected.get(i - 1);
                UserDataDocument b = selected.get(i);
                assertThat(a.priority() < b.priority() || (a.priority() == b.priority() && a.name().compareTo(b.name()) < 0))
                    .isTrue();
              }
              List<Part> parts = parse(composer.compose(selected, Map.of()).text());
              assertThat(parts).extracting(Part::body).containsExactlyElementsOf(selected.stream().map(UserDataDocument::template).toList());
            });
  }
}

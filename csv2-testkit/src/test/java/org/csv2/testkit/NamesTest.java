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
package org.csv2.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import java.util.List;
import org.csv2.model.AliasName;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.InstanceId;
import org.csv2.model.VmId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Validation of the typed names and the VM name scheme. */
class NamesTest {
  private static final List<String> VALID = List.of("a", "atlas", "belle-ii", "dune_prod", "x1", "0lab", "a".repeat(63));
  private static final List<String> INVALID =
      List.of("", "Atlas", "-atlas", "atlas-", "_a", "at--las", "at las", "atlas.cern", "a".repeat(64), "é");

  @Test
  @DisplayName("group, cloud and alias names accept lower-case slugs")
  void validSlugsAreAccepted() {
    for (String s : VALID) {
      assertThatCode(() -> {
            GroupName.of(s);
            CloudName.of(s);
            AliasName.of(s);
          })
          .as("'%s'", s)
          .doesNotThrowAnyException();
    }
  }

  @Test
  @DisplayName("group, cloud and alias names reject anything else, quoting it")
  void invalidSlugsAreRejected() {
    for (String s : INVALID) {
      assertThatThrownBy(() -> GroupName.of(s)).as("group '%s'", s).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + s + "'");
      assertThatThrownBy(() -> CloudName.of(s)).as("cloud '%s'", s).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> AliasName.of(s)).as("alias '%s'", s).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  @DisplayName("generated names are valid for every typed name")
  void generatedNamesAreValid() {
    qt().withFixedSeed(7L).forAll(Csv2Generators.names())
        .checkAssert(s -> assertThatCode(() -> {
              GroupName.of(s);
              CloudName.of(s);
              AliasName.of(s);
            })
            .doesNotThrowAnyException());
  }

  @Test
  @DisplayName("flavor, instance and job ids accept any non-blank string and reject blanks")
  void freeFormIdsRejectOnlyBlanks() {
    assertThat(FlavorName.of("c8-30gb (Ubuntu)").value()).isEqualTo("c8-30gb (Ubuntu)");
    assertThat(InstanceId.of("i-0abc").value()).isEqualTo("i-0abc");
    assertThatThrownBy(() -> FlavorName.of(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InstanceId.of("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("VM names accept host names and reject upper case, spaces and edge dashes")
  void vmNamesAreHostNames() {
    assertThat(VmId.of("node-17.cloud.example.org").value()).isEqualTo("node-17.cloud.example.org");
    for (String s : List.of("", "Node", "a b", "-a", "a-", "a_b")) {
      assertThatThrownBy(() -> VmId.of(s)).as("'%s'", s).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  @DisplayName("VmId.of(group, cloud, instance, suffix) round-trips the instance id")
  void vmIdRoundTripsTheInstancePart() {
    qt().withFixedSeed(11L)
        .forAll(Csv2Generators.groupNames(), Csv2Generators.cloudNames(), Csv2Generators.instanceIds())
        .check((g, c, i) -> VmId.of(g, c, i, "0a1b2c").instancePart().orElse("").equals(i));
  }

  @Test
  @DisplayName("VmId.of lower-cases and turns underscores into dashes")
  void vmIdNormalisesUnderscores() {
    VmId id = VmId.of(GroupName.of("dune_prod"), CloudName.of("arbutus"), "t0000beef", "ab12");
    assertThat(id.value()).isEqualTo("dune-prod--arbutus--t0000beef--ab12");
    assertThat(id.instancePart()).contains("t0000beef");
  }

  @Test
  @DisplayName("a name outside the scheme has no instance part")
  void foreignNamesHaveNoInstancePart() {
    assertThat(VmId.of("worker-1.example.org").instancePart()).isEmpty();
    assertThat(VmId.of("a--b--c").instancePart()).isEmpty();
  }
}

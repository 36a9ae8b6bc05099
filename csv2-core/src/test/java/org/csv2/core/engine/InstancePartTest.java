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
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import org.csv2.model.VmId;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The reconciler's regex-free instance part equals {@link VmId#instancePart()}. */
class InstancePartTest {
  @Test
  void examples() {
    assertThat(DeriveStep.instancePart("atlas--arbutus--prod--a1b2")).isEqualTo("prod");
    assertThat(DeriveStep.instancePart("atlas--arbutus--a1b2")).isNull();
    assertThat(DeriveStep.instancePart("a--b--c--d--e")).isNull();
    assertThat(DeriveStep.instancePart("a---b--c--d")).isEqualTo("c");
    assertThat(DeriveStep.instancePart("a--b----d")).isEqualTo("");
    assertThat(DeriveStep.instancePart("worker7.example.org")).isNull();
  }

  @Test
  void agreesWithVmIdOnEveryName() {
    Gen<String> names =
        lists()
            .of(Generate.pick(java.util.List.of("a", "b", "-", "--", "7", ".")))
            .ofSizeBetween(1, 14)
            .map(l -> "x" + String.join("", l) + "y");
    qt().withExamples(2000)
        .forAll(names)
        .check(n -> String.valueOf(VmId.of(n).instancePart().orElse(null)).equals(String.valueOf(DeriveStep.instancePart(n))));
  }

  @Test
  void theAllocationFreeCheckAgreesWithTheInstancePart() {
    assertThat(DeriveStep.instancePartIsOrAbsent("atlas--arbutus--prod--a1b2", "prod")).isTrue();
    assertThat(DeriveStep.instancePartIsOrAbsent("atlas--arbutus--prod--a1b2", "pro")).isFalse();
    assertThat(DeriveStep.instancePartIsOrAbsent("atlas--arbutus--prod--a1b2", "prod2")).isFalse();
    assertThat(DeriveStep.instancePartIsOrAbsent("worker7.example.org", "prod")).isTrue();
    Gen<String> names =
        lists()
            .of(Generate.pick(java.util.List.of("a", "b", "-", "--", "7", ".")))
            .ofSizeBetween(1, 14)
            .map(l -> "x" + String.join("", l) + "y");
    Gen<String> ids = Generate.pick(java.util.List.of("", "a", "b", "ab", "-", "a-b", "7"));
    qt().withExamples(3000)
        .forAll(names, ids)
        .check(
            (n, id) -> {
              String part = DeriveStep.instancePart(n);
              return DeriveStep.instancePartIsOrAbsent(n, id) == (part == null || part.equals(id));
            });
  }
}

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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.csv2.testkit.Csv2Generators.jobRequests;
import static org.csv2.testkit.Csv2Generators.resources;
import static org.quicktheories.QuickTheory.qt;

import org.csv2.model.Resources;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Value laws of {@link Resources}. */
class ResourcesLawsTest {
  private static final long SEED = 20240501L;

  @Test
  @DisplayName("plus is associative")
  void plusIsAssociative() {
    qt().withFixedSeed(SEED).forAll(resources(), resources(), resources())
        .check((a, b, c) -> a.plus(b).plus(c).equals(a.plus(b.plus(c))));
  }

  @Test
  @DisplayName("plus is commutative")
  void plusIsCommutative() {
    qt().withFixedSeed(SEED).forAll(resources(), resources()).check((a, b) -> a.plus(b).equals(b.plus(a)));
  }

  @Test
  @DisplayName("ZERO is the identity of plus")
  void zeroIsTheIdentity() {
    qt().withFixedSeed(SEED).forAll(resources())
        .check(a -> a.plus(Resources.ZERO).equals(a) && Resources.ZERO.plus(a).equals(a) && Resources.ZERO.fitsIn(a));
  }

  @Test
  @DisplayName("a fits in a plus b")
  void aFitsInItsSum() {
    qt().withFixedSeed(SEED).forAll(resources(), resources()).check((a, b) -> a.fitsIn(a.plus(b)));
  }

  @Test
  @DisplayName("minus undoes plus")
  void minusIsTheInverseOfPlus() {
    qt().withFixedSeed(SEED).forAll(resources(), resources()).check((a, b) -> a.plus(b).minus(b).equals(a));
  }

  @Test
  @DisplayName("howMany is the largest n with unit times n fitting")
  void howManyAgreesWithTimesAndFitsIn() {
    qt().withFixedSeed(SEED).forAll(resources(), jobRequests())
        .check((amount, unit) -> {
          int n = amount.howMany(unit);
          return n >= 0 && unit.times(n).fitsIn(amount) && !unit.times(n + 1).fitsIn(amount);
        });
  }

  @Test
  @DisplayName("howMany of a zero unit is unbounded")
  void howManyOfZeroIsUnbounded() {
    assertThat(Resources.of(4, 8192).howMany(Resources.ZERO)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  @DisplayName("minusOrZero never goes below zero and fits in the minuend")
  void minusOrZeroFloorsAtZero() {
    qt().withFixedSeed(SEED).forAll(resources(), resources()).check((a, b) -> a.minusOrZero(b).fitsIn(a));
  }

  @Test
  @DisplayName("a negative component is rejected, naming every component")
  void negativeComponentsAreRejected() {
    assertThatThrownBy(() -> new Resources(1, -1, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ramMiB=-1");
    assertThatThrownBy(() -> Resources.of(1, 100).minus(Resources.of(2, 100)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("describe prints the non-zero components")
  void describeIsShort() {
    assertThat(Resources.of(4, 8192, 20).describe()).isEqualTo("4c/8192MiB/20GiB");
    assertThat(new Resources(1, 512, 0, 0, 2).describe()).isEqualTo("1c/512MiB/2gpu");
  }
}

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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.UserData;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Behaviour of the model records beyond their accessors. */
class ValuesTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @Test
  @DisplayName("Vm.withState records the transition time, the state-since time and the reason")
  void withStateRecordsTheTransition() {
    Vm vm = Vm.builder(VmId.of("a--b--t1--c"), GroupName.of("a"), CloudName.of("b"), FlavorName.of("m1"), T0).build();
    Vm booting = vm.withState(VmState.BOOTING, T0.plusSeconds(5), "cloud says BUILD");
    assertThat(booting.state()).isEqualTo(VmState.BOOTING);
    assertThat(booting.stateSince()).isEqualTo(T0.plusSeconds(5));
    assertThat(booting.reason()).isEqualTo("cloud says BUILD");
    assertThat(booting.enteredAt(VmState.BOOTING)).contains(T0.plusSeconds(5));
    assertThat(booting.enteredAt(VmState.REQUESTED)).contains(T0);
    assertThat(vm.enteredAt(VmState.BOOTING)).as("the original is unchanged").isEmpty();
  }

  @Test
  @DisplayName("Vm.withState to the current state returns the same record")
  void withStateWithoutChangeIsIdentity() {
    Vm vm = Vm.builder(VmId.of("a--b--t1--c"), GroupName.of("a"), CloudName.of("b"), FlavorName.of("m1"), T0).build();
    assertThat(vm.withState(VmState.REQUESTED, T0.plusSeconds(9), "again")).isSameAs(vm);
    assertThat(vm.withVersion(0)).isSameAs(vm);
  }

  @Test
  @DisplayName("generated VMs survive toBuilder().build() unchanged")
  void toBuilderRoundTrips() {
    org.quicktheories.QuickTheory.qt().withFixedSeed(3L).forAll(Csv2Generators.vms()).check(v -> v.toBuilder().build().equals(v));
  }

  @Test
  @DisplayName("gzipped user data decodes to its text")
  void gzippedUserDataRoundTrips() throws IOException {
    String text = "#cloud-config\nruncmd:\n  - echo " + "x".repeat(5000) + "\n";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    UserData data = new UserData(Base64.getEncoder().encodeToString(bytes.toByteArray()), true);
    assertThat(data.text()).isEqualTo(text);
    assertThat(data.bytes()).isEqualTo(bytes.toByteArray());
  }

  @Test
  @DisplayName("plain user data decodes to its text; EMPTY is empty")
  void plainUserDataRoundTrips() {
    assertThat(UserData.ofText("#cloud-config\n{}\n").text()).isEqualTo("#cloud-config\n{}\n");
    assertThat(UserData.EMPTY.isEmpty()).isTrue();
  }

  @Test
  @DisplayName("user data marked gzipped that is not fails clearly")
  void falselyGzippedUserDataFails() {
    UserData data = new UserData(UserData.ofText("plain").base64(), true);
    assertThatThrownBy(data::text).isInstanceOf(UncheckedIOException.class).hasMessageContaining("gzipped");
  }
}

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
package org.csv2.api.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.VmId;
import org.junit.jupiter.api.Test;

class OperatorRecordsTest {
  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
  private static final GroupName G = GroupName.of("atlas");
  private static final CloudName C = CloudName.of("c1");
  private static final VmId VM = VmId.of("atlas--c1--e--1");

  @Test
  void actorNamesAndRolesAreBoundedAndPrintable() {
    assertThat(Actor.of("alice@example.org", "admin")).hasToString("alice@example.org (admin)");
    assertThatThrownBy(() -> Actor.of("", "admin")).hasMessageContaining("actor name");
    assertThatThrownBy(() -> Actor.of("al ice", "admin")).hasMessageContaining("without spaces");
    assertThatThrownBy(() -> Actor.of("a".repeat(65), "admin")).hasMessageContaining("1 to 64");
    assertThatThrownBy(() -> Actor.of("alice\u0007", "admin")).hasMessageContaining("alice?");
    assertThatThrownBy(() -> Actor.of("alice", "Admin")).hasMessageContaining("actor role");
  }

  @Test
  void intentsNameTheirTargetAndBoundTheirText() {
    Actor a = Actor.of("alice", "cli");
    Intent kill = Intent.forVm(IntentKind.KILL, G, C, VM, Map.of("force", "true"), a, T0);
    assertThat(kill.target()).isEqualTo(VM.value());
    assertThat(kill.force()).isTrue();
    assertThat(kill.count()).isEqualTo(-1);
    assertThat(kill.status()).isEqualTo(IntentStatus.PENDING);
    assertThat(IntentStatus.PENDING.isFinal()).isFalse();
    assertThat(IntentStatus.VANISHED.isFinal()).isTrue();
    Intent retain = Intent.retain(G, C, 3, a, T0);
    assertThat(retain.target()).isEqualTo("atlas/c1");
    assertThat(retain.count()).isEqualTo(3);
    assertThatThrownBy(() -> Intent.retain(G, C, -1, a, T0)).hasMessageContaining(">= 0");
    assertThatThrownBy(() -> new Intent(0, IntentKind.RETAIN, G, null, null, Map.of(), a, T0, IntentStatus.PENDING, "", null, 0))
        .hasMessageContaining("needs a cloud");
    assertThatThrownBy(() -> Intent.forVm(IntentKind.RETIRE, G, C, VM, Map.of("k", "v".repeat(257)), a, T0))
        .hasMessageContaining("256");
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 17; i++) {
      many.put("k" + i, "v");
    }
    assertThatThrownBy(() -> Intent.forVm(IntentKind.RETIRE, G, C, VM, many, a, T0)).hasMessageContaining("16");
    Intent done = kill.stored(7, 1).complete(IntentStatus.FAILED, "x".repeat(1000), T0);
    assertThat(done.message()).hasSize(Intent.MAX_TEXT).endsWith("...");
    assertThat(done.id()).isEqualTo(7);
    assertThat(done.completedAt()).isEqualTo(T0);
  }

  @Test
  void auditTextIsCutAndMarked() {
    AuditEntry e = AuditEntry.of(T0, Actor.of("bob", "admin"), "cloud update", "cloud c1", "", "y".repeat(AuditEntry.MAX_TEXT + 10));
    assertThat(e.after()).hasSize(AuditEntry.MAX_TEXT).endsWith("(cut)");
    assertThatThrownBy(() -> AuditEntry.of(T0, Actor.of("bob", "admin"), " ", "x", "", "")).hasMessageContaining("action");
  }
}

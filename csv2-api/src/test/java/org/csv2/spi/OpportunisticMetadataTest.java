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
package org.csv2.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.model.GroupName;
import org.csv2.model.Limits;
import org.csv2.model.OpportunisticPolicy;
import org.junit.jupiter.api.Test;

class OpportunisticMetadataTest {
  private static final String SRC = "project properties of p";

  @Test
  void noKeyGovernsNothing() {
    OpportunisticPolicy p = OpportunisticMetadata.parse(Map.of("owner", "x"), SRC);
    assertThat(p.governed()).isFalse();
    assertThat(p.allows(GroupName.of("any"))).isTrue();
    assertThat(p.notes()).isEmpty();
  }

  @Test
  void wellFormedValues() {
    OpportunisticPolicy p =
        OpportunisticMetadata.parse(
            Map.of(
                OpportunisticMetadata.CORES, "400",
                OpportunisticMetadata.INSTANCES, " unlimited ",
                OpportunisticMetadata.GROUPS, "belle2, lhcb"),
            SRC);
    assertThat(p.governed()).isTrue();
    assertThat(p.cores()).isEqualTo(400);
    assertThat(p.instances()).isEqualTo(Limits.UNLIMITED);
    assertThat(p.groups()).containsExactlyInAnyOrder(GroupName.of("belle2"), GroupName.of("lhcb"));
    assertThat(p.allows(GroupName.of("lhcb"))).isTrue();
    assertThat(p.allows(GroupName.of("atlas"))).isFalse();
    assertThat(p.reclaim()).isFalse();
    assertThat(p.notes()).isEmpty();
    assertThat(p.describe()).isEqualTo("400 cores, any VMs, groups [belle2, lhcb]");
  }

  @Test
  void reclaimWithDeadline() {
    OpportunisticPolicy p =
        OpportunisticMetadata.parse(
            Map.of(OpportunisticMetadata.RECLAIM, "True", OpportunisticMetadata.RECLAIM_DEADLINE, "2026-12-04T19:00:00+01:00"),
            SRC);
    assertThat(p.reclaim()).isTrue();
    assertThat(p.deadline()).isEqualTo(Instant.parse("2026-12-04T18:00:00Z"));
    assertThat(p.allows(GroupName.of("lhcb"))).isFalse();
    assertThat(p.notes()).isEmpty();
  }

  @Test
  void malformedValuesGetSafeDefaultsAndNotes() {
    Map<String, String> m = new HashMap<>();
    m.put(OpportunisticMetadata.CORES, "four hundred\n");
    m.put(OpportunisticMetadata.INSTANCES, "-5");
    m.put(OpportunisticMetadata.GROUPS, "lhcb, Bad--Name");
    m.put(OpportunisticMetadata.RECLAIM, "soon");
    m.put(OpportunisticMetadata.RECLAIM_DEADLINE, "tomorrow");
    OpportunisticPolicy p = OpportunisticMetadata.parse(m, SRC);
    assertThat(p.cores()).isZero();
    assertThat(p.instances()).isZero();
    assertThat(p.groups()).containsExactly(GroupName.of("lhcb"));
    assertThat(p.reclaim()).isTrue();
    assertThat(p.deadline()).isNull();
    assertThat(p.notes())
        .anySatisfy(n -> assertThat(n).contains(OpportunisticMetadata.CORES, "four hundred\\u000a", "treated as 0", SRC))
        .anySatisfy(n -> assertThat(n).contains(OpportunisticMetadata.INSTANCES, "'-5'"))
        .anySatisfy(n -> assertThat(n).contains("invalid groups 'Bad--Name'"))
        .anySatisfy(n -> assertThat(n).contains(OpportunisticMetadata.RECLAIM, "'soon'", "drain peacefully"))
        .anySatisfy(n -> assertThat(n).contains(OpportunisticMetadata.RECLAIM_DEADLINE, "'tomorrow'"));
    assertThat(String.join("\n", p.notes())).doesNotContain("\n\n");
  }

  @Test
  void deadlineWithoutReclaimIsIgnored() {
    OpportunisticPolicy p =
        OpportunisticMetadata.parse(Map.of(OpportunisticMetadata.RECLAIM_DEADLINE, "2026-12-04T18:00:00Z"), SRC);
    assertThat(p.governed()).isTrue();
    assertThat(p.reclaim()).isFalse();
    assertThat(p.deadline()).isNull();
    assertThat(p.notes()).singleElement().asString().contains("is ignored");
  }

  @Test
  void longValuesAreMalformedAndAbbreviated() {
    String huge = "9".repeat(5000);
    OpportunisticPolicy p = OpportunisticMetadata.parse(Map.of(OpportunisticMetadata.CORES, huge), SRC);
    assertThat(p.cores()).isZero();
    assertThat(p.notes().get(0).length()).isLessThan(300);
  }

  @Test
  void emptyGroupListAllowsNobody() {
    OpportunisticPolicy p = OpportunisticMetadata.parse(Map.of(OpportunisticMetadata.GROUPS, ""), SRC);
    assertThat(p.allows(GroupName.of("lhcb"))).isFalse();
  }

  @Test
  void contradictorySourcesGiveTheMostRestrictiveWithANote() {
    OpportunisticPolicy project =
        OpportunisticMetadata.parse(
            Map.of(OpportunisticMetadata.CORES, "400", OpportunisticMetadata.GROUPS, "lhcb,belle2"), "project p");
    OpportunisticPolicy aggregate =
        OpportunisticMetadata.parse(
            Map.of(
                OpportunisticMetadata.CORES, "200",
                OpportunisticMetadata.INSTANCES, "30",
                OpportunisticMetadata.GROUPS, "lhcb,alice"),
            "aggregate farm");
    OpportunisticPolicy none = OpportunisticMetadata.parse(Map.of(), "aggregate other");
    OpportunisticPolicy c = OpportunisticMetadata.combine(List.of(project, aggregate, none), "cloud c");
    assertThat(c.cores()).isEqualTo(200);
    assertThat(c.instances()).isEqualTo(30);
    assertThat(c.groups()).isEqualTo(Set.of(GroupName.of("lhcb")));
    assertThat(c.notes()).singleElement().asString().contains("disagree on cores, instances, groups", "most restrictive");
  }

  @Test
  void anyReclaimWinsWithTheEarliestDeadline() {
    OpportunisticPolicy a =
        OpportunisticMetadata.parse(
            Map.of(OpportunisticMetadata.RECLAIM, "yes", OpportunisticMetadata.RECLAIM_DEADLINE, "2026-12-04T18:00:00Z"), "a");
    OpportunisticPolicy b =
        OpportunisticMetadata.parse(
            Map.of(OpportunisticMetadata.RECLAIM, "yes", OpportunisticMetadata.RECLAIM_DEADLINE, "2026-12-04T17:00:00Z"), "b");
    OpportunisticPolicy c = OpportunisticMetadata.parse(Map.of(OpportunisticMetadata.RECLAIM, "no"), "c");
    OpportunisticPolicy all = OpportunisticMetadata.combine(List.of(a, b, c), "cloud");
    assertThat(all.reclaim()).isTrue();
    assertThat(all.deadline()).isEqualTo(Instant.parse("2026-12-04T17:00:00Z"));
    assertThat(OpportunisticMetadata.combine(List.of(), "cloud").governed()).isFalse();
  }
}

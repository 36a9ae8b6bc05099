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
package org.csv2.plugin.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.csv2.api.BreakerState;
import org.csv2.api.ops.GroupStatus;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.junit.jupiter.api.Test;

/**
 * Status snapshots through their JSON: the instance figures and largest flavors reservations
 * check (issue 15) survive the round trip, and a snapshot written before them reads as "not known".
 */
class StatusCodecTest {
  static GroupStatus status(GroupStatus.CloudFigures c) {
    return new GroupStatus(GroupName.of("atlas"), Instant.parse("2026-01-05T08:00:00Z"), "e1@0", 1, List.of(), List.of(c),
        List.of(), List.of(), List.of(), List.of());
  }

  @Test
  void instancesAndFlavorsRoundTrip() {
    GroupStatus.CloudFigures c = new GroupStatus.CloudFigures(CloudName.of("c1"), true, Map.of(),
        new GroupStatus.Usage(16, -1, 4, 0), new GroupStatus.Usage(-1, -1, 8000, 0), List.of(), true, null,
        BreakerState.CLOSED, null, "", new GroupStatus.Usage(300, -1, 2, 5),
        List.of(new GroupStatus.FlavorSize(FlavorName.of("m8"), 8, 16000)));
    GroupStatus back = StatusCodec.read(StatusCodec.write(status(c)));
    assertThat(back.clouds().get(0).instances()).isEqualTo(new GroupStatus.Usage(300, -1, 2, 5));
    assertThat(back.clouds().get(0).flavors()).containsExactly(new GroupStatus.FlavorSize(FlavorName.of("m8"), 8, 16000));
    assertThat(back).isEqualTo(status(c));
  }

  @Test
  void anOlderSnapshotHasNoInstanceFiguresNorFlavors() {
    GroupStatus.CloudFigures c = new GroupStatus.CloudFigures(CloudName.of("c1"), true, Map.of(),
        new GroupStatus.Usage(16, -1, 4, 0), new GroupStatus.Usage(-1, -1, 8000, 0), List.of(), true, null,
        BreakerState.CLOSED, null, "");
    String json = StatusCodec.write(status(c)).replaceAll(",\"instances\":\\{[^}]*\\}", "").replace(",\"flavors\":[]", "");
    assertThat(json).doesNotContain("\"instances\"").doesNotContain("\"flavors\"");
    GroupStatus.CloudFigures back = StatusCodec.read(json).clouds().get(0);
    assertThat(back.instances()).isEqualTo(GroupStatus.CloudFigures.NO_INSTANCES);
    assertThat(back.flavors()).isEmpty();
  }
}

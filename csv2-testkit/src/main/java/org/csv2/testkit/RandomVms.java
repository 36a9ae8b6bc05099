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

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.csv2.model.AliasName;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.InstanceId;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;

/**
 * Random but storable {@link Vm} records, driven by a {@link Random} so that a seed reproduces
 * them. Every time is a whole second after {@link #T0} and every price a multiple of 0.25, so that
 * any store (SQL timestamps, decimals) round-trips them exactly.
 */
final class RandomVms {
  static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  private static final List<String> GROUPS = List.of("contract", "atlas", "belle-ii", "dune_prod");
  private static final List<String> CLOUDS = List.of("contract-cloud", "arbutus", "ec2-us-east-1");
  private static final List<String> FLAVORS = List.of("m1.small", "c8-30gb", "t3.micro", "p3.2xlarge");
  private static final List<String> IMAGES = List.of("contract-image", "ami-0abc1234", "CentOS 7 x86_64");
  private static final List<String> REASONS =
      List.of("requested", "cloud says ACTIVE", "idle past keep-alive 10m", "quota shrank", "operator: kill");

  private RandomVms() {}

  static Vm vm(Random rnd, VmId id) {
    Instant created = T0.plusSeconds(rnd.nextInt(86_400));
    VmState state = pick(rnd, List.of(VmState.values()));
    Instant since = created.plusSeconds(rnd.nextInt(3_600));
    Map<VmState, Instant> transitions = new EnumMap<>(VmState.class);
    transitions.put(VmState.REQUESTED, created);
    for (VmState s : VmState.values()) {
      if (rnd.nextInt(4) == 0) {
        transitions.put(s, created.plusSeconds(rnd.nextInt(3_600)));
      }
    }
    transitions.put(state, since);
    return Vm.builder(
            id,
            GroupName.of(pick(rnd, GROUPS)),
            CloudName.of(pick(rnd, CLOUDS)),
            FlavorName.of(pick(rnd, FLAVORS)),
            created)
        .resources(resources(rnd))
        .image(pick(rnd, IMAGES))
        .alias(rnd.nextBoolean() ? null : AliasName.of("alias-" + rnd.nextInt(5)))
        .instanceId(rnd.nextBoolean() ? null : InstanceId.of(String.format("i-%012x", rnd.nextLong() & 0xffffffffffffL)))
        .state(state)
        .reason(pick(rnd, REASONS))
        .stateSince(since)
        .transitions(transitions)
        .registeredAt(rnd.nextBoolean() ? null : since.plusSeconds(rnd.nextInt(600)))
        .lastBusyAt(rnd.nextBoolean() ? null : since.plusSeconds(rnd.nextInt(6_000)))
        .retireAttempts(rnd.nextInt(4))
        .terminateAttempts(rnd.nextInt(4))
        .lastAttemptAt(rnd.nextBoolean() ? null : since.plusSeconds(rnd.nextInt(600)))
        .manual(rnd.nextInt(5) == 0)
        .keepAlive(rnd.nextBoolean() ? null : Duration.ofMinutes(rnd.nextInt(120)))
        .pricePerHour(rnd.nextInt(40) * 0.25)
        .build();
  }

  /** One to three changes to anything but the id and the version. */
  static Vm mutate(Random rnd, Vm vm) {
    Vm v = vm;
    int changes = 1 + rnd.nextInt(3);
    for (int n = 0; n < changes; n++) {
      Instant later = v.stateSince().plusSeconds(1 + rnd.nextInt(600));
      v =
          switch (rnd.nextInt(8)) {
            case 0 -> v.withState(pick(rnd, List.of(VmState.values())), later, pick(rnd, REASONS));
            case 1 -> v.toBuilder().retireAttempts(v.retireAttempts() + 1).lastAttemptAt(later).build();
            case 2 -> v.toBuilder().terminateAttempts(v.terminateAttempts() + 1).lastAttemptAt(later).build();
            case 3 -> v.withInstanceId(InstanceId.of(String.format("i-%012x", rnd.nextLong() & 0xffffffffffffL)));
            case 4 -> v.toBuilder().lastBusyAt(later).registeredAt(v.registeredAt() == null ? later : v.registeredAt()).build();
            case 5 -> v.toBuilder().manual(!v.manual()).keepAlive(rnd.nextBoolean() ? null : Duration.ofMinutes(rnd.nextInt(60))).build();
            case 6 -> v.toBuilder().pricePerHour(rnd.nextInt(40) * 0.25).image(pick(rnd, IMAGES)).build();
            default -> v.toBuilder().resources(resources(rnd)).alias(rnd.nextBoolean() ? null : AliasName.of("alias-x")).build();
          };
    }
    return v;
  }

  static Resources resources(Random rnd) {
    return new Resources(
        1 + rnd.nextInt(64),
        512L * (1 + rnd.nextInt(512)),
        rnd.nextInt(500),
        rnd.nextInt(3) == 0 ? 1024L * rnd.nextInt(4) : 0,
        rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(4) : 0);
  }

  static <T> T pick(Random rnd, List<T> values) {
    return values.get(rnd.nextInt(values.size()));
  }
}

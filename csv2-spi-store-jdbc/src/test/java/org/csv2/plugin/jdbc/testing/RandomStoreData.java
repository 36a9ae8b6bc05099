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
package org.csv2.plugin.jdbc.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.csv2.model.AccountingRecord;
import org.csv2.model.AliasName;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.InstanceId;
import org.csv2.model.Resources;
import org.csv2.model.Sample;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.csv2.model.VmState;

/**
 * Seeded random values that are harder on a JDBC store than the contract kit's: times with
 * nanoseconds and far from today, text with quotes, backslashes, line breaks, JSON syntax and
 * characters outside the Basic Multilingual Plane.
 */
public final class RandomStoreData {
  /** A time the tests start at. */
  public static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  private static final List<String> TEXTS =
      List.of(
          "requested",
          "cloud says \"ERROR\": no valid host",
          "path C:\\csv2\\log; quota 0%",
          "line one\nline two\ttabbed",
          "{\"json\": [1, 2]}",
          "émoji 🚀 and 中文",
          "trailing space ",
          "'single' quotes -- not a comment");
  private static final List<String> FLAVORS = List.of("m1.small", "c8 30gb (legacy)", "p3.2xlarge", "ü-flavor");

  private RandomStoreData() {}

  /** A time near T0, with nanoseconds half of the time. */
  public static Instant time(Random rnd) {
    Instant t = T0.plusSeconds(rnd.nextInt(86_400 * 30));
    return rnd.nextBoolean() ? t.plusNanos(1 + rnd.nextInt(999_999_999)) : t;
  }

  /** Text with awkward characters. */
  public static String text(Random rnd) {
    return TEXTS.get(rnd.nextInt(TEXTS.size()));
  }

  /** A new VM (version 0). */
  public static Vm vm(Random rnd, VmId id) {
    Instant created = time(rnd);
    VmState state = VmState.values()[rnd.nextInt(VmState.values().length)];
    Map<VmState, Instant> transitions = new EnumMap<>(VmState.class);
    transitions.put(VmState.REQUESTED, created);
    Instant since = created.plusNanos(rnd.nextInt(1_000_000) * 1_000L + rnd.nextInt(1000));
    transitions.put(state, since);
    return Vm.builder(id, group(rnd), cloud(rnd), FlavorName.of(FLAVORS.get(rnd.nextInt(FLAVORS.size()))), created)
        .resources(new Resources(1 + rnd.nextInt(128), 1L + rnd.nextInt(1 << 20), rnd.nextInt(4000), rnd.nextInt(3) * 1024L, rnd.nextInt(3)))
        .image(text(rnd))
        .alias(rnd.nextBoolean() ? null : AliasName.of("alias_" + rnd.nextInt(3)))
        .instanceId(rnd.nextBoolean() ? null : InstanceId.of("i-" + Long.toHexString(rnd.nextLong()) + " ☁"))
        .state(state)
        .reason(text(rnd))
        .stateSince(since)
        .transitions(transitions)
        .registeredAt(rnd.nextBoolean() ? null : time(rnd))
        .lastBusyAt(rnd.nextBoolean() ? null : time(rnd))
        .retireAttempts(rnd.nextInt(5))
        .terminateAttempts(rnd.nextInt(5))
        .lastAttemptAt(rnd.nextBoolean() ? null : time(rnd))
        .manual(rnd.nextInt(4) == 0)
        .keepAlive(rnd.nextBoolean() ? null : Duration.ofSeconds(rnd.nextInt(100_000), rnd.nextInt(1_000_000_000)))
        .pricePerHour(rnd.nextBoolean() ? 0 : rnd.nextDouble() * 10)
        .build();
  }

  /** The VM changed in one to three fields (same id and version). */
  public static Vm mutate(Random rnd, Vm vm) {
    Vm v = vm;
    for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
      Instant later = v.stateSince().plusNanos(1 + rnd.nextInt(1_000_000_000));
      v =
          switch (rnd.nextInt(5)) {
            case 0 -> v.withState(VmState.values()[rnd.nextInt(VmState.values().length)], later, text(rnd));
            case 1 -> v.toBuilder().retireAttempts(v.retireAttempts() + 1).lastAttemptAt(later).build();
            case 2 -> v.withInstanceId(InstanceId.of("i-" + rnd.nextInt(1000)));
            case 3 -> v.toBuilder().pricePerHour(rnd.nextDouble()).keepAlive(rnd.nextBoolean() ? null : Duration.ofMillis(rnd.nextInt(1 << 30))).build();
            default -> v.toBuilder().lastBusyAt(later).image(text(rnd)).manual(!v.manual()).build();
          };
    }
    return v;
  }

  /** A group. */
  public static GroupName group(Random rnd) {
    return GroupName.of(List.of("atlas", "belle-ii", "dune_prod").get(rnd.nextInt(3)));
  }

  /** A cloud. */
  public static CloudName cloud(Random rnd) {
    return CloudName.of(List.of("arbutus", "ec2-us-east-1").get(rnd.nextInt(2)));
  }

  /** A transition of a VM. */
  public static VmEvent event(Random rnd, Vm vm) {
    return new VmEvent(vm.id(), vm.group(), vm.cloud(), rnd.nextBoolean() ? null : VmState.BOOTING, vm.state(), time(rnd), text(rnd));
  }

  /** A sample of one of three metrics. */
  public static Sample sample(Random rnd) {
    Map<String, String> labels = new TreeMap<>();
    if (rnd.nextBoolean()) {
      labels.put("group", group(rnd).value());
    }
    if (rnd.nextBoolean()) {
      labels.put("odd \"label\"", text(rnd));
    }
    return new Sample(time(rnd), List.of("jobs.idle", "vms.running", "plan.ms").get(rnd.nextInt(3)), labels, rnd.nextInt(3) == 0 ? -rnd.nextDouble() * 1e12 : rnd.nextInt(1000));
  }

  /** An accounting record of a VM. */
  public static AccountingRecord accounting(Random rnd, Vm vm) {
    Instant start = time(rnd);
    long wall = rnd.nextInt(1_000_000);
    return new AccountingRecord(vm.id(), vm.group(), vm.cloud(), vm.flavor(), vm.resources().cores(), vm.resources().ramMiB(), start, start.plusSeconds(wall).plusNanos(rnd.nextInt(1000)), wall);
  }
}

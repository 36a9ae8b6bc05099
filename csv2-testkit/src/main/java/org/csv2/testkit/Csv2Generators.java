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

import static org.quicktheories.generators.SourceDSL.lists;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.csv2.model.AliasName;
import org.csv2.model.Allocation;
import org.csv2.model.AllocationMode;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.JobState;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.csv2.model.Vm;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.Csv2Tags;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * QuickTheories generators for the csv2 model, for property tests of plugins, planners and
 * simulations:
 *
 * <pre>{@code
 * qt().withFixedSeed(42).forAll(Csv2Generators.resources(), Csv2Generators.resources())
 *     .check((a, b) -> a.fitsIn(a.plus(b)));
 * }</pre>
 *
 * <p>Every generator yields valid values (their compact constructors accept them) within sane
 * ranges, stated on each method, so that sums of a few dozen values never overflow. Times are whole
 * seconds within one day after 2024-05-01T10:00:00Z; prices are multiples of 0.25 up to 10, so
 * that values round-trip through any store.
 *
 * <p><b>Thread safety:</b> the generators are stateless and may be shared.
 */
public final class Csv2Generators {
  private static final Instant T0 = RandomVms.T0;
  private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

  private Csv2Generators() {}

  /**
   * Any resources: cores 0-128, RAM 0-1,048,576 MiB, disk 0-10,000 GiB, swap 0-65,536 MiB, GPUs
   * 0-8; zero components are common.
   *
   * @return the generator
   */
  public static Gen<Resources> resources() {
    return in ->
        new Resources(
            zeroOr(Generate.range(0, 128)).generate(in),
            zeroOrLong(Generate.longRange(0, 1_048_576)).generate(in),
            zeroOrLong(Generate.longRange(0, 10_000)).generate(in),
            zeroOrLong(Generate.longRange(0, 65_536)).generate(in),
            zeroOr(Generate.range(0, 8)).generate(in));
  }

  /**
   * What a job requests: cores 1-16, RAM 128-65,536 MiB, disk 0-100 GiB, no swap, GPUs 0-1.
   *
   * @return the generator
   */
  public static Gen<Resources> jobRequests() {
    return in ->
        new Resources(
            Generate.range(1, 16).generate(in),
            Generate.longRange(128, 65_536).generate(in),
            Generate.longRange(0, 100).generate(in),
            0,
            Generate.range(0, 9).generate(in) == 0 ? 1 : 0);
  }

  /**
   * A valid typed-name string: 1-30 characters of {@code [a-z0-9]} segments joined by one {@code -}
   * or {@code _}, so never {@code --}.
   *
   * @return the generator
   */
  public static Gen<String> names() {
    Gen<String> segment =
        lists().of(Generate.pick(chars(ALNUM))).ofSizeBetween(1, 6).map(Csv2Generators::join);
    Gen<String> separator = Generate.pick(List.of("-", "_"));
    return in -> {
      int segments = Generate.range(1, 4).generate(in);
      StringBuilder b = new StringBuilder(segment.generate(in));
      for (int n = 1; n < segments; n++) {
        b.append(separator.generate(in)).append(segment.generate(in));
      }
      return b.toString();
    };
  }

  /**
   * Group names from {@link #names()}.
   *
   * @return the generator
   */
  public static Gen<GroupName> groupNames() {
    return names().map(GroupName::of);
  }

  /**
   * Cloud names from {@link #names()}.
   *
   * @return the generator
   */
  public static Gen<CloudName> cloudNames() {
    return names().map(CloudName::of);
  }

  /**
   * Alias names from {@link #names()}.
   *
   * @return the generator
   */
  public static Gen<AliasName> aliasNames() {
    return names().map(AliasName::of);
  }

  /**
   * csv2 engine instance ids: {@code t} and 8 hexadecimal digits.
   *
   * @return the generator
   */
  public static Gen<String> instanceIds() {
    return Generate.longRange(0, 0xffffffffL).map(n -> String.format("t%08x", n));
  }

  /**
   * VM names in the production scheme {@code group--cloud--instance--suffix} (suffix: 6 hex
   * digits).
   *
   * @return the generator
   */
  public static Gen<VmId> vmIds() {
    return in ->
        VmId.of(
            groupNames().generate(in),
            cloudNames().generate(in),
            instanceIds().generate(in),
            String.format("%06x", Generate.range(0, 0xffffff).generate(in)));
  }

  /**
   * Flavor names: OpenStack-like ({@code c8-30gb}, {@code m1.small}) and EC2-like ({@code
   * t3.micro}).
   *
   * @return the generator
   */
  public static Gen<FlavorName> flavorNames() {
    Gen<String> openstack =
        Generate.range(1, 64).zip(Generate.range(1, 512), (c, g) -> "c" + c + "-" + g + "gb");
    Gen<String> named =
        Generate.pick(List.of("m1.tiny", "m1.small", "m1.medium", "m1.large", "t3.micro", "t3.large", "c5.xlarge", "p3.2xlarge"));
    return Generate.oneOf(openstack, named).map(FlavorName::of);
  }

  /**
   * Flavors: 1-64 cores, 512-524,288 MiB RAM (multiples of 512), 0-1,000 GiB disk, 0-4 GPUs, a
   * price of 0-10 (multiples of 0.25), mostly available, no properties.
   *
   * @return the generator
   */
  public static Gen<Flavor> flavors() {
    return in ->
        new Flavor(
            flavorNames().generate(in),
            new Resources(
                Generate.range(1, 64).generate(in),
                512L * Generate.range(1, 1024).generate(in),
                Generate.longRange(0, 1_000).generate(in),
                0,
                Generate.range(0, 9).generate(in) < 8 ? 0 : Generate.range(1, 4).generate(in)),
            prices().generate(in),
            Generate.range(0, 9).generate(in) != 0,
            Map.of());
  }

  /**
   * Jobs: ids {@code schedd#cluster.proc}, requests from {@link #jobRequests()}, mostly IDLE,
   * priority -10 to 10, queued within a day, half with a target alias, a quarter with a keep-alive
   * of up to 2 h, and a maximum price of 0-10.
   *
   * @return the generator
   */
  public static Gen<Job> jobs() {
    return in ->
        Job.builder(
                JobId.of("schedd#" + Generate.range(1, 99_999).generate(in) + "." + Generate.range(0, 99).generate(in)),
                groupNames().generate(in))
            .owner(names().generate(in))
            .request(jobRequests().generate(in))
            .targetAlias(Generate.booleans().generate(in) ? aliasNames().generate(in) : null)
            .keepAlive(Generate.range(0, 3).generate(in) == 0 ? Duration.ofMinutes(Generate.range(0, 120).generate(in)) : null)
            .maxPrice(prices().generate(in))
            .priority(Generate.range(-10, 10).generate(in))
            .queuedSince(times().generate(in))
            .state(Generate.range(0, 3).generate(in) == 0 ? Generate.enumValues(JobState.class).generate(in) : JobState.IDLE)
            .build();
  }

  /**
   * VM records with version 0, any state, and every optional field sometimes set; the same values
   * the {@link StateStoreContract}'s stateful test stores.
   *
   * @return the generator
   */
  public static Gen<Vm> vms() {
    return in -> RandomVms.vm(new Random(Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE).generate(in)), vmIds().generate(in));
  }

  /**
   * Instances as a driver reports them, tagged with their VM name, group, cloud and engine.
   *
   * @return the generator
   */
  public static Gen<Instance> instances() {
    return in -> {
      GroupName group = groupNames().generate(in);
      CloudName cloud = cloudNames().generate(in);
      String engine = instanceIds().generate(in);
      VmId name = VmId.of(group, cloud, engine, String.format("%06x", Generate.range(0, 0xffffff).generate(in)));
      InstanceState state = Generate.enumValues(InstanceState.class).generate(in);
      return new Instance(
          InstanceId.of(String.format("i-%012x", Generate.longRange(0, 0xffffffffffffL).generate(in))),
          name,
          flavorNames().generate(in),
          state,
          state == InstanceState.ERROR ? "No valid host was found." : "",
          Map.of(
              Csv2Tags.INSTANCE_ID, engine,
              Csv2Tags.GROUP, group.value(),
              Csv2Tags.CLOUD, cloud.value(),
              Csv2Tags.VM_NAME, name.value()),
          Generate.booleans().generate(in) ? times().generate(in) : null);
    };
  }

  /**
   * Workers whose VM name, group, cloud and engine agree; {@code used} fits in {@code total}; 0-8
   * running jobs.
   *
   * @return the generator
   */
  public static Gen<Worker> workers() {
    return in -> {
      VmId vm = vmIds().generate(in);
      String[] parts = vm.value().split("--", -1);
      Resources total = jobRequests().generate(in).times(Generate.range(1, 8).generate(in));
      Resources used =
          new Resources(
              Generate.range(0, total.cores()).generate(in),
              Generate.longRange(0, total.ramMiB()).generate(in),
              0,
              0,
              0);
      return new Worker(
          "slot1@" + vm.value(),
          vm,
          GroupName.of(parts[0]),
          CloudName.of(parts[1]),
          parts[2],
          total,
          used,
          Generate.range(0, 8).generate(in),
          Generate.range(0, 4).generate(in) == 0,
          times().generate(in));
    };
  }

  /**
   * Groups with default job resources from {@link #jobRequests()}, no user-data documents, 0-3
   * submitters, a weight of 0.5-10 and no variables.
   *
   * @return the generator
   */
  public static Gen<Group> groups() {
    return in ->
        new Group(
            groupNames().generate(in),
            jobRequests().generate(in),
            VmDefaults.NONE,
            List.of(),
            lists().of(names()).ofSizeBetween(0, 3).generate(in),
            Generate.range(1, 20).generate(in) * 0.5,
            Map.of());
  }

  /**
   * Allocations: priority 0-5, each of cores-ctl, cores-softmax and ram-ctl unlimited half of the
   * time (else 0-10,000 cores, 0-40,960,000 MiB), either mode, 0-2 excluded flavors, enabled nine
   * times in ten.
   *
   * @return the generator
   */
  public static Gen<Allocation> allocations() {
    return in -> {
      Set<FlavorName> excluded = new TreeSet<>(lists().of(flavorNames()).ofSizeBetween(0, 2).generate(in));
      return new Allocation(
          groupNames().generate(in),
          cloudNames().generate(in),
          Generate.range(0, 5).generate(in),
          unlimitedOr(Generate.range(0, 10_000)).generate(in),
          unlimitedOr(Generate.range(0, 10_000)).generate(in),
          Generate.booleans().generate(in) ? Limits.UNLIMITED : Generate.longRange(0, 40_960_000).generate(in),
          Generate.enumValues(AllocationMode.class).generate(in),
          excluded,
          VmDefaults.NONE,
          List.of(),
          Generate.range(0, 9).generate(in) != 0);
    };
  }

  /**
   * Whole-second times within one day after 2024-05-01T10:00:00Z.
   *
   * @return the generator
   */
  public static Gen<Instant> times() {
    return Generate.range(0, 86_400).map(s -> T0.plusSeconds(s));
  }

  /**
   * Prices per hour: 0-10 in steps of 0.25.
   *
   * @return the generator
   */
  public static Gen<Double> prices() {
    return Generate.range(0, 40).map(n -> n * 0.25);
  }

  private static Gen<Integer> zeroOr(Gen<Integer> gen) {
    return in -> Generate.range(0, 4).generate(in) == 0 ? 0 : gen.generate(in);
  }

  private static Gen<Long> zeroOrLong(Gen<Long> gen) {
    return in -> Generate.range(0, 4).generate(in) == 0 ? 0L : gen.generate(in);
  }

  private static Gen<Integer> unlimitedOr(Gen<Integer> gen) {
    return in -> Generate.booleans().generate(in) ? Limits.UNLIMITED : gen.generate(in);
  }

  private static List<Character> chars(String s) {
    return s.chars().mapToObj(c -> (char) c).toList();
  }

  private static String join(List<Character> cs) {
    StringBuilder b = new StringBuilder();
    cs.forEach(b::append);
    return b.toString();
  }
}

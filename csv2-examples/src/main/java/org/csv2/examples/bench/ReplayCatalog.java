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
package org.csv2.examples.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;

/**
 * The multi-cloud catalog of the trace replay (B2): three clouds of different priority and price
 * whose quotas bind at the LCG log's peak (3,359 cores running at once if every job started on
 * arrival), booting in 60-180 s, with 1 % of booted instances failing (ERROR):
 *
 * <ol>
 *   <li>{@code ec2-us-east-1} (priority 0, the cheapest): 1,200 cores, 300 VMs;
 *   <li>{@code ec2-ca-central-1} (priority 1, about 10 % dearer): 800 cores, 200 VMs;
 *   <li>{@code rackspace} (priority 2, an OpenStack cloud at 0.06/core-hour): 800 cores, 200 VMs.
 * </ol>
 *
 * <p>Flavors and prices are the real ones ({@link Catalogs}), less those no job of the workload can
 * use: burstable types ({@code t1}, {@code t2}: their CPU credits run out under batch load),
 * accelerator types (GPU and FPGA), and types with less than {@link #MIN_RAM_PER_CORE} MiB per core
 * (the workload's jobs ask 1,000 MiB per core, production's default job). Accelerator types are
 * recognised by their family ({@link #ACCELERATOR_FAMILIES}, the catalog's {@code family} field) and
 * by their name's family prefix ({@link #ACCELERATOR_PREFIXES}), not only by the GPU column: the
 * 2017 file records {@code g2.*}, {@code cg1.4xlarge} and {@code f1.*} with 0 GPUs.
 */
public final class ReplayCatalog {
  /** Memory per core every job of an LCG replay asks for: production's default job. */
  public static final long JOB_RAM_PER_CORE = 1000;

  /** The least memory per core of a flavor worth configuring for the workload. */
  public static final long MIN_RAM_PER_CORE = 1000;

  /**
   * One cloud of the replay.
   *
   * @param name its name
   * @param priority its allocation priority (lower first)
   * @param flavors its flavors, priced
   * @param quotaCores its core quota
   * @param quotaInstances its instance quota
   */
  public record CloudSpec(CloudName name, int priority, List<Flavor> flavors, int quotaCores, int quotaInstances) {
    /** Copies. */
    public CloudSpec {
      flavors = List.copyOf(flavors);
    }

    /**
     * The simulated cloud's configuration subtree, as YAML would give it.
     *
     * @param bootErrorRate the fraction of booted instances that go to ERROR
     * @return the map
     */
    public Map<String, Object> simulatedConfig(double bootErrorRate) {
      List<Map<String, Object>> fl = new ArrayList<>();
      for (Flavor f : flavors) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name().value());
        m.put("cores", f.resources().cores());
        m.put("ram-mib", f.resources().ramMiB());
        m.put("disk-gib", f.resources().diskGiB());
        m.put("price-per-hour", f.pricePerHour());
        fl.add(m);
      }
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("flavors", fl);
      c.put("images", List.of(Scenarios.IMAGE));
      c.put("quota", Map.of("cores", quotaCores, "instances", quotaInstances));
      c.put("boot-delay", Map.of("min", "60s", "max", "180s"));
      c.put("failures", Map.of("error-rate-after-boot", bootErrorRate));
      return c;
    }
  }

  /** The catalog families of accelerator types (GPU, FPGA), excluded whatever their GPU count. */
  public static final java.util.Set<String> ACCELERATOR_FAMILIES =
      java.util.Set.of("Accelerated computing", "GPU Optimized", "GPU instances");

  /**
   * The EC2 type families (the part of the name before the dot) of accelerators: GPU ({@code cg},
   * {@code g}, {@code p}), FPGA ({@code f}), inference and training chips ({@code inf}, {@code
   * trn}, {@code dl}), video transcoding ({@code vt}), with any generation digit.
   */
  public static final java.util.regex.Pattern ACCELERATOR_PREFIXES =
      java.util.regex.Pattern.compile("^(cg|g|p|f|inf|trn|dl|vt)[0-9][a-z0-9-]*$");

  /** Burstable families, whose CPU credits run out under batch load. */
  public static final java.util.regex.Pattern BURSTABLE_PREFIXES =
      java.util.regex.Pattern.compile("^t[0-9][a-z0-9-]*$");

  private ReplayCatalog() {}

  /**
   * The three clouds.
   *
   * @param data the shared data folder
   * @return the clouds, by priority
   */
  public static List<CloudSpec> clouds(Path data) {
    return clouds(data, false);
  }

  /**
   * The three clouds, with the EC2 regions' quotas as instance counts (the benchmark's catalog) or
   * as vCPUs only, as AWS counts On-Demand limits since 2019 ({@code --catalog vcpu-quotas}: the
   * instance quota of the EC2 regions equals their core quota, so it never binds first).
   *
   * @param data the shared data folder
   * @param vcpuQuotas whether the EC2 regions limit vCPUs only
   * @return the clouds, by priority
   */
  public static List<CloudSpec> clouds(Path data, boolean vcpuQuotas) {
    Map<String, List<Flavor>> ec2 = Catalogs.ec2ByRegion(data);
    return List.of(
        new CloudSpec(CloudName.of("ec2-us-east-1"), 0, usable(ec2.get("us-east-1")), 1_200, vcpuQuotas ? 1_200 : 300),
        new CloudSpec(CloudName.of("ec2-ca-central-1"), 1, usable(ec2.get("ca-central-1")), 800, vcpuQuotas ? 800 : 200),
        new CloudSpec(CloudName.of("rackspace"), 2, usable(Catalogs.rackspace(data)), 800, 200));
  }

  /**
   * The flavors worth configuring for the workload (see the class comment).
   *
   * @param flavors a cloud's catalog
   * @return the usable ones
   */
  static List<Flavor> usable(List<Flavor> flavors) {
    return flavors.stream()
        .filter(f -> !burstable(f))
        .filter(f -> !accelerator(f))
        .filter(f -> f.resources().ramMiB() >= MIN_RAM_PER_CORE * f.resources().cores())
        .toList();
  }

  /**
   * Whether a flavor is an accelerator type (GPU, FPGA, inference chip): by GPU count, by the
   * catalog's family, or by the family prefix of its EC2 name.
   *
   * @param f the flavor
   * @return true for an accelerator type
   */
  static boolean accelerator(Flavor f) {
    return f.resources().gpus() > 0
        || ACCELERATOR_FAMILIES.contains(f.properties().getOrDefault("family", ""))
        || ACCELERATOR_PREFIXES.matcher(family(f)).matches();
  }

  /** Whether a flavor is a burstable type ({@code t1}, {@code t2}, ...). */
  static boolean burstable(Flavor f) {
    return BURSTABLE_PREFIXES.matcher(family(f)).matches();
  }

  private static String family(Flavor f) {
    String n = f.name().value();
    int dot = n.indexOf('.');
    return dot < 0 ? "" : n.substring(0, dot);
  }

  /**
   * The lower bound's price: the cheapest price per core-hour that any of the clouds offers.
   *
   * @param clouds the clouds
   * @return the price per core-hour
   */
  public static double cheapestPerCore(List<CloudSpec> clouds) {
    return clouds.stream()
        .flatMap(c -> c.flavors().stream())
        .mapToDouble(f -> f.pricePerHour() / f.resources().cores())
        .min()
        .orElseThrow(() -> new IllegalStateException("no flavor in the replay catalog"));
  }
}

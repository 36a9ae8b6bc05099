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
package org.csv2.core.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.csv2.model.Flavor;
import org.csv2.model.FlavorName;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.jspecify.annotations.Nullable;

/**
 * The {@code config:} of a cloud with {@code driver: simulated}. Every key is optional; a missing
 * key (a null component) takes the default named on the component, so {@code new
 * SimulatedCloudConfig(null, null, ...)} is the default cloud.
 *
 * @param world the shared world the cloud lives in ({@code default}); ignored when the driver is
 *     created through {@link SimulatedWorld#cloudProvider()}
 * @param flavors the flavors ({@link #DEFAULT_FLAVORS})
 * @param images the image names ({@code centos7}, {@code alma9})
 * @param quota the project quota ({@code -1} components unlimited; default unlimited)
 * @param foreignUsage what others use in the project (default nothing)
 * @param bootDelay how long an instance stays PENDING, uniform in [min, max] (60 s to 180 s)
 * @param failures failure injection rates (default none)
 * @param terminateDelay how long a terminated instance stays TERMINATING before it is gone (0 s:
 *     gone at once)
 * @param seed the seed of the cloud's random draws (default: the world's seed mixed with the
 *     cloud's name)
 * @param stateFile a JSON file where the cloud's instances are saved after every change and loaded
 *     when the cloud is first created in a process, so that they outlive the engine (default none)
 */
public record SimulatedCloudConfig(
    @Nullable String world,
    @Nullable List<FlavorSpec> flavors,
    @Nullable List<String> images,
    @Nullable Quota quota,
    @Nullable Usage foreignUsage,
    @Nullable BootDelay bootDelay,
    @Nullable Failures failures,
    @Nullable Duration terminateDelay,
    @Nullable Long seed,
    @Nullable String stateFile) {

  /** The flavors of a cloud configured without any. */
  public static final List<FlavorSpec> DEFAULT_FLAVORS =
      List.of(
          new FlavorSpec("c1-4gb", 1, 4000L, 20L, 0, 0.05),
          new FlavorSpec("c2-8gb", 2, 8000L, 40L, 0, 0.10),
          new FlavorSpec("c4-16gb", 4, 16000L, 80L, 0, 0.20),
          new FlavorSpec("c8-32gb", 8, 32000L, 160L, 0, 0.40));

  /** The images of a cloud configured without any. */
  public static final List<String> DEFAULT_IMAGES = List.of("centos7", "alma9");

  /** A default cloud: every key at its default. */
  public static final SimulatedCloudConfig DEFAULTS =
      new SimulatedCloudConfig(null, null, null, null, null, null, null, null, null, null);

  /** Applies defaults and validates. */
  public SimulatedCloudConfig {
    world = world == null ? SimulatedWorld.DEFAULT_NAME : world;
    flavors = flavors == null || flavors.isEmpty() ? DEFAULT_FLAVORS : List.copyOf(flavors);
    images = images == null || images.isEmpty() ? DEFAULT_IMAGES : List.copyOf(images);
    quota = quota == null ? Quota.UNLIMITED : quota;
    foreignUsage = foreignUsage == null ? Usage.NONE : foreignUsage;
    bootDelay = bootDelay == null ? BootDelay.DEFAULT : bootDelay;
    failures = failures == null ? Failures.NONE : failures;
    terminateDelay = terminateDelay == null ? Duration.ZERO : terminateDelay;
    if (world.isBlank()) {
      throw new IllegalArgumentException("world: must not be blank");
    }
    if (terminateDelay.isNegative()) {
      throw new IllegalArgumentException("terminate-delay: must not be negative, was " + terminateDelay);
    }
    Set<String> names = new HashSet<>();
    for (FlavorSpec f : flavors) {
      if (!names.add(f.name())) {
        throw new IllegalArgumentException("flavors: duplicate flavor name " + f.name());
      }
    }
    for (String image : images) {
      if (image == null || image.isBlank()) {
        throw new IllegalArgumentException("images: an image name is blank");
      }
    }
  }

  /**
   * The flavors as the model's values.
   *
   * @return the flavors, in configuration order
   */
  public List<Flavor> modelFlavors() {
    List<Flavor> out = new ArrayList<>();
    for (FlavorSpec f : Objects.requireNonNull(flavors)) {
      out.add(f.toFlavor());
    }
    return List.copyOf(out);
  }

  /**
   * A copy with other flavors.
   *
   * @param v the flavors
   * @return the copy
   */
  public SimulatedCloudConfig withFlavors(List<FlavorSpec> v) {
    return new SimulatedCloudConfig(
        world, v, images, quota, foreignUsage, bootDelay, failures, terminateDelay, seed, stateFile);
  }

  /**
   * A copy with another quota.
   *
   * @param v the quota
   * @return the copy
   */
  public SimulatedCloudConfig withQuota(Quota v) {
    return new SimulatedCloudConfig(
        world, flavors, images, v, foreignUsage, bootDelay, failures, terminateDelay, seed, stateFile);
  }

  /**
   * A copy with another foreign usage.
   *
   * @param v the usage by others
   * @return the copy
   */
  public SimulatedCloudConfig withForeignUsage(Usage v) {
    return new SimulatedCloudConfig(
        world, flavors, images, quota, v, bootDelay, failures, terminateDelay, seed, stateFile);
  }

  /**
   * A copy with another boot delay.
   *
   * @param v the boot delay
   * @return the copy
   */
  public SimulatedCloudConfig withBootDelay(BootDelay v) {
    return new SimulatedCloudConfig(
        world, flavors, images, quota, foreignUsage, v, failures, terminateDelay, seed, stateFile);
  }

  /**
   * A copy with other failure rates.
   *
   * @param v the failure rates
   * @return the copy
   */
  public SimulatedCloudConfig withFailures(Failures v) {
    return new SimulatedCloudConfig(
        world, flavors, images, quota, foreignUsage, bootDelay, v, terminateDelay, seed, stateFile);
  }

  /**
   * A copy with another terminate delay.
   *
   * @param v the terminate delay
   * @return the copy
   */
  public SimulatedCloudConfig withTerminateDelay(Duration v) {
    return new SimulatedCloudConfig(
        world, flavors, images, quota, foreignUsage, bootDelay, failures, v, seed, stateFile);
  }

  /**
   * A copy with another seed.
   *
   * @param v the seed
   * @return the copy
   */
  public SimulatedCloudConfig withSeed(long v) {
    return new SimulatedCloudConfig(
        world, flavors, images, quota, foreignUsage, bootDelay, failures, terminateDelay, v, stateFile);
  }

  /**
   * A copy with another state file.
   *
   * @param v the state file path, or null for none
   * @return the copy
   */
  public SimulatedCloudConfig withStateFile(@Nullable String v) {
    return new SimulatedCloudConfig(
        world, flavors, images, quota, foreignUsage, bootDelay, failures, terminateDelay, seed, v);
  }

  /**
   * One flavor of a simulated cloud.
   *
   * @param name its name
   * @param cores cores
   * @param ramMib memory in MiB
   * @param diskGib disk in GiB (0)
   * @param gpus GPUs (0)
   * @param pricePerHour price of one VM-hour (0)
   */
  public record FlavorSpec(
      String name,
      @Nullable Integer cores,
      @Nullable Long ramMib,
      @Nullable Long diskGib,
      @Nullable Integer gpus,
      @Nullable Double pricePerHour) {
    /** Applies defaults and validates. */
    public FlavorSpec {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("flavors[].name: required");
      }
      if (cores == null || cores <= 0) {
        throw new IllegalArgumentException("flavors[" + name + "].cores: required and positive");
      }
      if (ramMib == null || ramMib < 0) {
        throw new IllegalArgumentException("flavors[" + name + "].ram-mib: required, >= 0");
      }
      diskGib = diskGib == null ? 0L : diskGib;
      gpus = gpus == null ? 0 : gpus;
      pricePerHour = pricePerHour == null ? 0.0 : pricePerHour;
      if (diskGib < 0 || gpus < 0) {
        throw new IllegalArgumentException("flavors[" + name + "]: disk-gib and gpus must be >= 0");
      }
      if (!(pricePerHour >= 0) || pricePerHour.isInfinite()) {
        throw new IllegalArgumentException("flavors[" + name + "].price-per-hour: must be >= 0");
      }
    }

    /**
     * The flavor's resources.
     *
     * @return cores, memory, disk and GPUs
     */
    public Resources resources() {
      return new Resources(
          Objects.requireNonNull(cores),
          Objects.requireNonNull(ramMib),
          Objects.requireNonNull(diskGib),
          0,
          Objects.requireNonNull(gpus));
    }

    Flavor toFlavor() {
      return new Flavor(
          FlavorName.of(name), resources(), Objects.requireNonNull(pricePerHour), true, Map.of());
    }
  }

  /**
   * A project quota; a missing or negative component is unlimited.
   *
   * @param cores cores
   * @param ramMib memory in MiB
   * @param instances VMs
   */
  public record Quota(@Nullable Integer cores, @Nullable Long ramMib, @Nullable Integer instances) {
    /** No limit. */
    public static final Quota UNLIMITED = new Quota(-1, -1L, -1);

    /** Applies defaults. */
    public Quota {
      cores = cores == null || cores < 0 ? -1 : cores;
      ramMib = ramMib == null || ramMib < 0 ? -1L : ramMib;
      instances = instances == null || instances < 0 ? -1 : instances;
    }

    /**
     * As the model's limits.
     *
     * @return the limits
     */
    public Limits limits() {
      return new Limits(
          Objects.requireNonNull(cores), Objects.requireNonNull(ramMib), Objects.requireNonNull(instances));
    }
  }

  /**
   * What others use in the project; a missing component is 0.
   *
   * @param cores cores
   * @param ramMib memory in MiB
   * @param instances VMs
   */
  public record Usage(@Nullable Integer cores, @Nullable Long ramMib, @Nullable Integer instances) {
    /** Nothing. */
    public static final Usage NONE = new Usage(0, 0L, 0);

    /** Applies defaults and validates. */
    public Usage {
      cores = cores == null ? 0 : cores;
      ramMib = ramMib == null ? 0L : ramMib;
      instances = instances == null ? 0 : instances;
      if (cores < 0 || ramMib < 0 || instances < 0) {
        throw new IllegalArgumentException("foreign-usage: components must be >= 0");
      }
    }

    /**
     * As the model's limits.
     *
     * @return the usage
     */
    public Limits limits() {
      return new Limits(
          Objects.requireNonNull(cores), Objects.requireNonNull(ramMib), Objects.requireNonNull(instances));
    }
  }

  /**
   * How long an instance stays PENDING: uniform in [min, max].
   *
   * @param min the shortest (60 s)
   * @param max the longest (180 s)
   */
  public record BootDelay(@Nullable Duration min, @Nullable Duration max) {
    /** 60 s to 180 s. */
    public static final BootDelay DEFAULT = new BootDelay(Duration.ofSeconds(60), Duration.ofSeconds(180));

    /** No delay: instances are ACTIVE when booted. */
    public static final BootDelay NONE = new BootDelay(Duration.ZERO, Duration.ZERO);

    /** Applies defaults and validates. */
    public BootDelay {
      min = min == null ? Duration.ofSeconds(60) : min;
      max = max == null ? (min.compareTo(Duration.ofSeconds(180)) > 0 ? min : Duration.ofSeconds(180)) : max;
      if (min.isNegative() || max.compareTo(min) < 0) {
        throw new IllegalArgumentException(
            "boot-delay: need 0 <= min <= max, was min " + min + ", max " + max);
      }
    }

    /**
     * A fixed delay.
     *
     * @param d the delay
     * @return min = max = d
     */
    public static BootDelay fixed(Duration d) {
      return new BootDelay(d, d);
    }
  }

  /**
   * Failure injection, each a probability in [0, 1] drawn from the cloud's seeded random source.
   *
   * @param bootErrorRate a boot call fails with UNAVAILABLE and creates nothing (0)
   * @param lostReplyRate a boot call creates its instances, then fails with UNAVAILABLE as if the
   *     reply were lost (0)
   * @param timeoutRate like a lost reply, with the message "timed out" (0)
   * @param errorRateAfterBoot each booted instance goes to ERROR instead of ACTIVE (0)
   * @param capacityErrorRate a boot call fails with CAPACITY_UNAVAILABLE and creates nothing (0)
   */
  public record Failures(
      @Nullable Double bootErrorRate,
      @Nullable Double lostReplyRate,
      @Nullable Double timeoutRate,
      @Nullable Double errorRateAfterBoot,
      @Nullable Double capacityErrorRate) {
    /** No failures. */
    public static final Failures NONE = new Failures(0.0, 0.0, 0.0, 0.0, 0.0);

    /** Applies defaults and validates. */
    public Failures {
      bootErrorRate = rate(bootErrorRate, "boot-error-rate");
      lostReplyRate = rate(lostReplyRate, "lost-reply-rate");
      timeoutRate = rate(timeoutRate, "timeout-rate");
      errorRateAfterBoot = rate(errorRateAfterBoot, "error-rate-after-boot");
      capacityErrorRate = rate(capacityErrorRate, "capacity-error-rate");
    }

    private static double rate(@Nullable Double v, String key) {
      if (v == null) {
        return 0.0;
      }
      if (!(v >= 0.0 && v <= 1.0)) {
        throw new IllegalArgumentException("failures." + key + ": must be in [0, 1], was " + v);
      }
      return v;
    }
  }
}

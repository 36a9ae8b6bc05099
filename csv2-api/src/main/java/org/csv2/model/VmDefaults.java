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
package org.csv2.model;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Defaults for the VMs of a group, or an allocation's overrides of them. A null component is
 * "not set here": {@link #orElse(VmDefaults)} fills it from the level below.
 *
 * @param image image name or id
 * @param flavor flavor to use instead of choosing one by fit
 * @param keepAlive how long a VM may stay idle after its last job before it is retired
 * @param keyName key pair name
 * @param network network name or id
 * @param securityGroups security group names
 */
public record VmDefaults(
    @Nullable String image,
    @Nullable FlavorName flavor,
    @Nullable Duration keepAlive,
    @Nullable String keyName,
    @Nullable String network,
    @Nullable List<String> securityGroups) {
  /** Nothing set. */
  public static final VmDefaults NONE = new VmDefaults(null, null, null, null, null, null);

  /** Validates and copies. */
  public VmDefaults {
    if (keepAlive != null && keepAlive.isNegative()) {
      throw new IllegalArgumentException("keep-alive must not be negative: " + keepAlive);
    }
    securityGroups = securityGroups == null ? null : List.copyOf(securityGroups);
  }

  /**
   * These values, with every unset one taken from {@code base}.
   *
   * @param base the lower level (for an allocation's overrides: the group's defaults)
   * @return the merged defaults
   */
  public VmDefaults orElse(VmDefaults base) {
    return new VmDefaults(
        image != null ? image : base.image,
        flavor != null ? flavor : base.flavor,
        keepAlive != null ? keepAlive : base.keepAlive,
        keyName != null ? keyName : base.keyName,
        network != null ? network : base.network,
        securityGroups != null ? securityGroups : base.securityGroups);
  }

  /**
   * The image, if set.
   *
   * @return the image name or id
   */
  public Optional<String> imageRef() {
    return Optional.ofNullable(image);
  }

  /**
   * The flavor, if set.
   *
   * @return the flavor name
   */
  public Optional<FlavorName> flavorRef() {
    return Optional.ofNullable(flavor);
  }

  /**
   * The keep-alive, if set.
   *
   * @return the keep-alive
   */
  public Optional<Duration> keepAliveValue() {
    return Optional.ofNullable(keepAlive);
  }
}

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

import java.util.Locale;
import org.csv2.api.ConfigurationException;
import org.csv2.model.CloudName;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.jspecify.annotations.Nullable;

/**
 * The {@code simulated} cloud driver. Its configuration is a {@link SimulatedCloudConfig}; the
 * cloud is the one named like the configured cloud ({@link PluginContext#name()}) in the world
 * named by {@code world:} ({@link SimulatedWorld#shared(String, java.time.Clock)} with the engine's
 * clock), or in a given world when made by {@link SimulatedWorld#cloudProvider()}.
 *
 * <p><b>Thread safety:</b> stateless; may be called from any thread.
 */
public final class SimulatedCloudProvider implements CloudDriverProvider {
  /** The provider's name. */
  public static final String NAME = "simulated";

  private final @Nullable SimulatedWorld world;

  /** The provider {@link java.util.ServiceLoader} makes: worlds are taken from the shared registry. */
  public SimulatedCloudProvider() {
    this(null);
  }

  SimulatedCloudProvider(@Nullable SimulatedWorld world) {
    this.world = world;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String apiVersion() {
    return Csv2Api.VERSION;
  }

  @Override
  public CloudDriver create(PluginConfig config, PluginContext context) {
    SimulatedCloudConfig c = bind(config);
    SimulatedWorld w =
        world != null ? world : SimulatedWorld.shared(String.valueOf(c.world()), context.clock());
    SimulatedCloud cloud = w.addCloud(cloudName(context.name()), c);
    return cloud.driver(context.instanceId());
  }

  static SimulatedCloudConfig bind(PluginConfig config) {
    if (config.isEmpty()) {
      return SimulatedCloudConfig.DEFAULTS;
    }
    try {
      return config.bind(SimulatedCloudConfig.class);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(config.path() + "." + e.getMessage(), e);
    }
  }

  /** The context's name as a cloud name, lower-cased with invalid characters replaced by '-'. */
  static CloudName cloudName(String name) {
    try {
      return CloudName.of(name);
    } catch (IllegalArgumentException e) {
      String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-").replaceAll("-{2,}", "-");
      s = s.replaceAll("^[-_]+|[-_]+$", "");
      if (s.isEmpty()) {
        s = "cloud";
      }
      return CloudName.of(s.length() > 63 ? s.substring(0, 63).replaceAll("[-_]+$", "") : s);
    }
  }
}

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

import java.util.Objects;
import org.csv2.api.ConfigurationException;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.JobSource;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.jspecify.annotations.Nullable;

/**
 * The {@code simulated} job source. Its configuration is a {@link SimulatedJobSourceConfig}; it
 * reads the pool of the world named by {@code world:} ({@link SimulatedWorld#shared(String,
 * java.time.Clock)} with the engine's clock), or of a given world when made by {@link
 * SimulatedWorld#jobSourceProvider()}. Its workload is scheduled once per world, starting when the
 * first job source with that workload is created; its register delay applies to the whole pool.
 *
 * <p><b>Thread safety:</b> stateless; may be called from any thread.
 */
public final class SimulatedJobSourceProvider implements JobSourceProvider {
  /** The provider's name. */
  public static final String NAME = "simulated";

  private final @Nullable SimulatedWorld world;

  /** The provider {@link java.util.ServiceLoader} makes: worlds are taken from the shared registry. */
  public SimulatedJobSourceProvider() {
    this(null);
  }

  SimulatedJobSourceProvider(@Nullable SimulatedWorld world) {
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
  public JobSource create(PluginConfig config, PluginContext context) {
    SimulatedJobSourceConfig c = bind(config);
    SimulatedWorld w =
        world != null ? world : SimulatedWorld.shared(String.valueOf(c.world()), context.clock());
    return create(w, c, context.instanceId(), config.path());
  }

  /**
   * Creates a job source on a world's pool from a bound configuration.
   *
   * @param world the world
   * @param config the configuration
   * @param engineInstanceId the engine's csv2 instance id
   * @param path the configuration's YAML path, for messages
   * @return the job source
   */
  static JobSource create(
      SimulatedWorld world, SimulatedJobSourceConfig config, String engineInstanceId, String path) {
    SimulatedPool pool = world.pool();
    pool.setRegisterDelay(Objects.requireNonNull(config.registerDelay()));
    SimulatedJobSourceConfig.Workload workload = Objects.requireNonNull(config.workload());
    if (!workload.equals(SimulatedJobSourceConfig.Workload.NONE)) {
      try {
        pool.scheduleOnce(workload, () -> Workloads.of(workload));
      } catch (ConfigurationException e) {
        throw new ConfigurationException(path + ".workload.trace.path: " + String.join("; ", e.problems()), e);
      }
    }
    return pool.jobSource(engineInstanceId);
  }

  static SimulatedJobSourceConfig bind(PluginConfig config) {
    if (config.isEmpty()) {
      return SimulatedJobSourceConfig.DEFAULTS;
    }
    try {
      return config.bind(SimulatedJobSourceConfig.class);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(config.path() + "." + e.getMessage(), e);
    }
  }
}

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
package org.csv2.plugin.htcondor;

import org.csv2.spi.CloudDriver;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;

/**
 * The {@code local} cloud driver, for tests and demonstrations: its "VMs" are extra {@code
 * condor_master} + {@code condor_startd} pairs on one machine, configured from the user data the
 * engine rendered. Configuration keys: {@code flavors} (name, cores, ram-mib, disk-gib), {@code
 * command-prefix}, {@code helpers-dir}, {@code state-dir}, {@code vm-dir}, {@code max-instances},
 * {@code max-cores}, {@code max-ram-mib}, {@code timeout}, {@code shell-quote} (see
 * docs/htcondor.md).
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class LocalCloudDriverProvider implements CloudDriverProvider {
  /** The name used in YAML. */
  public static final String NAME = "local";

  /** Creates the provider; cheap. */
  public LocalCloudDriverProvider() {}

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
    LocalConfig c = config.bind(LocalConfig.class).validate(config.path());
    return new LocalCloudDriver(c, context);
  }
}

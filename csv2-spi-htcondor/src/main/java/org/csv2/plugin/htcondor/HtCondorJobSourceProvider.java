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

import org.csv2.spi.Csv2Api;
import org.csv2.spi.JobSource;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;

/**
 * The HTCondor job source, {@code job-source: {driver: htcondor}}: reads jobs with {@code condor_q
 * -allusers -json} and this engine's workers with {@code condor_status -json}, retires workers with
 * {@code condor_off -peaceful} or {@code condor_drain}, and forgets gone VMs with {@code
 * condor_advertise}. Configuration keys: {@code command-prefix}, {@code pool}, {@code schedds},
 * {@code default-group}, {@code timeout}, {@code shell-quote}, {@code token-file} (see
 * docs/htcondor.md).
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class HtCondorJobSourceProvider implements JobSourceProvider {
  /** The name used in YAML. */
  public static final String NAME = "htcondor";

  /** Creates the provider; cheap. */
  public HtCondorJobSourceProvider() {}

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
    HtCondorConfig c = config.bind(HtCondorConfig.class).validate(config.path());
    return new HtCondorJobSource(c, context);
  }
}

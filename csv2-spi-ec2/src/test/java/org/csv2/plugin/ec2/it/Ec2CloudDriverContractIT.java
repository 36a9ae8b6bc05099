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
package org.csv2.plugin.ec2.it;

import java.time.Duration;
import org.csv2.model.InstanceId;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.PluginContext;
import org.csv2.testkit.CloudDriverContract;

/**
 * The cloud-driver contract against moto's EC2 server ({@code scripts/testenv up}); moto is reset
 * before each test. Runs with {@code -Pit} only (failsafe) and fails when moto is down.
 */
class Ec2CloudDriverContractIT extends CloudDriverContract {
  private final Moto moto = new Moto();

  @Override
  protected String providerName() {
    return "ec2";
  }

  @Override
  protected CloudDriver newDriver(PluginContext context) {
    return moto.driver(moto.config(), context);
  }

  @Override
  protected void resetCloud() {
    moto.reset();
  }

  @Override
  protected InstanceId unknownInstanceId() {
    return InstanceId.of("i-0123456789abcdef0");
  }

  @Override
  protected Duration settleTimeout() {
    return Duration.ofSeconds(20);
  }
}

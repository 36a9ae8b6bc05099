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
package org.csv2.plugin.openstack;

import java.time.Duration;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.PluginContext;
import org.csv2.testkit.CloudDriverContract;
import org.csv2.testkit.TestPluginConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The csv2 cloud-driver contract, against the sample-driven OpenStack server. */
class OpenStackCloudDriverContractTest extends CloudDriverContract {
  private static OpenStackSampleServer server;
  private static FileServer files;

  @BeforeAll
  static void startServer() {
    server = new OpenStackSampleServer().start();
    files = new FileServer();
  }

  @AfterAll
  static void stopServer() {
    server.close();
    files.close();
  }

  @Override
  protected String providerName() {
    return "openstack";
  }

  @Override
  protected CloudDriver newDriver(PluginContext context) {
    return new OpenStackCloudDriverProvider()
        .create(TestPluginConfig.of(SampleConfigs.password(server), "clouds[0].config"), context);
  }

  @Override
  protected java.util.Optional<java.net.URI> importableImageUrl(byte[] content) {
    return java.util.Optional.of(files.serve(content));
  }

  @Override
  protected boolean setOpportunisticMetadata(java.util.Map<String, String> pairs) {
    server.projectProperties(pairs);
    return true;
  }

  @Override
  protected void resetCloud() {
    server.reset();
  }

  @Override
  protected Duration settleTimeout() {
    return Duration.ofSeconds(10);
  }
}

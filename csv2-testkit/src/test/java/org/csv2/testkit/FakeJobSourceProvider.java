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

import java.util.List;
import org.csv2.model.JobSnapshot;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.JobSource;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;

/**
 * The provider of the kit's fake job source, listed in the test tree's META-INF/services: an
 * empty pool (FakeJobSourceContractTest builds its pool with jobs and workers in the test).
 */
public final class FakeJobSourceProvider implements JobSourceProvider {
  @Override
  public String name() {
    return "fake";
  }

  @Override
  public String apiVersion() {
    return Csv2Api.VERSION;
  }

  @Override
  public JobSource create(PluginConfig config, PluginContext context) {
    return new JobSource() {
      @Override
      public JobSnapshot snapshot() {
        return new JobSnapshot(context.clock().instant(), List.of(), List.of(), 0);
      }

      @Override
      public void retire(Worker worker) {}

      @Override
      public void forget(VmId vm) {}

      @Override
      public void close() {}
    };
  }
}

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

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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.JobSnapshot;
import org.csv2.model.Resources;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.JobSource;
import org.csv2.spi.PluginContext;

/** The kit's own proof that its JobSource contract passes a correct in-memory pool. */
class FakeJobSourceContractTest extends JobSourceContract {
  private final Object lock = new Object();
  private final List<Job> jobs = new ArrayList<>();
  private final List<Worker> workers = new ArrayList<>();

  @Override
  protected String providerName() {
    return "fake";
  }

  @Override
  protected JobSource newJobSource(PluginContext context) {
    return new JobSource() {
      @Override
      public JobSnapshot snapshot() {
        synchronized (lock) {
          return new JobSnapshot(
              Instant.EPOCH, jobs, workers.stream().filter(w -> w.instanceId().equals(context.instanceId())).toList(), 0);
        }
      }

      @Override
      public void retire(Worker worker) {
        synchronized (lock) {
          workers.replaceAll(
              w -> w.name().equals(worker.name())
                  ? new Worker(w.name(), w.vm(), w.group(), w.cloud(), w.instanceId(), w.total(), w.used(), w.runningJobs(), true, w.lastActivity())
                  : w);
        }
      }

      @Override
      public void forget(VmId vm) {
        synchronized (lock) {
          workers.removeIf(w -> w.vm().equals(vm));
        }
      }

      @Override
      public void close() {}
    };
  }

  @Override
  protected GroupName group() {
    return GroupName.of("atlas");
  }

  @Override
  protected void submitIdleJobs(int count, Resources request) {
    synchronized (lock) {
      for (int n = 0; n < count; n++) {
        jobs.add(Job.builder(JobId.of("schedd#" + jobs.size() + ".0"), group()).request(request).build());
      }
    }
  }

  @Override
  protected void startWorker(VmId vm, CloudName cloud, String instanceId, Resources total) {
    synchronized (lock) {
      workers.add(new Worker("slot1@" + vm, vm, group(), cloud, instanceId, total, Resources.ZERO, 0, false, Instant.EPOCH));
    }
  }

  @Override
  protected void reset() {
    synchronized (lock) {
      jobs.clear();
      workers.clear();
    }
  }
}

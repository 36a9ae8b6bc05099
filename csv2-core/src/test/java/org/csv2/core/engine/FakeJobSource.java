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
package org.csv2.core.engine;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.csv2.api.JobSourceException;
import org.csv2.model.Job;
import org.csv2.model.JobSnapshot;
import org.csv2.model.Resources;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.JobSource;

/** A scriptable in-test job source. */
final class FakeJobSource implements JobSource {
  final List<Job> jobs = new CopyOnWriteArrayList<>();
  final List<Worker> workers = new CopyOnWriteArrayList<>();
  final List<Worker> retired = new CopyOnWriteArrayList<>();
  final List<VmId> forgotten = new CopyOnWriteArrayList<>();
  volatile boolean fail;

  @Override
  public JobSnapshot snapshot() {
    if (fail) {
      throw new JobSourceException(JobSourceException.Reason.UNAVAILABLE, "collector down");
    }
    // the same list objects while nothing changed, as a source that answers from a cache gives them
    List<Job> j = List.copyOf(jobs);
    List<Worker> w = List.copyOf(workers);
    lastJobs = j.equals(lastJobs) ? lastJobs : j;
    lastWorkers = w.equals(lastWorkers) ? lastWorkers : w;
    return new JobSnapshot(Instant.EPOCH, lastJobs, lastWorkers, 0);
  }

  private volatile List<Job> lastJobs = List.of();
  private volatile List<Worker> lastWorkers = List.of();

  void addWorker(VmId vm, int runningJobs) {
    workers.add(
        new Worker(
            vm.value(),
            vm,
            org.csv2.model.GroupName.of("atlas"),
            org.csv2.model.CloudName.of("c1"),
            "i",
            Resources.of(2, 4096),
            Resources.ZERO,
            runningJobs,
            false,
            Instant.EPOCH));
  }

  @Override
  public void retire(Worker worker) {
    retired.add(worker);
  }

  @Override
  public void forget(VmId vm) {
    forgotten.add(vm);
  }

  @Override
  public void close() {}
}

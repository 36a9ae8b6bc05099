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
package org.csv2.examples.clouds;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.JobSnapshot;
import org.csv2.model.JobState;
import org.csv2.model.Resources;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.JobSource;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;

/**
 * A small batch pool for end-to-end runs against real cloud drivers, registered programmatically
 * as the job source {@value #NAME}. Its workers are the real cloud's machines: at every snapshot it
 * asks a {@link Supplier} (the test reads the cloud behind the driver's back: the OpenStack sample
 * server's servers, EC2's DescribeInstances) for the running machines tagged with csv2's tags, and
 * each new one registers as a worker, as a VM's startd would after cloud-init. Then, like a
 * negotiator, it starts idle jobs on workers of their group with room (first fit); a job runs for
 * a fixed number of snapshots, then completes. {@code retire} drains a worker (it leaves once its
 * jobs are done and never registers again); a worker whose machine is gone leaves at once.
 *
 * <p>Thread safety: every method is synchronised.
 */
final class MachinePool implements JobSourceProvider {
  static final String NAME = "machines";

  /**
   * A running machine of the cloud, as its tags describe it.
   *
   * @param vm its csv2 VM name (tag {@code csv2-vm})
   * @param group its group (tag {@code csv2-group})
   * @param cloud its cloud (tag {@code csv2-cloud})
   * @param instanceId the csv2 engine instance id it carries (tag {@code csv2-instance})
   * @param total what its flavor offers
   */
  record Machine(VmId vm, GroupName group, CloudName cloud, String instanceId, Resources total) {}

  private static final class SimJob {
    final JobId id;
    final GroupName group;
    final Resources request;
    final Instant submitted;
    JobState state = JobState.IDLE;
    VmId worker;
    int snapshotsLeft;

    SimJob(JobId id, GroupName group, Resources request, Instant submitted, int snapshots) {
      this.id = id;
      this.group = group;
      this.request = request;
      this.submitted = submitted;
      this.snapshotsLeft = snapshots;
    }
  }

  private static final class SimWorker {
    final Machine machine;
    final Instant registered;
    Instant lastActivity;
    boolean draining;

    SimWorker(Machine machine, Instant registered) {
      this.machine = machine;
      this.registered = registered;
      this.lastActivity = registered;
    }
  }

  private final Clock clock;
  private final Supplier<List<Machine>> machines;
  private final List<SimJob> jobs = new ArrayList<>();
  private final Map<VmId, SimWorker> workers = new LinkedHashMap<>();
  private final Set<VmId> departed = new HashSet<>();
  private final List<VmId> registeredEver = new ArrayList<>();
  private final List<VmId> retiredEver = new ArrayList<>();
  private int nextJob = 1;
  private int completed;

  MachinePool(Clock clock, Supplier<List<Machine>> machines) {
    this.clock = clock;
    this.machines = machines;
  }

  /** Queues idle jobs that each run for {@code snapshots} snapshots once started. */
  synchronized void submit(GroupName group, int count, Resources request, int snapshots) {
    for (int i = 0; i < count; i++) {
      jobs.add(new SimJob(JobId.of("m#" + nextJob++), group, request, clock.instant(), snapshots));
    }
  }

  /** No job is idle or running. */
  synchronized boolean finished() {
    return jobs.isEmpty();
  }

  synchronized int completed() {
    return completed;
  }

  /** Every VM that ever registered as a worker, in order. */
  synchronized List<VmId> registeredEver() {
    return List.copyOf(registeredEver);
  }

  /** Every VM the engine asked to drain, in order. */
  synchronized List<VmId> retiredEver() {
    return List.copyOf(retiredEver);
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
    String engine = context.instanceId();
    return new JobSource() {
      @Override
      public JobSnapshot snapshot() {
        return MachinePool.this.snapshot(engine);
      }

      @Override
      public void retire(Worker worker) {
        MachinePool.this.retire(worker.vm());
      }

      @Override
      public void forget(VmId vm) {
        MachinePool.this.forget(vm);
      }

      @Override
      public void close() {}
    };
  }

  private synchronized JobSnapshot snapshot(String engine) {
    Instant now = clock.instant();
    Map<VmId, Machine> up = new LinkedHashMap<>();
    for (Machine m : machines.get()) {
      up.put(m.vm(), m);
    }
    // machines gone: their workers leave, their jobs go back to the queue
    for (VmId vm : List.copyOf(workers.keySet())) {
      if (!up.containsKey(vm)) {
        leave(vm);
      }
    }
    // new machines register
    up.forEach((vm, m) -> {
      if (!workers.containsKey(vm) && !departed.contains(vm)) {
        workers.put(vm, new SimWorker(m, now));
        registeredEver.add(vm);
      }
    });
    // running jobs progress
    for (SimJob j : List.copyOf(jobs)) {
      if (j.state == JobState.RUNNING && --j.snapshotsLeft <= 0) {
        jobs.remove(j);
        completed++;
        SimWorker w = workers.get(j.worker);
        if (w != null) {
          w.lastActivity = now;
        }
      }
    }
    // drained workers leave
    for (VmId vm : List.copyOf(workers.keySet())) {
      SimWorker w = workers.get(vm);
      if (w.draining && running(vm).isEmpty()) {
        workers.remove(vm);
        departed.add(vm);
      }
    }
    // negotiate: first fit
    for (SimJob j : jobs) {
      if (j.state != JobState.IDLE) {
        continue;
      }
      for (SimWorker w : workers.values()) {
        if (!w.draining && w.machine.group().equals(j.group) && j.request.fitsIn(free(w))) {
          j.state = JobState.RUNNING;
          j.worker = w.machine.vm();
          w.lastActivity = now;
          break;
        }
      }
    }
    List<Job> out = new ArrayList<>();
    for (SimJob j : jobs) {
      out.add(Job.builder(j.id, j.group)
          .owner("tester")
          .request(j.request)
          .queuedSince(j.submitted)
          .state(j.state)
          .build());
    }
    List<Worker> ws = new ArrayList<>();
    for (SimWorker w : workers.values()) {
      if (!w.machine.instanceId().equals(engine)) {
        continue;
      }
      List<SimJob> r = running(w.machine.vm());
      ws.add(new Worker(
          w.machine.vm().value(), w.machine.vm(), w.machine.group(), w.machine.cloud(), w.machine.instanceId(),
          w.machine.total(), used(r), r.size(), w.draining, w.lastActivity));
    }
    return new JobSnapshot(now, out, ws, 0);
  }

  private synchronized void retire(VmId vm) {
    retiredEver.add(vm);
    SimWorker w = workers.get(vm);
    if (w != null) {
      w.draining = true;
    }
  }

  private synchronized void forget(VmId vm) {
    leave(vm);
  }

  private void leave(VmId vm) {
    if (workers.remove(vm) == null) {
      return;
    }
    departed.add(vm);
    for (SimJob j : jobs) {
      if (j.state == JobState.RUNNING && Objects.equals(j.worker, vm)) {
        j.state = JobState.IDLE;
        j.worker = null;
      }
    }
  }

  private List<SimJob> running(VmId vm) {
    return jobs.stream().filter(j -> j.state == JobState.RUNNING && vm.equals(j.worker)).toList();
  }

  private static Resources used(List<SimJob> running) {
    Resources u = Resources.ZERO;
    for (SimJob j : running) {
      u = u.plus(j.request);
    }
    return u;
  }

  private Resources free(SimWorker w) {
    return w.machine.total().minusOrZero(used(running(w.machine.vm())));
  }
}

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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import org.csv2.api.JobSourceException;
import org.csv2.model.CloudName;
import org.csv2.model.GroupName;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.JobSnapshot;
import org.csv2.model.JobState;
import org.csv2.model.Resources;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.Csv2Tags;
import org.csv2.spi.JobSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated batch pool of a {@link SimulatedWorld}: an HTCondor-like pool with partitionable
 * slots.
 *
 * <ul>
 *   <li>Jobs arrive at their submit time (from a workload or {@link #submit}) and are visible from
 *       then on, IDLE, with ids {@code sim#N}; they run for their run time, then COMPLETED, and drop
 *       out of snapshots (they stay in the counts).
 *   <li>Every ACTIVE instance of a simulated cloud tagged with a csv2 instance id becomes a worker
 *       {@code register-delay} after it became ACTIVE: its name and VM are the instance's name, its
 *       group, cloud and instance id come from its tags, its total from its flavor. Workers can also
 *       be started in code ({@link #addWorker}).
 *   <li>The negotiator runs at every {@link JobSource#snapshot()}: it takes idle jobs by priority
 *       (highest first), then submit time, and puts each on the first worker (in registration
 *       order) of the job's group, with the free resources, that is not draining (first fit). A job
 *       with target clouds only goes to workers of those clouds.
 *   <li>{@code retire} drains a worker: no new jobs; when its running jobs are done, it leaves the
 *       pool (its instance stays until it is terminated, and never registers again).
 *   <li>{@code forget} removes a worker's ad at once; a worker whose instance is terminated
 *       disappears at once. Either way its running jobs go back to IDLE (a lost job, counted) and
 *       keep their submit time.
 * </ul>
 *
 * <p>Work per snapshot grows with what changed and with the current idle and running jobs, never
 * with the history: events sit in a time-ordered queue, idle jobs in one priority queue per shape,
 * and the lists handed out are cached until something changes.
 *
 * <p><b>Thread safety:</b> safe for concurrent use; guarded by the world's lock.
 */
public final class SimulatedPool {
  private static final Logger log = LoggerFactory.getLogger(SimulatedPool.class);
  private static final Set<String> METHODS = Set.of("snapshot", "retire", "forget");
  private static final Comparator<SimJob> JOB_ORDER =
      Comparator.<SimJob>comparingInt(j -> j.priority)
          .reversed()
          .thenComparing((SimJob j) -> j.submit)
          .thenComparingLong(j -> j.seq);

  private record Shape(GroupName group, Resources request, Set<CloudName> targets) {}

  private static final class SimJob {
    final long seq;
    final JobId id;
    final GroupName group;
    final String owner;
    final Resources request;
    final Duration runTime;
    final @Nullable Duration requestedWallTime;
    final int priority;
    final Instant submit;
    final Shape shape;
    JobState state = JobState.IDLE;
    int slot = -1;
    @Nullable SimWorker worker;
    int runId;
    Instant startedAt = Instant.EPOCH;
    boolean everStarted;
    @Nullable Job idleView;
    @Nullable Job runningView;

    SimJob(long seq, WorkloadJob w, Instant submit, Set<CloudName> targets) {
      this.seq = seq;
      this.id = JobId.of("sim#" + seq);
      this.group = w.group();
      this.owner = w.owner();
      this.request = w.request();
      this.runTime = w.runTime();
      this.requestedWallTime = w.requestedWallTime();
      this.priority = w.priority();
      this.submit = submit;
      this.shape = new Shape(w.group(), w.request(), targets);
    }

    Job view() {
      if (state == JobState.RUNNING) {
        Job v = runningView;
        if (v == null) {
          v = build(JobState.RUNNING);
          runningView = v;
        }
        return v;
      }
      Job v = idleView;
      if (v == null) {
        v = build(JobState.IDLE);
        idleView = v;
      }
      return v;
    }

    private Job build(JobState s) {
      return Job.builder(id, group)
          .owner(owner)
          .request(request)
          .targetClouds(shape.targets)
          .priority(priority)
          .queuedSince(submit)
          .state(s)
          .requestedWallTime(requestedWallTime)
          .build();
    }
  }

  private static final class SimWorker {
    final long seq;
    final VmId vm;
    final GroupName group;
    final CloudName cloud;
    final String instanceId;
    final Resources total;
    final SimulatedCloud.@Nullable SimInstance instance;
    final List<SimJob> jobs = new ArrayList<>(4);
    int usedCores;
    long usedRam;
    long usedDisk;
    long usedSwap;
    int usedGpus;
    boolean draining;
    boolean inFreeSet;
    Instant lastActivity;
    @Nullable Worker view;

    SimWorker(
        long seq,
        VmId vm,
        GroupName group,
        CloudName cloud,
        String instanceId,
        Resources total,
        SimulatedCloud.@Nullable SimInstance instance,
        Instant registered) {
      this.seq = seq;
      this.vm = vm;
      this.group = group;
      this.cloud = cloud;
      this.instanceId = instanceId;
      this.total = total;
      this.instance = instance;
      this.lastActivity = registered;
    }

    boolean fits(Resources r) {
      return usedCores + r.cores() <= total.cores()
          && usedRam + r.ramMiB() <= total.ramMiB()
          && usedDisk + r.diskGiB() <= total.diskGiB()
          && usedSwap + r.swapMiB() <= total.swapMiB()
          && usedGpus + r.gpus() <= total.gpus();
    }

    void take(Resources r, int sign) {
      usedCores += sign * r.cores();
      usedRam += sign * r.ramMiB();
      usedDisk += sign * r.diskGiB();
      usedSwap += sign * r.swapMiB();
      usedGpus += sign * r.gpus();
    }

    Worker view() {
      Worker v = view;
      if (v == null) {
        v =
            new Worker(
                vm.value(),
                vm,
                group,
                cloud,
                instanceId,
                total,
                new Resources(usedCores, usedRam, usedDisk, usedSwap, usedGpus),
                jobs.size(),
                draining,
                lastActivity);
        view = v;
      }
      return v;
    }
  }

  /** Feeds one workload's jobs into the event queue, one arrival time at a time. */
  private final class Feeder {
    private final List<WorkloadJob> jobs;
    private final Instant start;
    private int next;

    Feeder(List<WorkloadJob> jobs, Instant start) {
      this.jobs = jobs;
      this.start = start;
    }

    void scheduleNext() {
      if (next < jobs.size()) {
        world.schedule(start.plus(jobs.get(next).submit()), this::arrive);
      }
    }

    void arrive(Instant at) {
      while (next < jobs.size()) {
        Instant t = start.plus(jobs.get(next).submit());
        if (t.isAfter(at)) {
          break;
        }
        add(jobs.get(next), t, Set.of());
        next++;
        pendingArrivals--;
      }
      scheduleNext();
    }
  }

  /** Told of every run of a job when it ends, for analyses such as a replay's cost bound. */
  @FunctionalInterface
  public interface RunObserver {
    /**
     * A run ended: the job completed, or its worker disappeared and it went back to IDLE.
     *
     * @param request what the job asks
     * @param start when the run started
     * @param end when it ended
     */
    void runEnded(Resources request, Instant start, Instant end);
  }

  private final SimulatedWorld world;
  private @Nullable RunObserver runObserver;
  private Duration registerDelay = SimulatedJobSourceConfig.DEFAULT_REGISTER_DELAY;
  private final Set<Object> installed = new HashSet<>();
  private final Map<String, Deque<JobSourceException.Reason>> scripted = new HashMap<>();

  private long nextJob = 1;
  private final Map<Shape, PriorityQueue<SimJob>> idle = new LinkedHashMap<>();
  private int idleCount;
  private int runningCount;

  private long nextWorker = 1;
  private final LinkedHashMap<VmId, SimWorker> workers = new LinkedHashMap<>();
  private final Map<GroupName, TreeMap<Long, SimWorker>> free = new HashMap<>();

  private long pendingArrivals;
  private boolean negotiationNeeded;
  // the current job views in submit order, with holes (null) where jobs completed
  private Job[] views = new Job[1024];
  private SimJob[] slotJobs = new SimJob[1024];
  private int slots;
  private int holes;
  private @Nullable List<Job> jobsView;
  private final Map<String, List<Worker>> workersViews = new HashMap<>();
  private @Nullable List<Worker> allWorkersView;

  // statistics
  private long submitted;
  private long firstStarts;
  private long completed;
  private long lost;
  private long[] waits = new long[1024];
  private int waitCount;
  private long waitSum;
  private long @Nullable [] sortedWaits;
  private long closedCoreMs;
  private long runningCores;
  private long runningCoreStartMs;

  SimulatedPool(SimulatedWorld world) {
    this.world = world;
  }

  /**
   * A job source for one engine: its snapshots hold every job and the workers that carry {@code
   * engineInstanceId}.
   *
   * @param engineInstanceId the engine's csv2 instance id
   * @return the job source
   */
  public JobSource jobSource(String engineInstanceId) {
    return new SimulatedJobSource(this, Objects.requireNonNull(engineInstanceId, "engineInstanceId"));
  }

  /**
   * Sets the time between an instance becoming ACTIVE and its worker registering, for instances
   * that become ACTIVE from now on.
   *
   * @param delay the delay
   */
  public void setRegisterDelay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("register delay must not be negative: " + delay);
    }
    synchronized (world.lock) {
      registerDelay = delay;
    }
  }

  /**
   * Sets the one observer told of every run when it ends (called with the world's lock held: it
   * must not call back into the world).
   *
   * @param observer the observer, or null for none
   */
  public void observeRuns(@Nullable RunObserver observer) {
    synchronized (world.lock) {
      runObserver = observer;
    }
  }

  /**
   * Submits one job now.
   *
   * @param group its group
   * @param owner its owner
   * @param request what it requests; at least one core
   * @param runTime how long it runs
   * @param priority its priority (higher first)
   * @return its id
   */
  public JobId submit(GroupName group, String owner, Resources request, Duration runTime, int priority) {
    return submit(new WorkloadJob(Duration.ZERO, group, owner, request, runTime, priority), Set.of());
  }

  /**
   * Submits one job now, restricted to some clouds.
   *
   * @param job the job; its submit time is ignored
   * @param targetClouds the clouds it may run on; empty for any
   * @return its id
   */
  public JobId submit(WorkloadJob job, Set<CloudName> targetClouds) {
    Objects.requireNonNull(job, "job");
    synchronized (world.lock) {
      world.sync();
      return add(job, world.now(), Set.copyOf(targetClouds)).id;
    }
  }

  /**
   * Schedules a workload: each job arrives at now + its submit time.
   *
   * @param jobs the jobs, in any order
   */
  public void schedule(List<WorkloadJob> jobs) {
    List<WorkloadJob> sorted = new ArrayList<>(jobs);
    sorted.sort(Comparator.comparing(WorkloadJob::submit));
    synchronized (world.lock) {
      world.sync();
      pendingArrivals += sorted.size();
      new Feeder(List.copyOf(sorted), world.now()).scheduleNext();
    }
  }

  /**
   * Schedules a workload once per pool: a second call with an equal key does nothing, so that
   * several engines that share a world and configure the same workload submit its jobs once.
   *
   * @param key what identifies the workload, such as its configuration
   * @param jobs the jobs, made only if the workload was not scheduled yet
   * @return true if it was scheduled now
   */
  boolean scheduleOnce(Object key, java.util.function.Supplier<List<WorkloadJob>> jobs) {
    synchronized (world.lock) {
      if (!installed.add(key)) {
        return false;
      }
    }
    List<WorkloadJob> list;
    try {
      list = jobs.get();
    } catch (RuntimeException e) {
      synchronized (world.lock) {
        installed.remove(key);
      }
      throw e;
    }
    schedule(list);
    log.info("simulated pool: workload of {} jobs scheduled", list.size());
    return true;
  }

  /**
   * Starts a worker now that no simulated instance backs (for tests of job sources).
   *
   * @param vm its VM name (also its worker name)
   * @param group its group
   * @param cloud its cloud
   * @param engineInstanceId the csv2 instance id it advertises
   * @param total its resources
   */
  public void addWorker(VmId vm, GroupName group, CloudName cloud, String engineInstanceId, Resources total) {
    synchronized (world.lock) {
      world.sync();
      register(vm, group, cloud, engineInstanceId, total, null, world.now());
    }
  }

  /**
   * Makes the next call of a job source method fail without acting.
   *
   * @param method {@code snapshot}, {@code retire} or {@code forget}
   * @param reason the reason of the exception
   */
  public void failNext(String method, JobSourceException.Reason reason) {
    Objects.requireNonNull(reason, "reason");
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("unknown method '" + method + "'; use one of " + METHODS);
    }
    synchronized (world.lock) {
      scripted.computeIfAbsent(method, k -> new ArrayDeque<>()).add(reason);
    }
  }

  /**
   * Every idle and running job now, without negotiating.
   *
   * @return the jobs, in submit order
   */
  public List<Job> jobs() {
    synchronized (world.lock) {
      world.sync();
      return jobsView();
    }
  }

  /**
   * How many jobs of scheduled workloads have not arrived yet.
   *
   * @return the count; 0 when every workload has fully arrived
   */
  public long pendingArrivals() {
    synchronized (world.lock) {
      world.sync();
      return pendingArrivals;
    }
  }

  /**
   * Whether every scheduled job has arrived and no job is idle or running: the simulation's
   * workload is done.
   *
   * @return true when done
   */
  public boolean finished() {
    synchronized (world.lock) {
      world.sync();
      return pendingArrivals == 0 && idleCount == 0 && runningCount == 0;
    }
  }

  /**
   * Every worker now, of every engine, without negotiating.
   *
   * @return the workers, in registration order
   */
  public List<Worker> workers() {
    synchronized (world.lock) {
      world.sync();
      List<Worker> v = allWorkersView;
      if (v == null) {
        List<Worker> out = new ArrayList<>(workers.size());
        for (SimWorker w : workers.values()) {
          out.add(w.view());
        }
        v = List.copyOf(out);
        allWorkersView = v;
      }
      return v;
    }
  }

  // ---- job source verbs ----

  JobSnapshot snapshot(String engineInstanceId) {
    synchronized (world.lock) {
      scripted("snapshot");
      world.sync();
      Instant now = world.now();
      negotiate(now);
      List<Worker> ws = workersViews.get(engineInstanceId);
      if (ws == null) {
        List<Worker> out = new ArrayList<>();
        for (SimWorker w : workers.values()) {
          if (w.instanceId.equals(engineInstanceId)) {
            out.add(w.view());
          }
        }
        ws = List.copyOf(out);
        workersViews.put(engineInstanceId, ws);
      }
      return new JobSnapshot(now, jobsView(), ws, 0);
    }
  }

  void retire(Worker worker) {
    synchronized (world.lock) {
      scripted("retire");
      world.sync();
      SimWorker w = workers.get(worker.vm());
      if (w == null || w.draining) {
        return;
      }
      w.draining = true;
      w.view = null;
      updateFree(w);
      workersChanged();
      if (w.jobs.isEmpty()) {
        removeWorker(w, world.now());
      }
    }
  }

  void forget(VmId vm) {
    synchronized (world.lock) {
      scripted("forget");
      world.sync();
      SimWorker w = workers.get(vm);
      if (w != null) {
        removeWorker(w, world.now());
      }
    }
  }

  // ---- links from the clouds (lock held) ----

  void instanceReady(SimulatedCloud cloud, SimulatedCloud.SimInstance inst, Instant at) {
    if (inst.terminatedAt != null || inst.fails || !inst.tags.containsKey(Csv2Tags.INSTANCE_ID)) {
      return;
    }
    world.schedule(at.plus(registerDelay), t -> registerInstance(cloud, inst, t));
  }

  private void registerInstance(SimulatedCloud cloud, SimulatedCloud.SimInstance inst, Instant at) {
    if (inst.terminatedAt != null && !inst.terminatedAt.isAfter(at)) {
      return;
    }
    GroupName group;
    CloudName cloudName;
    try {
      group = GroupName.of(Objects.requireNonNull(inst.tags.get(Csv2Tags.GROUP), "group tag"));
      String c = inst.tags.get(Csv2Tags.CLOUD);
      cloudName = c == null ? cloud.name() : CloudName.of(c);
    } catch (RuntimeException e) {
      log.warn("simulated pool: instance {} of cloud {} has no valid group or cloud tag; it does not register", inst.id, cloud.name());
      return;
    }
    register(
        inst.name,
        group,
        cloudName,
        Objects.requireNonNull(inst.tags.get(Csv2Tags.INSTANCE_ID)),
        inst.flavor.resources(),
        inst,
        at);
  }

  void instanceGone(SimulatedCloud.SimInstance inst, Instant at) {
    SimWorker w = workers.get(inst.name);
    if (w != null && w.instance == inst) {
      removeWorker(w, at);
    }
  }

  // ---- mechanics (lock held) ----

  private SimJob add(WorkloadJob job, Instant at, Set<CloudName> targets) {
    SimJob j = new SimJob(nextJob++, job, at, targets);
    if (slots == views.length) {
      if (holes * 2 >= slots) {
        compact();
      } else {
        views = Arrays.copyOf(views, slots * 2);
        slotJobs = Arrays.copyOf(slotJobs, slots * 2);
      }
    }
    j.slot = slots++;
    views[j.slot] = j.view();
    slotJobs[j.slot] = j;
    idle.computeIfAbsent(j.shape, s -> new PriorityQueue<>(JOB_ORDER)).add(j);
    idleCount++;
    submitted++;
    jobsView = null;
    negotiationNeeded = true;
    return j;
  }

  private void register(
      VmId vm,
      GroupName group,
      CloudName cloud,
      String engineInstanceId,
      Resources total,
      SimulatedCloud.@Nullable SimInstance inst,
      Instant at) {
    if (workers.containsKey(vm)) {
      return;
    }
    SimWorker w = new SimWorker(nextWorker++, vm, group, cloud, engineInstanceId, total, inst, at);
    workers.put(vm, w);
    updateFree(w);
    workersChanged();
    negotiationNeeded = true;
  }

  private void negotiate(Instant now) {
    if (!negotiationNeeded) {
      return;
    }
    negotiationNeeded = false;
    List<Map.Entry<Shape, PriorityQueue<SimJob>>> candidates = new ArrayList<>();
    for (Map.Entry<Shape, PriorityQueue<SimJob>> e : idle.entrySet()) {
      TreeMap<Long, SimWorker> fs = free.get(e.getKey().group());
      if (!e.getValue().isEmpty() && fs != null && !fs.isEmpty()) {
        candidates.add(e);
      }
    }
    while (!candidates.isEmpty()) {
      int best = 0;
      for (int i = 1; i < candidates.size(); i++) {
        if (JOB_ORDER.compare(candidates.get(i).getValue().peek(), candidates.get(best).getValue().peek()) < 0) {
          best = i;
        }
      }
      PriorityQueue<SimJob> q = candidates.get(best).getValue();
      SimJob j = Objects.requireNonNull(q.peek());
      SimWorker w = firstFit(j);
      if (w == null) {
        candidates.remove(best);
        continue;
      }
      q.poll();
      start(j, w, now);
      if (q.isEmpty()) {
        candidates.remove(best);
      }
    }
  }

  private @Nullable SimWorker firstFit(SimJob j) {
    TreeMap<Long, SimWorker> fs = free.get(j.group);
    if (fs == null) {
      return null;
    }
    Set<CloudName> targets = j.shape.targets;
    for (SimWorker w : fs.values()) {
      if (w.fits(j.request) && (targets.isEmpty() || targets.contains(w.cloud))) {
        return w;
      }
    }
    return null;
  }

  private void start(SimJob j, SimWorker w, Instant now) {
    j.state = JobState.RUNNING;
    j.worker = w;
    j.runId++;
    j.startedAt = now;
    j.runningView = null;
    views[j.slot] = j.view();
    if (!j.everStarted) {
      j.everStarted = true;
      firstStarts++;
      recordWait(Duration.between(j.submit, now).toMillis());
    }
    idleCount--;
    runningCount++;
    long cores = j.request.cores();
    runningCores += cores;
    runningCoreStartMs += cores * world.ms(now);
    w.take(j.request, 1);
    w.jobs.add(j);
    w.lastActivity = now;
    w.view = null;
    updateFree(w);
    workersChanged();
    jobsView = null;
    int run = j.runId;
    world.schedule(now.plus(j.runTime), at -> complete(j, run, at));
  }

  private void complete(SimJob j, int run, Instant at) {
    if (j.runId != run || j.state != JobState.RUNNING) {
      return;
    }
    SimWorker w = Objects.requireNonNull(j.worker);
    stopRun(j, at);
    j.state = JobState.COMPLETED;
    j.worker = null;
    views[j.slot] = null;
    slotJobs[j.slot] = null;
    j.slot = -1;
    holes++;
    completed++;
    runningCount--;
    jobsView = null;
    w.take(j.request, -1);
    w.jobs.remove(j);
    w.lastActivity = at;
    w.view = null;
    workersChanged();
    if (w.draining && w.jobs.isEmpty()) {
      removeWorker(w, at);
    } else {
      updateFree(w);
      negotiationNeeded = true;
    }
  }

  private void stopRun(SimJob j, Instant at) {
    RunObserver o = runObserver;
    if (o != null) {
      o.runEnded(j.request, j.startedAt, at);
    }
    long cores = j.request.cores();
    long start = world.ms(j.startedAt);
    closedCoreMs += cores * (world.ms(at) - start);
    runningCores -= cores;
    runningCoreStartMs -= cores * start;
  }

  private void removeWorker(SimWorker w, Instant at) {
    workers.remove(w.vm);
    w.draining = true;
    updateFree(w);
    workersChanged();
    if (w.jobs.isEmpty()) {
      return;
    }
    for (SimJob j : w.jobs) {
      stopRun(j, at);
      j.state = JobState.IDLE;
      j.worker = null;
      j.runId++;
      views[j.slot] = j.view();
      lost++;
      runningCount--;
      idleCount++;
      idle.computeIfAbsent(j.shape, s -> new PriorityQueue<>(JOB_ORDER)).add(j);
    }
    log.debug("simulated pool: worker {} gone with {} running jobs; they are idle again", w.vm, w.jobs.size());
    w.jobs.clear();
    jobsView = null;
    negotiationNeeded = true;
  }

  private void updateFree(SimWorker w) {
    boolean should = !w.draining && w.usedCores < w.total.cores() && workers.get(w.vm) == w;
    if (should == w.inFreeSet) {
      return;
    }
    TreeMap<Long, SimWorker> fs = free.computeIfAbsent(w.group, g -> new TreeMap<>());
    if (should) {
      fs.put(w.seq, w);
    } else {
      fs.remove(w.seq);
    }
    w.inFreeSet = should;
  }

  private void workersChanged() {
    workersViews.clear();
    allWorkersView = null;
  }

  List<Job> jobsView() {
    List<Job> v = jobsView;
    if (v == null) {
      if (holes > 64 && holes * 2 > slots) {
        compact();
      }
      Job[] out = new Job[slots - holes];
      int n = 0;
      for (int i = 0; i < slots; i++) {
        Job job = views[i];
        if (job != null) {
          out[n++] = job;
        }
      }
      v = List.of(out);
      jobsView = v;
    }
    return v;
  }

  /** Closes the holes of the view array, keeping submit order. */
  private void compact() {
    int n = 0;
    for (int i = 0; i < slots; i++) {
      SimJob j = slotJobs[i];
      if (j != null) {
        j.slot = n;
        slotJobs[n] = j;
        views[n] = views[i];
        n++;
      }
    }
    Arrays.fill(views, n, slots, null);
    Arrays.fill(slotJobs, n, slots, null);
    slots = n;
    holes = 0;
  }

  private void recordWait(long ms) {
    if (waitCount == waits.length) {
      waits = Arrays.copyOf(waits, waits.length * 2);
    }
    waits[waitCount++] = ms;
    waitSum += ms;
    sortedWaits = null;
  }

  private void scripted(String method) {
    Deque<JobSourceException.Reason> q = scripted.get(method);
    if (q != null && !q.isEmpty()) {
      JobSourceException.Reason reason = q.poll();
      throw new JobSourceException(
          reason, String.format("simulated pool: %s failed: scripted %s failure", method, reason));
    }
  }

  SimulationStatistics statistics(
      Instant now,
      double coreHoursProvisioned,
      double cost,
      long vmsBooted,
      int vmsNow,
      int peakVms,
      long bootFailuresInjected) {
    long[] sorted = sortedWaits;
    if (sorted == null) {
      sorted = Arrays.copyOf(waits, waitCount);
      Arrays.sort(sorted);
      sortedWaits = sorted;
    }
    int n = waitCount;
    long usedCoreMs = closedCoreMs + runningCores * world.ms(now) - runningCoreStartMs;
    return new SimulationStatistics(
        now,
        submitted,
        firstStarts,
        completed,
        lost,
        idleCount,
        runningCount,
        Duration.ofMillis(n == 0 ? 0 : waitSum / n),
        Duration.ofMillis(SimulationStatistics.percentile(sorted, n, 50)),
        Duration.ofMillis(SimulationStatistics.percentile(sorted, n, 95)),
        Duration.ofMillis(SimulationStatistics.percentile(sorted, n, 99)),
        Duration.ofMillis(n == 0 ? 0 : sorted[n - 1]),
        usedCoreMs / 3_600_000.0,
        coreHoursProvisioned,
        cost,
        vmsBooted,
        vmsNow,
        peakVms,
        bootFailuresInjected);
  }
}

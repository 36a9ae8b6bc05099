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

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.csv2.api.JobSourceException;
import org.csv2.model.Job;
import org.csv2.model.JobId;
import org.csv2.model.JobSnapshot;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.JobSource;
import org.csv2.spi.PluginContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an HTCondor pool through its command-line tools.
 *
 * <ul>
 *   <li>{@link #snapshot()}: {@code condor_q -allusers -json -attributes ...} per configured schedd
 *       (or the local one) and {@code condor_status -json -attributes ... -constraint ...} for the
 *       startds that carry csv2 attributes;
 *   <li>{@link #retire(Worker)}: {@code condor_off -startd -peaceful -name NAME} once the worker's
 *       master ad is in the collector; before that (a peaceful shutdown sent then only reaches the
 *       startd, which keeps its claims), {@code condor_drain -graceful -exit-on-completion SLOT},
 *       which relies on the worker's {@code MAXJOBRETIREMENTTIME}; then the ads are read again to
 *       confirm the drain;
 *   <li>{@link #forget(VmId)}: {@code condor_advertise INVALIDATE_STARTD_ADS} (slot and startd
 *       daemon ads) and {@code INVALIDATE_MASTER_ADS} with a query ad naming the VM.
 * </ul>
 *
 * <p><b>Thread safety:</b> stateless between calls; safe for the engine's one caller at a time.
 */
final class HtCondorJobSource implements JobSource {
  private static final Logger log = LoggerFactory.getLogger(HtCondorJobSource.class);

  /** The schedd part of job ids when the ads name none and no schedd is configured. */
  static final String LOCAL_SCHEDD = "local";

  private final HtCondorConfig config;
  private final PluginContext context;
  private final Commands commands;
  private final JobAds jobAds;
  private final WorkerAds workerAds;

  HtCondorJobSource(HtCondorConfig config, PluginContext context) {
    this.config = config;
    this.context = context;
    this.commands = new Commands(config.commandPrefix(), config.callTimeout(), Boolean.TRUE.equals(config.shellQuote()));
    this.jobAds = new JobAds(config.defaultGroupName());
    this.workerAds = new WorkerAds(context.instanceId());
  }

  @Override
  public JobSnapshot snapshot() {
    Instant now = context.clock().instant();
    List<Job> jobs = new ArrayList<>();
    Set<JobId> seen = new HashSet<>();
    int skipped = 0;
    int foreign = 0;
    List<@Nullable String> schedds = new ArrayList<>(config.schedds());
    if (schedds.isEmpty()) {
      schedds.add(null);
    }
    for (String schedd : schedds) {
      List<String> args = new ArrayList<>(List.of("condor_q"));
      pool(args);
      if (schedd != null) {
        args.add("-name");
        args.add(schedd);
      }
      args.addAll(List.of("-allusers", "-json", "-attributes", String.join(",", JobAds.ATTRIBUTES)));
      for (ClassAds.Ad ad : query(args)) {
        JobAds.Outcome o = jobAds.map(ad, schedd == null ? LOCAL_SCHEDD : schedd);
        Job job = o.job();
        if (job != null && !seen.add(job.id())) {
          // the same job listed twice (two schedds answering for one, a replayed reply) is one job
          skipped++;
          context.rejected(o.record(), "job id " + job.id().value() + " listed more than once; the first is kept");
        } else if (job != null) {
          jobs.add(job);
        } else if (o.malformed()) {
          skipped++;
          context.rejected(o.record(), String.valueOf(o.skipped()));
        } else {
          skipped++;
          foreign++;
        }
      }
    }
    WorkerAds.Result workers = workerAds.map(query(statusArgs(WorkerAds.ANY_CSV2_WORKER)), now);
    skipped += workers.skipped();
    for (WorkerAds.Rejected r : workers.problems()) {
      context.rejected(r.record(), r.reason());
    }
    if (foreign > 0) {
      log.debug("job source {}: {} foreign job ads left out", context.name(), foreign);
    }
    return new JobSnapshot(now, jobs, workers.workers(), skipped);
  }

  @Override
  public void retire(Worker worker) {
    WorkerAds.Result ads = ours();
    Optional<Worker> current = find(ads, worker.name());
    if (current.isEmpty()) {
      log.debug("retire {}: its ads are gone already", worker.name());
      return;
    }
    if (current.get().draining()) {
      log.debug("retire {}: already draining", worker.name());
      return;
    }
    String how;
    if (hasMasterAd(worker.name())) {
      how = "condor_off -peaceful";
      List<String> args = new ArrayList<>(List.of("condor_off"));
      pool(args);
      args.addAll(List.of("-startd", "-peaceful", "-name", worker.name()));
      act(args, null, "retire worker " + worker.name() + " (VM " + worker.vm() + ")");
    } else {
      how = "condor_drain -graceful (no master ad yet)";
      String slot = ads.slotOf().getOrDefault(worker.name(), "slot1@" + worker.name());
      List<String> args = new ArrayList<>(List.of("condor_drain"));
      pool(args);
      args.addAll(List.of("-graceful", "-exit-on-completion", slot));
      Commands.Result r = commands.run(args, null);
      // a drain (or a peaceful shutdown) under way already is what was asked for
      if (!r.ok() && !(r.stderr() + r.stdout()).contains("already in progress")) {
        fail(r, "drain worker " + worker.name() + " (VM " + worker.vm() + ", no master ad yet)");
      }
    }
    Optional<Worker> after = find(ours(), worker.name());
    if (after.isEmpty() || after.get().draining()) {
      log.info("worker {} (VM {}) retires ({}): {}", worker.name(), worker.vm(), how, after.isEmpty() ? "gone" : "draining");
    } else {
      log.info("worker {} (VM {}) was asked to retire ({}); not yet draining in its ads", worker.name(), worker.vm(), how);
    }
  }

  @Override
  public void forget(VmId vm) {
    String id = ClassAds.quote(context.instanceId());
    String name = ClassAds.quote(vm.value());
    String dotted = ClassAds.quote(vm.value() + ".");
    String requirements =
        "(" + WorkerAds.VM_NAME + " =?= " + name + " && " + WorkerAds.INSTANCE_ID + " =?= " + id + ")"
            + " || (" + WorkerAds.VM_NAME + " is undefined && cs_host_id =?= " + id
            + " && (Machine =?= " + name + " || substr(Machine, 0, " + (vm.value().length() + 1) + ") =?= "
            + dotted + "))";
    String startd =
        queryAd("Machine", requirements) + "\n" + queryAd("StartD", requirements);
    List<String> args = new ArrayList<>(List.of("condor_advertise"));
    pool(args);
    args.addAll(List.of("-multiple", "INVALIDATE_STARTD_ADS", "-"));
    act(args, startd, "forget VM " + vm + " (startd ads)");
    List<String> master = new ArrayList<>(List.of("condor_advertise"));
    pool(master);
    master.addAll(List.of("INVALIDATE_MASTER_ADS", "-"));
    act(master, queryAd("Master", requirements), "forget VM " + vm + " (master ad)");
    log.info("forgot VM {}: its ads were invalidated in the collector", vm);
  }

  /**
   * The expiry of the token in {@code token-file} (the {@code exp} claim, read without verifying),
   * read again at every call: a renewed token is seen at the next cycle.
   */
  @Override
  public Optional<Instant> credentialsExpireAt() {
    if (config.tokenFile() == null) {
      return Optional.empty();
    }
    java.nio.file.Path file = java.nio.file.Path.of(config.tokenFile());
    try {
      return Tokens.expiryOf(file);
    } catch (java.io.IOException e) {
      throw new JobSourceException(
          JobSourceException.Reason.UNAVAILABLE,
          String.format("job source %s: token-file %s cannot be read: %s", context.name(), file, e));
    } catch (IllegalArgumentException e) {
      throw new JobSourceException(
          JobSourceException.Reason.INVALID_DATA, String.format("job source %s: token-file %s", context.name(), e.getMessage()));
    }
  }

  @Override
  public void close() {
    // every call is its own process: nothing to release
  }

  private static String queryAd(String targetType, String requirements) {
    return "MyType = \"Query\"\nTargetType = \"" + targetType + "\"\nRequirements = " + requirements + "\n";
  }

  /** The ads of this engine's workers, read now. */
  private WorkerAds.Result ours() {
    String constraint =
        "(" + WorkerAds.INSTANCE_ID + " =?= " + ClassAds.quote(context.instanceId()) + ") || (cs_host_id =?= "
            + ClassAds.quote(context.instanceId()) + ")";
    return workerAds.map(query(statusArgs(constraint)), context.clock().instant());
  }

  private static Optional<Worker> find(WorkerAds.Result ads, String startd) {
    return ads.workers().stream().filter(w -> w.name().equals(startd)).findFirst();
  }

  private boolean hasMasterAd(String name) {
    List<String> args = new ArrayList<>(List.of("condor_status"));
    pool(args);
    args.addAll(List.of("-master", "-json", "-attributes", "Name", "-constraint", "Name =?= " + ClassAds.quote(name)));
    return !query(args).isEmpty();
  }

  private List<String> statusArgs(String constraint) {
    List<String> args = new ArrayList<>(List.of("condor_status"));
    pool(args);
    args.addAll(List.of("-json", "-attributes", String.join(",", WorkerAds.ATTRIBUTES), "-constraint", constraint));
    return args;
  }

  private void pool(List<String> args) {
    if (config.pool() != null) {
      args.add("-pool");
      args.add(config.pool());
    }
  }

  private List<ClassAds.Ad> query(List<String> args) {
    Commands.Result r = commands.run(args, null);
    if (!r.ok()) {
      throw new JobSourceException(
          JobSourceException.Reason.UNAVAILABLE,
          String.format("job source %s: HTCondor cannot be read: %s", context.name(), r.describe()));
    }
    try {
      return ClassAds.parse(r.stdout());
    } catch (ClassAds.MalformedOutput e) {
      throw new JobSourceException(
          JobSourceException.Reason.INVALID_DATA,
          String.format(
              "job source %s: '%s' printed %s; output starts with: %s",
              context.name(), String.join(" ", r.command()), e.getMessage(), Commands.head(r.stdout().strip(), 200)));
    }
  }

  private void act(List<String> args, @Nullable String stdin, String what) {
    Commands.Result r = commands.run(args, stdin);
    if (!r.ok()) {
      fail(r, what);
    }
  }

  private void fail(Commands.Result r, String what) {
    String text = (r.stderr() + " " + r.stdout()).toLowerCase(Locale.ROOT);
    boolean refused =
        r.outcome() == Commands.Outcome.EXITED
            && (text.contains("permission denied") || text.contains("not authorized") || text.contains("authorization"));
    throw new JobSourceException(
        refused ? JobSourceException.Reason.REFUSED : JobSourceException.Reason.UNAVAILABLE,
        String.format(
            "job source %s: cannot %s: %s%s",
            context.name(),
            what,
            r.describe(),
            refused ? " (grant the csv2 host ADMINISTRATOR and DAEMON access in the pool; see docs/htcondor.md)" : ""));
  }
}

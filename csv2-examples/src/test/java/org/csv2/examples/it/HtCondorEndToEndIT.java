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
package org.csv2.examples.it;

import org.csv2.testkit.TestEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.csv2.api.CycleReport;
import org.csv2.api.Scheduler;
import org.csv2.api.SchedulerListener;
import org.csv2.core.Csv2Scheduler;
import org.csv2.model.VmEvent;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole engine against the real HTCondor test pool: job source {@code htcondor}, one cloud with
 * driver {@code local} (its "VMs" are condor_master + condor_startd pairs in the pool's chroot,
 * configured from the user data the engine renders from the plugin's worker template), the memory
 * state store, short timers, driven by {@link Scheduler#runOnce()} in a loop on the real clock.
 *
 * <p>One run covers: 50 jobs of mixed sizes get VMs that join and run every job (each exactly once,
 * ExitCode 0, so no retirement evicted a job); a second burst while VMs are idle reuses them; every
 * VM is retired and terminated when the queue is empty, leaving no csv2 process and no csv2 ad; a
 * VM of a group whose template advertises the wrong instance id never registers and is terminated
 * after come-alive. The figures are printed (seconds from submit to all running, all done, zero
 * VMs).
 */
class HtCondorEndToEndIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CYCLE = Duration.ofSeconds(2);
  private static final Duration COME_ALIVE = Duration.ofSeconds(60);
  private static final int BURST = 50;
  private static final int SECOND_BURST = 4;

  @TempDir Path dir;

  private TestEnvironment env;
  private final String run = String.format("%06x", new Random().nextInt(0x1000000));
  /** Names of this run only, so that concurrent runs on the shared pool never take each other's jobs. */
  private final String instanceId = "e2e" + run;
  private final String main = "e2e-" + run;
  private final String ghostGroup = "ghost-" + run;
  private final List<Integer> clusters = new ArrayList<>();
  private final Map<VmId, List<VmEvent>> events = new ConcurrentHashMap<>();
  private Scheduler scheduler;

  @BeforeEach
  void requirePool() {
    env = TestEnvironment.load();
    env.requireChroot();
    env.requireListeningHostPort("HTCondor collector", "condor.collector");
  }

  @AfterEach
  void cleanUp() {
    try {
      if (scheduler != null) {
        scheduler.close();
      }
    } finally {
      // best effort: a cluster that finished already makes condor_rm fail, which must not stop the rest
      for (int c : clusters) {
        TestEnvironment.run(env.command("condor.command.prefix", "condor_rm", Integer.toString(c)), null, Duration.ofSeconds(60));
      }
      // stop whatever VM of this engine is left (a failed run), through the driver's state dir
      condor(
          null,
          "sh",
          "-c",
          "for d in /var/lib/csv2-local/*/; do grep -qF '\"csv2-instance\":\"'\"$1\"'\"' \"$d/tags.json\" 2>/dev/null"
              + " && n=$(basename \"$d\") && \"$2\"/vm-stop.sh \"$n\" && rm -rf \"$d\"; done; exit 0",
          "sh",
          instanceId,
          env.get("condor.helpers.dir"));
    }
  }

  @Test
  void jobsGetVmsWhichRunThemAndLeaveWhenTheQueueIsEmpty() throws Exception {
    scheduler = Csv2Scheduler.builder().configYaml(config()).build();
    scheduler.addListener(
        new SchedulerListener() {
          @Override
          public void vmChanged(VmEvent event) {
            events.computeIfAbsent(event.vm(), k -> new ArrayList<>()).add(event);
          }
        });

    // a group whose VMs never register, and the main burst
    int ghost = submit(1, 1, 256, 30, ghostGroup);
    Random random = new Random(42);
    long start = System.nanoTime();
    List<Integer> burst = new ArrayList<>();
    int submitted = 0;
    while (submitted < BURST) {
      int count = Math.min(BURST - submitted, 5);
      int cores = 1 + burst.size() % 4;
      int seconds = 5 + random.nextInt(26);
      burst.add(submit(count, cores, 256L * cores, seconds, main));
      submitted += count;
    }

    double allRunning = -1;
    double allDone = -1;
    double ghostGone = -1;
    boolean ghostRemoved = false;
    double secondSubmitted = -1;
    double secondRunning = -1;
    double secondDone = -1;
    Set<VmId> vmsBeforeSecond = Set.of();
    List<Integer> second = new ArrayList<>();
    double zeroVms = -1;
    long deadline = System.nanoTime() + Duration.ofMinutes(Integer.getInteger("csv2.e2e.minutes", 5)).toNanos();
    while (System.nanoTime() < deadline) {
      long cycleStart = System.nanoTime();
      CycleReport report = scheduler.runOnce();
      double t = (System.nanoTime() - start) / 1e9;
      if (!report.failures().isEmpty() || !report.plan().isEmpty()) {
        System.out.printf(Locale.ROOT, "%6.1f s cycle %d: idle %d running %d VMs %s: %d boots, %d retirements, %d terminations%s%n",
            t, report.cycle(), report.idleJobs(), report.runningJobs(), report.vmsByState(), report.plan().boots().size(),
            report.plan().retirements().size(), report.plan().terminations().size(),
            report.failures().isEmpty() ? "" : "; failures " + report.failures());
      }
      Map<Integer, int[]> byStatus = queueCounts(burst);
      int idle = byStatus.values().stream().mapToInt(a -> a[1]).sum();
      int queued = byStatus.values().stream().mapToInt(a -> a[0]).sum();
      if (allRunning < 0 && idle == 0) {
        allRunning = t;
      }
      if (allDone < 0 && queued == 0) {
        allDone = t;
      }
      if (ghostGone < 0 && vmsOf(ghostGroup).stream().anyMatch(vm -> reached(vm, VmState.TERMINATED))) {
        ghostGone = t;
        condor(null, "condor_rm", Integer.toString(ghost));
        ghostRemoved = true;
      }
      // the second burst: as soon as the first burst is done, while its last VMs are idle (< keep-alive)
      if (secondSubmitted < 0 && allDone >= 0) {
        vmsBeforeSecond = Set.copyOf(vmsOf(main));
        for (int i = 0; i < SECOND_BURST; i++) {
          second.add(submit(1, 1, 256, 5, main));
        }
        secondSubmitted = t;
      }
      if (secondSubmitted >= 0) {
        Map<Integer, int[]> s = queueCounts(second);
        if (secondRunning < 0 && s.values().stream().mapToInt(a -> a[1]).sum() == 0) {
          secondRunning = t - secondSubmitted;
        }
        if (secondDone < 0 && s.values().stream().mapToInt(a -> a[0]).sum() == 0) {
          secondDone = t - secondSubmitted;
        }
      }
      boolean noVms =
          report.vmsByState().entrySet().stream()
              .filter(e -> e.getKey() != VmState.TERMINATED)
              .allMatch(e -> e.getValue() == 0);
      if (allDone >= 0 && secondDone >= 0 && ghostRemoved && noVms && localVms().isEmpty()) {
        zeroVms = t;
        break;
      }
      long rest = CYCLE.toNanos() - (System.nanoTime() - cycleStart);
      if (rest > 0) {
        Thread.sleep(rest / 1_000_000);
      }
    }

    String figures =
        String.format(
            Locale.ROOT,
            "HtCondorEndToEndIT figures: %d jobs (1-4 cores, 5-30 s): all running %.1f s, all done %.1f s, zero VMs %.1f s;"
                + " second burst of %d: all running %.1f s, all done %.1f s, new VMs %d; VMs booted %d; ghost VM terminated %.1f s",
            BURST, allRunning, allDone, zeroVms, SECOND_BURST, secondRunning, secondDone,
            newVms(vmsBeforeSecond, secondSubmitted), vmsOf(main).size(), ghostGone);
    System.out.println(figures);

    assertThat(allRunning).as("every job of the burst started; %s", figures).isPositive();
    assertThat(allDone).as("every job of the burst finished; %s", figures).isPositive();
    assertThat(secondDone).as("the second burst finished; %s", figures).isPositive();
    assertThat(zeroVms).as("every VM retired and terminated; %s", figures).isPositive();
    for (int c : burst) {
      for (JsonNode h : history(c)) {
        assertThat(h.path("ExitCode").asInt(-1)).as("ExitCode of %s.%s", c, h.path("ProcId")).isZero();
        assertThat(h.path("NumJobStarts").asInt()).as("starts of %s.%s (1: never evicted)", c, h.path("ProcId")).isEqualTo(1);
      }
    }
    assertThat(newVms(vmsBeforeSecond, secondSubmitted)).as("VMs booted for the second burst; %s", figures).isZero();
    for (VmId vm : vmsOf(main)) {
      assertThat(states(vm)).as("states of %s", vm).contains(VmState.RUNNING, VmState.TERMINATED);
    }
    List<VmId> ghosts = vmsOf(ghostGroup);
    assertThat(ghosts).as("VMs of the ghost group").isNotEmpty();
    VmId g = ghosts.get(0);
    assertThat(states(g)).as("states of ghost VM %s", g).doesNotContain(VmState.IDLE, VmState.RUNNING).contains(VmState.TERMINATED);
    assertThat(lifetime(g)).as("life of ghost VM %s: come-alive", g).isGreaterThanOrEqualTo(COME_ALIVE.minusSeconds(5));
    assertThat(localVms()).as("local VMs left").isEmpty();
    assertThat(ads("Csv2InstanceId =?= \"" + instanceId + "\"")).as("ads of this engine's workers left").isEmpty();
  }

  private String config() throws IOException {
    String template;
    try (InputStream in = getClass().getResourceAsStream("/org/csv2/plugin/htcondor/worker-condor.yaml.tmpl")) {
      assertThat(in).as("worker template of csv2-spi-htcondor on the class path").isNotNull();
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path worker = Files.writeString(dir.resolve("worker-condor.yaml.tmpl"), template);
    // the ghost group's workers claim another engine's instance id and run nothing: never registered
    Path ghost =
        Files.writeString(
            dir.resolve("ghost.yaml.tmpl"),
            template.replace("{{instance_id}}", "not-" + instanceId).replace("START = ($(CSV2_GROUP_JOB))", "START = False && ($(CSV2_GROUP_JOB))"));
    String prefix = String.join(", ", env.get("condor.command.prefix").split("\\s+"));
    return String.join(
        "\n",
        "engine:",
        "  instance-id: " + instanceId,
        "timers:",
        "  cycle: 2s",
        "  keep-alive: 10s",
        "  keep-alive-floor: 5s",
        "  come-alive: 60s",
        "  job-alive: 60s",
        "  retire-interval: 20s",
        "groups:",
        "  - name: " + main,
        "    vm-defaults: {image: local}",
        "    user-data:",
        "      - name: worker-condor.yaml",
        "        file: " + worker,
        "    variables:",
        "      condor_host: 127.0.0.1",
        "      condor_token: not-needed-in-the-test-pool",
        "  - name: " + ghostGroup,
        "    vm-defaults: {image: local}",
        "    user-data:",
        "      - name: worker-condor.yaml",
        "        file: " + ghost,
        "    variables:",
        "      condor_host: 127.0.0.1",
        "      condor_token: not-needed-in-the-test-pool",
        "clouds:",
        "  - name: local",
        "    driver: local",
        "    config:",
        "      command-prefix: [" + prefix + "]",
        "      helpers-dir: " + env.get("condor.helpers.dir"),
        "      max-instances: 10",
        "      flavors:",
        "        - {name: c4, cores: 4, ram-mib: 4096}",
        "allocations:",
        "  - {group: " + main + ", cloud: local}",
        "  - {group: " + ghostGroup + ", cloud: local}",
        "job-source:",
        "  driver: htcondor",
        "  config:",
        "    command-prefix: [" + prefix + "]",
        "    pool: " + env.get("condor.collector"),
        "    timeout: 20s",
        "state-store:",
        "  driver: memory",
        "");
  }

  private int submit(int count, int cores, long memoryMb, int seconds, String group) {
    String out =
        TestEnvironment.run(
                env.command("condor.submit.prefix", env.get("condor.helpers.dir") + "/submit-jobs.sh", Integer.toString(count),
                    Integer.toString(cores), Long.toString(memoryMb), Integer.toString(seconds), "-"),
                "+Csv2Group = \"" + group + "\"\n",
                Duration.ofSeconds(60))
            .stdoutOrFail()
            .strip();
    int cluster = Integer.parseInt(out);
    clusters.add(cluster);
    return cluster;
  }

  /** Per cluster: {jobs in the queue, of them idle}. */
  private Map<Integer, int[]> queueCounts(List<Integer> of) {
    Map<Integer, int[]> out = new LinkedHashMap<>();
    if (of.isEmpty()) {
      return out;
    }
    String constraint = "ClusterId >= " + of.get(0) + " && ClusterId <= " + of.get(of.size() - 1);
    for (JsonNode j : parse(condor(null, "condor_q", "-allusers", "-json", "-attributes", "ClusterId,JobStatus", "-constraint", constraint))) {
      int[] c = out.computeIfAbsent(j.path("ClusterId").asInt(), k -> new int[2]);
      c[0]++;
      if (j.path("JobStatus").asInt() == 1) {
        c[1]++;
      }
    }
    return out;
  }

  private List<JsonNode> history(int cluster) {
    List<JsonNode> h =
        parse(condor(null, "condor_history", "-json", "-attributes", "ClusterId,ProcId,ExitCode,NumJobStarts", "-constraint",
            "ClusterId == " + cluster));
    assertThat(h).as("history of cluster %s", cluster).isNotEmpty();
    return h;
  }

  private List<String> localVms() {
    String out =
        condor(
            null,
            "sh",
            "-c",
            "for d in /var/lib/csv2-local/*/; do grep -qF '\"csv2-instance\":\"'\"$1\"'\"' \"$d/tags.json\" 2>/dev/null && basename \"$d\"; done; exit 0",
            "sh",
            instanceId);
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  private List<JsonNode> ads(String constraint) {
    return parse(condor(null, "condor_status", "-any", "-json", "-attributes", "MyType,Name", "-constraint", constraint));
  }

  private List<VmId> vmsOf(String group) {
    return events.entrySet().stream()
        .filter(e -> e.getValue().get(0).group().value().equals(group))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  private Set<VmState> states(VmId vm) {
    Set<VmState> s = EnumSet.noneOf(VmState.class);
    events.getOrDefault(vm, List.of()).forEach(e -> s.add(e.to()));
    return s;
  }

  private boolean reached(VmId vm, VmState state) {
    return states(vm).contains(state);
  }

  private Duration lifetime(VmId vm) {
    List<VmEvent> e = events.get(vm);
    VmEvent end = e.stream().filter(x -> x.to() == VmState.TERMINATED).findFirst().orElseThrow();
    return Duration.between(e.get(0).at(), end.at());
  }

  private long newVms(Set<VmId> before, double secondSubmitted) {
    if (secondSubmitted < 0) {
      return -1;
    }
    return vmsOf(main).stream().filter(vm -> !before.contains(vm)).count();
  }

  private String condor(String stdin, String... args) {
    return TestEnvironment.run(env.command("condor.command.prefix", args), stdin, Duration.ofSeconds(60)).stdoutOrFail();
  }

  private static List<JsonNode> parse(String json) {
    List<JsonNode> out = new ArrayList<>();
    if (json.isBlank()) {
      return out;
    }
    try {
      JSON.readTree(json).forEach(out::add);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
    return out;
  }
}

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
package org.csv2.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.csv2.api.Scheduler;
import org.csv2.core.Csv2Scheduler;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.config.EngineSettings;
import org.csv2.core.config.PluginSelection;
import org.csv2.core.config.Throttles;
import org.csv2.core.sim.SimulatedWorld;
import org.csv2.core.sim.VirtualClock;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.Allocation;
import org.csv2.model.AllocationMode;
import org.csv2.model.Cloud;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.csv2.model.User;
import org.csv2.model.Vm;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmState;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;

/**
 * B5 (BENCHMARKS.md): 200 concurrent clients on loopback read the status and their group's VM lists
 * of a 10,000-VM state while the engine cycles. This JVM holds the server and the real engine
 * ({@link Csv2Scheduler} over the simulated cloud and job source, 4 groups of 2,500 running VMs,
 * a cycle then a one-second pause, over and over, in virtual time); the clients are {@link
 * LoadClients} in a JVM of their own, started by this program. It prints the cycle's wall time
 * before, during and after the load, and the clients' line. Not a test: run it by hand with the
 * module's test class path:
 * {@code java -cp ... org.csv2.server.LoadBenchmark [clients] [perClient] [seconds] [mixed|noetag|healthz] [thinkMs]}.
 */
public final class LoadBenchmark {
  private static final Duration CYCLE = Duration.ofSeconds(10);
  /** Wall time of idle cycles before and after the load (property b5.idleMs). */
  private static final long IDLE_MS = Long.getLong("b5.idleMs", 30_000);
  /** Cycles left out at first: the first ones after the ramp pay for the JIT and the ramp's garbage. */
  private static final long WARM_UP_MS = 15_000;

  private LoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int perClient = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    String mode = args.length > 3 ? args[3] : "mixed";
    int thinkMs = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    List<GroupName> groups = List.of(GroupName.of("g0"), GroupName.of("g1"), GroupName.of("g2"), GroupName.of("g3"));
    VirtualClock clock = new VirtualClock();
    SimulatedWorld sim = new SimulatedWorld(clock, 5);
    InMemoryStateStore store = new InMemoryStateStore(clock);
    for (GroupName g : groups) {
      for (int i = 0; i < 2_500; i++) {
        sim.pool().submit(g, "u", Resources.of(8, 30_000, 100), Duration.ofDays(20), 0);
      }
    }
    Csv2Config cfg = config(groups, 10_000);
    Passwords p = new Passwords(4);
    Path tokenFile = Files.createTempFile("b5-tokens", ".txt");
    StringBuilder tokens = new StringBuilder();
    for (GroupName g : groups) {
      store.saveUser(User.of("user-" + g, p.hash("benchmark-password"), false, Set.of(g)), 0);
      Tokens.Issued t = Tokens.issue("user-" + g, "bench", Instant.now(), null);
      store.saveToken(t.stored());
      tokens.append(g.value()).append(' ').append(t.token()).append('\n');
    }
    Files.writeString(tokenFile, tokens);
    ExecutorService executor = Executors.newCachedThreadPool();
    System.out.printf("load average at the start: %s%n", loadAverage());
    try (Scheduler engine = Csv2Scheduler.builder()
            .config(cfg).clock(clock).executor(executor).random(new Random(3))
            .addCloudDriverProvider(sim.cloudProvider())
            .addJobSourceProvider(sim.jobSourceProvider())
            .addStateStoreProvider(memory(store))
            .build();
        Csv2Server server = Csv2Server.builder().store(store).scheduler(engine).config(cfg).engineClock(clock)
            .port(0).bcryptCost(4).build().start()) {
      long t0 = System.nanoTime();
      int ramp = 0;
      while (running(store) < 10_000 && ramp++ < 100) {
        engine.runOnce();
        clock.advance(CYCLE);
      }
      System.out.printf("the engine: %d VMs RUNNING after %d cycles (%.1f s)%n", running(store), ramp, (System.nanoTime() - t0) / 1e9);
      profile(store, groups.get(0));
      sequential(server.uri(), tokens.toString().lines().findFirst().orElseThrow().split(" ")[1], groups.get(0).value());

      List<double[]> cycles = new ArrayList<>(); // start (ns), end (ns), wall (ms)
      AtomicBoolean stop = new AtomicBoolean();
      Thread cycler = new Thread(() -> {
        while (!stop.get()) {
          long c0 = System.nanoTime();
          engine.runOnce();
          long c1 = System.nanoTime();
          synchronized (cycles) {
            cycles.add(new double[] {c0, c1, (c1 - c0) / 1e6});
          }
          clock.advance(CYCLE);
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "bench-engine");
      long cyclerStart = System.nanoTime();
      cycler.start();
      Thread.sleep(IDLE_MS + WARM_UP_MS); // idle cycles before the load, after the engine's and the JIT's warm-up
      long loadStart = System.nanoTime();
      List<String> command = new ArrayList<>();
      String cpus = System.getProperty("b5.clientCpus"); // e.g. "1": the clients on that core only (taskset)
      if (cpus != null) {
        command.addAll(List.of("taskset", "-c", cpus));
      }
      command.addAll(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-XX:+UseSerialGC",
          "-cp", System.getProperty("java.class.path"), LoadClients.class.getName(),
          server.uri().toString(), tokenFile.toString(), Integer.toString(clients), Integer.toString(perClient),
          Integer.toString(seconds), mode, Integer.toString(thinkMs)));
      Process clientsJvm = new ProcessBuilder(command).inheritIO().start();
      boolean exited = clientsJvm.waitFor(seconds + 120L, TimeUnit.SECONDS);
      long loadEnd = System.nanoTime();
      if (!exited) {
        clientsJvm.destroyForcibly();
      }
      String loadAtEnd = loadAverage();
      Thread.sleep(IDLE_MS); // idle cycles after
      stop.set(true);
      cycler.join();
      List<Double> before = new ArrayList<>();
      List<Double> during = new ArrayList<>();
      List<Double> after = new ArrayList<>();
      synchronized (cycles) {
        for (double[] c : cycles) {
          (c[0] < cyclerStart + WARM_UP_MS * 1e6 ? new ArrayList<Double>() : c[1] <= loadStart ? before : c[0] >= loadStart + 3e9 && c[1] <= loadEnd ? during : c[0] >= loadEnd ? after : new ArrayList<Double>()).add(c[2]);
        }
      }
      double idle = median(concat(before, after));
      double busy = median(during);
      System.out.printf(Locale.ROOT,
          "B5-ENGINE cycle at 10,000 VMs (median ms): before %.0f (%d cycles, after 15 s of warm-up), under load %.0f (%d cycles, from 3 s after the clients start), after %.0f (%d cycles);"
              + " under load vs idle (before+after) %+.0f %%; clients exit %s%n",
          median(before), before.size(), busy, during.size(), median(after), after.size(), (busy / idle - 1) * 100,
          exited ? Integer.toString(clientsJvm.exitValue()) : "KILLED");
      System.out.printf("load average at the end of the load: %s; at the end: %s%n", loadAtEnd, loadAverage());
    } finally {
      executor.shutdownNow();
      Files.deleteIfExists(tokenFile);
    }
  }

  private static long running(InMemoryStateStore store) {
    return store.vms().stream().filter(v -> v.state() == VmState.RUNNING).count();
  }

  private static List<Double> concat(List<Double> a, List<Double> b) {
    List<Double> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(values);
    java.util.Collections.sort(s);
    return s.get(s.size() / 2);
  }

  private static StateStoreProvider memory(InMemoryStateStore store) {
    return new StateStoreProvider() {
      @Override
      public String name() {
        return "memory";
      }

      @Override
      public StateStore create(PluginConfig config, PluginContext context) {
        return store;
      }
    };
  }

  /** One simulated cloud large enough for every group's 2,500 eight-core VMs, throttles open. */
  private static Csv2Config config(List<GroupName> groups, int vms) {
    Map<String, Object> cloud = Map.of(
        "quota", Map.of("cores", vms * 8 + 8, "instances", vms + 1),
        "boot-delay", Map.of("min", "20s", "max", "60s"),
        "seed", 11);
    List<CloudConfig> clouds = List.of(new CloudConfig(new Cloud(CloudName.of("farm"), "simulated", true),
        new PluginSelection("simulated", cloud, "clouds[0].config")));
    List<Allocation> allocations = new ArrayList<>();
    for (GroupName g : groups) {
      allocations.add(new Allocation(g, CloudName.of("farm"), 0, Limits.UNLIMITED, Limits.UNLIMITED, Limits.UNLIMITED,
          AllocationMode.PREFERRED, Set.of(), VmDefaults.NONE, List.of(), true));
    }
    EngineSettings d = EngineSettings.defaults("b5");
    EngineSettings settings = new EngineSettings("b5", "default", d.flavorPolicy(), d.timers(), new Throttles(500, vms, vms, 0.1, 0),
        Duration.ofSeconds(60), 3, Duration.ofSeconds(60), Duration.ofSeconds(60));
    return new Csv2Config(
        settings,
        groups.stream().map(g -> new Group(g, Group.DEFAULT_JOB, new VmDefaults("centos7", FlavorName.of("c8-32gb"), null, null, null, null),
            List.of(), List.of(), 1.0, Map.of())).toList(),
        clouds, allocations, List.of(),
        new PluginSelection("simulated", Map.of("register-delay", "20s"), "job-source.config"),
        new PluginSelection("memory", Map.of(), "state-store.config"));
  }

  /**
   * What one VM-list answer costs in the process, without HTTP: the scan of the 10,000 VMs for a
   * member's group, the views, and the JSON (medians of 30 runs after 10 to warm up).
   */
  private static void profile(InMemoryStateStore store, GroupName group) throws Exception {
    World world = new World(store, null, null, Clock.systemUTC());
    Principal member = new Principal(User.of("user-" + group, "x", false, Set.of(group)), null);
    long[] scan = new long[30];
    long[] views = new long[30];
    long[] json = new long[30];
    long[] pageJson = new long[30];
    int bytes = 0;
    int pageBytes = 0;
    for (int i = -10; i < 30; i++) {
      long t0 = System.nanoTime();
      List<Vm> mine = world.vms(member, vm -> vm.group().equals(group) && vm.state() != VmState.TERMINATED);
      long t1 = System.nanoTime();
      List<Views.VmView> shown = mine.stream().map(Views.VmView::of).toList();
      long t2 = System.nanoTime();
      byte[] body = Http.JSON.writeValueAsBytes(shown);
      long t3 = System.nanoTime();
      byte[] page = Http.JSON.writeValueAsBytes(shown.subList(0, Math.min(Api.DEFAULT_LIMIT, shown.size())));
      long t4 = System.nanoTime();
      if (i >= 0) {
        scan[i] = t1 - t0;
        views[i] = t2 - t1;
        json[i] = t3 - t2;
        pageJson[i] = t4 - t3;
        bytes = body.length;
        pageBytes = page.length;
      }
    }
    java.util.Arrays.sort(scan);
    java.util.Arrays.sort(views);
    java.util.Arrays.sort(json);
    java.util.Arrays.sort(pageJson);
    System.out.printf("one VM list in the process (2,500 of 10,000 VMs, %d bytes): scan %.1f ms, views %.1f ms, JSON %.1f ms (medians)%n",
        bytes, scan[15] / 1e6, views[15] / 1e6, json[15] / 1e6);
    System.out.printf("the first page the clients read (GET /api/v1/vms?group=G: %d VMs, %d bytes): JSON %.1f ms, written once per shared answer (median)%n",
        Api.DEFAULT_LIMIT, pageBytes, pageJson[15] / 1e6);
  }

  /** One client alone, request after request: what HTTP and the one-second shared answers add. */
  private static void sequential(URI base, String token, String group) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (String path : List.of("api/v1/status", "api/v1/vms?group=" + group, "healthz")) {
      long[] l = new long[40];
      for (int i = -10; i < 40; i++) {
        long t0 = System.nanoTime();
        http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (i >= 0) {
          l[i] = System.nanoTime() - t0;
        }
      }
      java.util.Arrays.sort(l);
      System.out.printf("one client alone, GET /%s: p50 %.1f ms, max %.1f ms%n", path, pct(l, 0.5), l[l.length - 1] / 1e6);
    }
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }
}

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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.GroupName;
import org.csv2.model.Sample;
import org.csv2.model.User;
import org.csv2.model.Vm;
import org.csv2.model.VmState;
import org.csv2.spi.StoreChanges;

/**
 * B5 (BENCHMARKS.md): 200 concurrent clients on loopback read the status and their group's VM list
 * of a 10,000-VM state while a writer commits a cycle's worth of VM updates every second. Bounded
 * in count (requests per client) and time. The VM list is paged: a client reads its first page
 * (500 VMs of its group's 2,500, as a page or the command line reads one at a time). Not a test: run it by hand with the module's test class
 * path: {@code java -cp ... org.csv2.server.LoadBenchmark [clients] [requestsPerClient] [healthz]}.
 */
public final class LoadBenchmark {
  private LoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int perClient = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    // "healthz": every client reads /healthz only (a floor: what 200 clients cost without any answer to compute)
    boolean floor = args.length > 2 && args[2].equals("healthz");
    InMemoryStateStore store = new InMemoryStateStore(Clock.systemUTC());
    List<GroupName> groups = List.of(GroupName.of("g0"), GroupName.of("g1"), GroupName.of("g2"), GroupName.of("g3"));
    Instant now = Instant.now();
    List<Vm> vms = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      GroupName g = groups.get(i % 4);
      vms.add(Fixture.vm(g, "cloud-" + (i % 8), i, i % 3 == 0 ? VmState.IDLE : VmState.RUNNING, now));
    }
    List<Sample> samples = new ArrayList<>();
    for (GroupName g : groups) {
      samples.add(new Sample(now, "jobs.idle", Map.of("group", g.value()), 100));
      samples.add(new Sample(now, "jobs.running", Map.of("group", g.value()), 2000));
    }
    samples.add(new Sample(now, "plan.time.ms", Map.of(), 5));
    store.commit(new StoreChanges(vms, List.of(), List.of(), List.of(), samples, List.of()));
    Passwords p = new Passwords(4);
    for (GroupName g : groups) {
      store.saveUser(User.of("user-" + g, p.hash("benchmark-password"), false, Set.of(g)), 0);
    }
    List<String> tokens = new ArrayList<>();
    for (GroupName g : groups) {
      Tokens.Issued t = Tokens.issue("user-" + g, "bench", now, null);
      store.saveToken(t.stored());
      tokens.add(t.token());
    }
    System.out.printf("load average at the start: %s%n", loadAverage());
    profile(store, groups.get(0));
    try (Csv2Server server = Csv2Server.builder().store(store).port(0).bcryptCost(4).build().start()) {
      URI base = server.uri();
      sequential(base, tokens.get(0), groups.get(0).value());
      double idleCycle = cycles(store, 10);
      AtomicBoolean stop = new AtomicBoolean();
      ConcurrentLinkedQueue<Double> busyCycles = new ConcurrentLinkedQueue<>();
      Thread writer = new Thread(() -> {
        while (!stop.get()) {
          busyCycles.add(cycles(store, 1));
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "bench-writer");
      writer.start();
      ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
      AtomicInteger errors = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      CountDownLatch go = new CountDownLatch(1);
      long start = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        String token = tokens.get(c % 4);
        String group = groups.get(c % 4).value();
        pool.submit(() -> {
          HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
          go.await();
          for (int i = 0; i < perClient; i++) {
            String path = floor ? "healthz" : i % 2 == 0 ? "api/v1/status" : "api/v1/vms?group=" + group;
            long t0 = System.nanoTime();
            try {
              HttpResponse<byte[]> r = http.send(
                  HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
              if (r.statusCode() != 200) {
                errors.incrementAndGet();
              }
            } catch (Exception e) {
              errors.incrementAndGet();
            }
            latencies.add(System.nanoTime() - t0);
          }
          return null;
        });
      }
      go.countDown();
      pool.shutdown();
      boolean finished = pool.awaitTermination(300, TimeUnit.SECONDS);
      double wall = (System.nanoTime() - start) / 1e9;
      stop.set(true);
      writer.join();
      long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      double busy = busyCycles.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      System.out.printf(
          "B5: %d clients x %d requests (%s), %d done in %.1f s (%.0f req/s), errors %d%n"
              + "latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n"
              + "writer cycle (commit of 2,500 VM updates + reads): idle %.1f ms, under load %.1f ms (%+.0f %%)%n",
          clients, perClient, finished ? "all finished" : "STOPPED at 300 s", l.length, wall, l.length / wall, errors.get(),
          pct(l, 0.50), pct(l, 0.99), l.length == 0 ? 0 : l[l.length - 1] / 1e6, idleCycle, busy, (busy / idleCycle - 1) * 100);
      System.out.printf("load average at the end: %s%n", loadAverage());
    }
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

  /** Mean time of a cycle's store work: read every VM, commit updates to a quarter of them. */
  private static double cycles(InMemoryStateStore store, int n) {
    long total = 0;
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      List<Vm> all = store.vms();
      List<Vm> updates = new ArrayList<>();
      for (int k = 0; k < all.size(); k += 4) {
        Vm v = all.get(k);
        updates.add(v.toBuilder().retireAttempts(v.retireAttempts() + 1).build());
      }
      store.commit(new StoreChanges(List.of(), updates, List.of(), List.of(), List.of(), List.of()));
      total += System.nanoTime() - t0;
    }
    return total / 1e6 / n;
  }

  private static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }
}

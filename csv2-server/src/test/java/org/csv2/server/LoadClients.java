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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The clients of B5 (BENCHMARKS.md), in their own JVM so that they do not share the server's: {@link
 * LoadBenchmark} starts this program against its server. Each client is a thread with its own
 * connection that asks one request after another (after an optional think time), for at most
 * {@code perClient} requests and at most {@code seconds}:
 *
 * <ul>
 *   <li>three clients in four are status pages: {@code /api/v1/status} and the first page of their
 *       group's {@code /api/v1/vms?group=G} alternately;
 *   <li>one in four is the command line listing its group's VMs: every page of the list, following
 *       {@code Link: rel="next"}, then again;
 *   <li>every client keeps the ETag it last got for each URL and sends it as {@code If-None-Match}
 *       (mode {@code mixed}); mode {@code noetag} sends none; mode {@code healthz} reads only
 *       {@code /healthz} (the floor).
 * </ul>
 *
 * <p>Arguments: {@code baseUrl tokenFile clients perClient seconds mode thinkMs}; the token file
 * holds one line {@code group token} per group. Prints one {@code B5-CLIENTS} line. Not a test.
 */
public final class LoadClients {
  private LoadClients() {}

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    List<String[]> members = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[1]))) {
      if (!line.isBlank()) {
        members.add(line.trim().split(" ", 2));
      }
    }
    int clients = Integer.parseInt(args[2]);
    int perClient = Integer.parseInt(args[3]);
    long seconds = Long.parseLong(args[4]);
    String mode = args[5];
    long thinkMs = Long.parseLong(args[6]);
    boolean etags = mode.equals("mixed");
    boolean floor = mode.equals("healthz");

    // a few clients share one HttpClient (its selector thread), each with a connection of its own
    List<HttpClient> https = new ArrayList<>();
    for (int i = 0; i < Math.max(1, clients / 50); i++) {
      https.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build());
    }
    warmUp(https.get(0), base, members.get(0));

    long[][] latencies = new long[clients][];
    int[] counts = new int[clients];
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger notModified = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger listsRead = new AtomicInteger();
    java.util.concurrent.ConcurrentLinkedQueue<Long> full = new java.util.concurrent.ConcurrentLinkedQueue<>();
    java.util.concurrent.ConcurrentLinkedQueue<Long> unchanged = new java.util.concurrent.ConcurrentLinkedQueue<>();
    Map<String, AtomicInteger> errorKinds = new java.util.concurrent.ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
    for (int c = 0; c < clients; c++) {
      int me = c;
      String group = members.get(c % members.size())[0];
      String token = members.get(c % members.size())[1];
      HttpClient http = https.get(c % https.size());
      boolean cli = c % 4 == 3;
      pool.submit(() -> {
        long[] mine = new long[perClient];
        int n = 0;
        Map<String, String> lastEtag = new HashMap<>();
        String firstPage = "api/v1/vms?group=" + group;
        String next = null; // the command line's next page, or null to start a list again
        go.await();
        while (n < perClient && System.nanoTime() < deadline) {
          String path;
          if (floor) {
            path = "healthz";
          } else if (cli) {
            path = next == null ? firstPage : next;
          } else {
            path = n % 2 == 0 ? "api/v1/status" : firstPage;
          }
          HttpRequest.Builder rq = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
          if (!floor) {
            rq.header("Authorization", "Bearer " + token);
          }
          String tag = lastEtag.get(path);
          if (etags && tag != null) {
            rq.header("If-None-Match", tag);
          }
          long t0 = System.nanoTime();
          try {
            HttpResponse<byte[]> r = http.send(rq.build(), HttpResponse.BodyHandlers.ofByteArray());
            mine[n] = System.nanoTime() - t0;
            if (r.statusCode() == 200) {
              ok.incrementAndGet();
              full.add(mine[n]);
              r.headers().firstValue("ETag").ifPresent(e -> lastEtag.put(path, e));
            } else if (r.statusCode() == 304 && etags) {
              notModified.incrementAndGet();
              unchanged.add(mine[n]);
            } else {
              errors.incrementAndGet();
              errorKinds.computeIfAbsent("HTTP " + r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
            }
            if (cli) {
              next = nextOf(r.headers().firstValue("Link").orElse(null));
              if (next == null && !floor) {
                listsRead.incrementAndGet();
              }
            }
          } catch (Exception e) {
            mine[n] = System.nanoTime() - t0;
            errors.incrementAndGet();
            errorKinds.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
            next = null;
          }
          n++;
          if (thinkMs > 0) {
            Thread.sleep(thinkMs);
          }
        }
        latencies[me] = mine;
        counts[me] = n;
        return null;
      });
    }
    go.countDown();
    pool.shutdown();
    boolean finished = pool.awaitTermination(seconds + 60, TimeUnit.SECONDS);
    double wall = (System.nanoTime() - start) / 1e9;
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int k = 0;
    for (int c = 0; c < clients; c++) {
      if (latencies[c] != null) {
        System.arraycopy(latencies[c], 0, all, k, counts[c]);
        k += counts[c];
      }
    }
    Arrays.sort(all, 0, k);
    long[] l = Arrays.copyOf(all, k);
    System.out.printf(Locale.ROOT,
        "B5-CLIENTS mode %s, think %d ms: %d clients, %d requests in %.1f s (%.0f req/s)%s: 200 %d, 304 %d, errors %d %s; "
            + "whole lists read by the CLI clients %d; latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        mode, thinkMs, clients, k, wall, k / wall, finished ? "" : " (STOPPED)", ok.get(), notModified.get(), errors.get(), errorKinds,
        listsRead.get(), pct(l, 0.50), pct(l, 0.90), pct(l, 0.99), l.length == 0 ? 0 : l[l.length - 1] / 1e6);
    long[] f = full.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] u = unchanged.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(Locale.ROOT, "B5-CLIENTS by answer: 200 p50 %.1f ms, p99 %.1f ms; 304 p50 %.1f ms, p99 %.1f ms%n",
        pct(f, 0.5), pct(f, 0.99), pct(u, 0.5), pct(u, 0.99));
    System.exit(finished ? 0 : 1);
  }

  /** A few requests before the clock starts, so that the first measured ones do not pay for this JVM's start. */
  private static void warmUp(HttpClient http, URI base, String[] member) throws Exception {
    for (int i = 0; i < 30; i++) {
      for (String path : List.of("api/v1/status", "api/v1/vms?group=" + member[0], "healthz")) {
        http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + member[1]).build(),
            HttpResponse.BodyHandlers.ofByteArray());
      }
    }
  }

  /** The path of a {@code Link} header's {@code rel="next"} target, or null. */
  static String nextOf(String link) {
    if (link == null) {
      return null;
    }
    int lt = link.indexOf('<');
    int gt = link.indexOf('>');
    if (lt < 0 || gt < lt || !link.substring(gt).contains("rel=\"next\"")) {
      return null;
    }
    String target = link.substring(lt + 1, gt);
    return target.startsWith("/") ? target.substring(1) : target;
  }

  private static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }
}

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
package org.csv2.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.csv2.api.CloudException;
import org.csv2.model.Instance;
import org.csv2.model.VmId;
import org.jspecify.annotations.Nullable;

/**
 * Boots the VMs of one {@link CloudDriver#boot} request with one cloud call per VM, several at a
 * time, for drivers whose cloud names and tags each instance in its own call (so that every
 * instance is identifiable the moment it is accepted).
 *
 * <p>The first VM goes alone: a request the cloud refuses (quota, image, credentials) fails there,
 * with its exception, before a burst of equal refusals. The others go to the driver's pool (whose
 * size bounds the calls in flight). Once one of them fails (a quota that ran out mid-burst, a rate
 * limit), no further call is sent; the instances accepted are returned, in the order of the names,
 * and the engine treats the missing names as not booted.
 *
 * <p><b>Thread safety:</b> stateless; {@code bootOne} is called from the pool's threads.
 */
public final class BootBurst {
  private BootBurst() {}

  /**
   * A driver's pool for {@link #run}, made on first use: {@code concurrency} daemon threads named
   * after the cloud; none (calls in the calling thread, one after the other) for a concurrency of
   * 1. The driver closes it in {@link CloudDriver#close()}.
   *
   * <p><b>Thread safety:</b> safe.
   */
  public static final class Pool implements AutoCloseable {
    private final int concurrency;
    private final String cloud;
    private @Nullable ExecutorService executor;
    private boolean closed;

    /**
     * Creates the pool; no thread is started yet.
     *
     * @param concurrency the most calls in flight (1: one after the other)
     * @param cloud the cloud's name, for the threads' names
     */
    public Pool(int concurrency, String cloud) {
      this.concurrency = concurrency;
      this.cloud = cloud;
    }

    /**
     * The executor, made on first use.
     *
     * @return the executor, or null to run in the calling thread
     */
    public synchronized @Nullable ExecutorService get() {
      if (concurrency <= 1 || closed) {
        return null;
      }
      if (executor == null) {
        executor = Executors.newFixedThreadPool(concurrency, r -> {
          Thread t = new Thread(r, "csv2-boot-" + cloud);
          t.setDaemon(true);
          return t;
        });
      }
      return executor;
    }

    @Override
    public synchronized void close() {
      closed = true;
      if (executor != null) {
        executor.shutdownNow();
      }
    }
  }

  /**
   * Boots every VM of several requests, each with the request that names it ({@link #run} over
   * the union of their names, in order, each name once).
   *
   * @param requests the requests, at least one
   * @param pool runs the calls after the first; null runs them in the calling thread
   * @param bootOne boots one VM of a request, throwing {@link CloudException} on failure
   * @param warn told once, of the first failure after the first VM
   * @return the instances accepted, never empty
   * @throws CloudException if the first VM fails
   */
  public static List<Instance> runEach(
      List<org.csv2.model.BootRequest> requests,
      @Nullable ExecutorService pool,
      java.util.function.BiFunction<org.csv2.model.BootRequest, VmId, Instance> bootOne,
      java.util.function.Consumer<String> warn) {
    List<VmId> names = new ArrayList<>();
    java.util.Map<VmId, org.csv2.model.BootRequest> requestOf = new java.util.HashMap<>();
    for (org.csv2.model.BootRequest r : requests) {
      for (VmId n : r.names()) {
        if (requestOf.putIfAbsent(n, r) == null) {
          names.add(n);
        }
      }
    }
    List<Instance> booted = run(names, pool, n -> bootOne.apply(requestOf.get(n), n), warn);
    if (booted.size() < names.size()) {
      warn.accept(booted.size() + " of " + names.size() + " VMs booted; the rest failed or were not sent");
    }
    return booted;
  }

  /**
   * Boots every name.
   *
   * @param names the VMs' names, at least one
   * @param pool runs the calls after the first (its size bounds the calls in flight); null runs
   *     them in the calling thread, one after the other
   * @param bootOne boots one VM, throwing {@link CloudException} on failure
   * @param warn told once, of the first failure after the first VM
   * @return the instances accepted, never empty
   * @throws CloudException if the first VM fails
   */
  public static List<Instance> run(
      List<VmId> names, @Nullable ExecutorService pool, Function<VmId, Instance> bootOne,
      java.util.function.Consumer<String> warn) {
    List<Instance> booted = new ArrayList<>();
    booted.add(bootOne.apply(names.get(0)));
    if (pool == null) {
      for (VmId name : names.subList(1, names.size())) {
        try {
          booted.add(bootOne.apply(name));
        } catch (CloudException e) {
          warn.accept("boot of " + name + " failed; no further VM of this request is sent: " + e.getMessage());
          break;
        }
      }
      return List.copyOf(booted);
    }
    AtomicBoolean failed = new AtomicBoolean();
    List<Future<@Nullable Instance>> pending = new ArrayList<>();
    for (VmId name : names.subList(1, names.size())) {
      pending.add(pool.submit(() -> {
        if (failed.get()) {
          return null;
        }
        try {
          return bootOne.apply(name);
        } catch (CloudException e) {
          if (failed.compareAndSet(false, true)) {
            warn.accept("boot of " + name + " failed; no further VM of this request is sent: " + e.getMessage());
          }
          return null;
        }
      }));
    }
    boolean interrupted = false;
    for (Future<@Nullable Instance> f : pending) {
      try {
        Instance i = f.get();
        if (i != null) {
          booted.add(i);
        }
      } catch (InterruptedException e) {
        interrupted = true;
        failed.set(true);
      } catch (ExecutionException e) {
        if (failed.compareAndSet(false, true)) {
          warn.accept("a boot failed unexpectedly; no further VM of this request is sent: " + e.getCause());
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return List.copyOf(booted);
  }
}

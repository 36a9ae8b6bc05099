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
import java.util.function.Function;
import org.csv2.api.CloudException;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.VmId;
import org.jspecify.annotations.Nullable;

/**
 * Boots the VMs of one {@link CloudDriver#boot} request with one cloud call per VM, several at a
 * time, for drivers whose cloud names and tags each instance in its own call (so that every
 * instance is identifiable the moment it is accepted); and, in general ({@link #each}), makes any
 * one-item-per-call verb several at a time, such as the deletes of {@link
 * CloudDriver#terminateEach}.
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
   * A driver's pool for {@link #run} and {@link #each}, made on first use: {@code concurrency} daemon threads named
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
          Thread t = new Thread(r, "csv2-burst-" + cloud);
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
    boolean warned = false;
    for (Outcome<VmId, Instance> o : each(names.subList(1, names.size()), pool, bootOne, e -> true)) {
      if (o.result() != null) {
        booted.add(o.result());
      } else if (o.sent() && o.failure() != null && !warned) {
        warned = true;
        warn.accept("boot of " + o.item() + " failed; no further VM of this request is sent: " + o.failure().getMessage());
      }
    }
    return List.copyOf(booted);
  }

  /**
   * What one call of {@link #each} came to: its result, or why it failed.
   *
   * @param <T> what the call was made for
   * @param <R> its result
   * @param item what the call was made for
   * @param result the call's result; null when it failed (or returned null)
   * @param failure why it failed; null when it succeeded
   * @param sent whether the call was made at all (false: left out after a failure that stopped the
   *     others; {@code failure} then says which)
   */
  public record Outcome<T, R>(T item, @Nullable R result, @Nullable CloudException failure, boolean sent) {
    /**
     * Whether the call succeeded.
     *
     * @return true without a failure
     */
    public boolean ok() {
      return failure == null;
    }
  }

  /**
   * Makes one call per item, the pool's size at a time, and tells each item's outcome: the general
   * form of a burst, for any verb a cloud takes one item per call (boots after the first, deletes).
   * One failure never hides another call's success. Once a failure satisfies {@code stop} (a cloud
   * that is down, a quota that ran out), the calls not yet started are not sent: their outcome
   * carries a {@link CloudException} of the same reason saying so; the calls in flight finish.
   *
   * <p>A {@link RuntimeException} other than {@link CloudException} from {@code call} (a bug) is a
   * failure with reason {@code UNAVAILABLE} naming it.
   *
   * @param <T> the item type
   * @param <R> the result type
   * @param items the items, each called once, in this order (the calls overlap)
   * @param pool runs the calls (its size bounds the calls in flight); null runs them in the
   *     calling thread, one after the other
   * @param call the call for one item
   * @param stop whether a failure stops the calls not yet sent
   * @return one outcome per item, in the order of {@code items}
   */
  public static <T, R> List<Outcome<T, R>> each(
      List<T> items, @Nullable ExecutorService pool, Function<T, R> call,
      java.util.function.Predicate<CloudException> stop) {
    java.util.concurrent.atomic.AtomicReference<@Nullable CloudException> stopped =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.function.Function<T, Outcome<T, R>> one = item -> {
      CloudException cause = stopped.get();
      if (cause != null) {
        return new Outcome<>(item, null, notSent(cause), false);
      }
      try {
        return new Outcome<>(item, call.apply(item), null, true);
      } catch (RuntimeException e) {
        CloudException failure = e instanceof CloudException c
            ? c
            : new CloudException(CloudException.Reason.UNAVAILABLE, "call for " + item + " failed unexpectedly: " + e, e);
        if (stop.test(failure)) {
          stopped.compareAndSet(null, failure);
        }
        return new Outcome<>(item, null, failure, true);
      }
    };
    List<Outcome<T, R>> out = new ArrayList<>(items.size());
    if (pool == null) {
      for (T item : items) {
        out.add(one.apply(item));
      }
      return List.copyOf(out);
    }
    List<Future<Outcome<T, R>>> pending = new ArrayList<>(items.size());
    for (T item : items) {
      pending.add(pool.submit(() -> one.apply(item)));
    }
    boolean interrupted = false;
    for (int i = 0; i < pending.size(); i++) {
      T item = items.get(i);
      while (true) {
        try {
          out.add(pending.get(i).get());
          break;
        } catch (InterruptedException e) {
          // no new call starts; the ones in flight are waited for, so that every outcome is known
          interrupted = true;
          stopped.compareAndSet(null, new CloudException(CloudException.Reason.UNAVAILABLE, "interrupted"));
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
          Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
          out.add(new Outcome<>(item, null,
              new CloudException(CloudException.Reason.UNAVAILABLE, "call for " + item + " failed unexpectedly: " + cause, cause),
              true));
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return List.copyOf(out);
  }

  /**
   * Deletes instances with one call each, the pool's size at a time ({@link #each}, stopped by
   * {@link #cloudDown}): the body of {@link CloudDriver#terminateEach} for a cloud that deletes one
   * instance per request.
   *
   * @param ids the instances
   * @param pool runs the calls; null runs them in the calling thread, one after the other
   * @param terminate deletes one instance (idempotently), throwing {@link CloudException} on failure
   * @return the instances not terminated, each with why, in the order of {@code ids}
   */
  public static java.util.Map<InstanceId, CloudException> terminateEach(
      List<InstanceId> ids, @Nullable ExecutorService pool, java.util.function.Consumer<InstanceId> terminate) {
    java.util.Map<InstanceId, CloudException> failed = new java.util.LinkedHashMap<>();
    for (Outcome<InstanceId, InstanceId> o : each(ids, pool, id -> {
          terminate.accept(id);
          return id;
        }, BootBurst::cloudDown)) {
      if (o.failure() != null) {
        failed.put(o.item(), o.failure());
      }
    }
    return failed;
  }

  /**
   * Whether a failure says the cloud cannot be talked to at all ({@code UNAVAILABLE}, {@code
   * AUTHENTICATION}), as opposed to a refusal of one item: the {@code stop} of {@link #each} for
   * verbs whose items fail independently (deletes).
   *
   * @param e the failure
   * @return true when the calls not yet sent would fail alike
   */
  public static boolean cloudDown(CloudException e) {
    return e.reason() == CloudException.Reason.UNAVAILABLE || e.reason() == CloudException.Reason.AUTHENTICATION;
  }

  private static CloudException notSent(CloudException cause) {
    return new CloudException(cause.reason(), "not sent after an earlier failure: " + cause.getMessage(), cause);
  }
}

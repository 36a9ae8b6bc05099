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

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Makes the calls to one plugin instance (a cloud driver or the job source) one at a time, each on
 * the engine's executor with a deadline. A call that misses its deadline is abandoned (its thread
 * is interrupted) and reported as a failure of the plugin; until the abandoned call has really
 * returned, the guard refuses new calls, so the plugin never sees two calls at once.
 *
 * <p>The deadline is real time (a plugin call is real I/O even when the engine runs in virtual
 * time); it is the one place besides the scheduler's loop where the engine reads the wall clock.
 *
 * <p><b>Thread safety:</b> {@link #start} is called from the cycle thread; the guard is safe to
 * use from any thread.
 */
public final class CallGuard {
  private static final int QUEUED = 0;
  private static final int RUNNING = 1;
  private static final int DONE = 2;

  private final String target;
  private final ExecutorService executor;
  private final Duration timeout;
  private final LongSupplier nanoTime;
  private final Function<String, RuntimeException> failure;
  private final AtomicBoolean busy = new AtomicBoolean();

  /**
   * Creates a guard.
   *
   * @param target what is called, for messages ({@code cloud arbutus})
   * @param executor where calls run
   * @param timeout each call's deadline
   * @param nanoTime the monotonic time source of deadlines
   * @param failure makes the plugin's "unavailable" exception from a message
   */
  public CallGuard(
      String target,
      ExecutorService executor,
      Duration timeout,
      LongSupplier nanoTime,
      Function<String, RuntimeException> failure) {
    this.target = Objects.requireNonNull(target, "target");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  /** Told of every call that ran: its verb (without arguments), outcome and duration. */
  @FunctionalInterface
  public interface Observer {
    /**
     * A call ended.
     *
     * @param verb the verb without its arguments ({@code terminate})
     * @param outcome {@code ok}, {@code timeout}, the lower-case reason of a csv2 exception, or
     *     {@code error}
     * @param nanos how long it took (the deadline, for a timeout)
     */
    void called(String verb, String outcome, long nanos);
  }

  private volatile Observer observer = (verb, outcome, nanos) -> {};

  /**
   * Sets who is told of each call (metrics).
   *
   * @param o the observer; its failures are ignored
   */
  public void observe(Observer o) {
    this.observer = Objects.requireNonNull(o, "observer");
  }

  private void observed(String verb, String outcome, long nanos, AtomicBoolean reported) {
    if (!reported.compareAndSet(false, true)) {
      return;
    }
    int paren = verb.indexOf('(');
    try {
      observer.called(paren < 0 ? verb : verb.substring(0, paren), outcome, nanos);
    } catch (RuntimeException e) {
      // metrics never fail a call
    }
  }

  private static String outcome(Throwable e) {
    if (e instanceof org.csv2.api.CloudException c) {
      return c.reason().name().toLowerCase(java.util.Locale.ROOT);
    }
    if (e instanceof org.csv2.api.JobSourceException j) {
      return j.reason().name().toLowerCase(java.util.Locale.ROOT);
    }
    return "error";
  }

  /**
   * Starts a call; {@link Pending#await()} gets its result.
   *
   * @param <T> the result type
   * @param verb the verb, for messages ({@code instances()})
   * @param call the call
   * @return the pending call (already failed if an earlier call is still running)
   */
  public <T> Pending<T> start(String verb, Callable<T> call) {
    long deadline = nanoTime.getAsLong() + timeout.toNanos();
    if (!busy.compareAndSet(false, true)) {
      return new Pending<>(
          verb,
          CompletableFuture.failedFuture(
              failure.apply(
                  target
                      + ": "
                      + verb
                      + " not sent: an earlier call that missed its deadline is still running")),
          deadline,
          new AtomicInteger(DONE));
    }
    AtomicInteger phase = new AtomicInteger(QUEUED);
    AtomicBoolean reported = new AtomicBoolean();
    try {
      Future<T> future =
          executor.submit(
              () -> {
                if (!phase.compareAndSet(QUEUED, RUNNING)) {
                  throw failure.apply(target + ": " + verb + " abandoned before it started");
                }
                long t0 = nanoTime.getAsLong();
                try {
                  T value = call.call();
                  observed(verb, "ok", nanoTime.getAsLong() - t0, reported);
                  return value;
                } catch (Exception e) {
                  observed(verb, outcome(e), nanoTime.getAsLong() - t0, reported);
                  throw e;
                } finally {
                  phase.set(DONE);
                  busy.set(false);
                }
              });
      return new Pending<>(verb, future, deadline, phase, reported);
    } catch (RejectedExecutionException e) {
      busy.set(false);
      return new Pending<>(
          verb,
          CompletableFuture.failedFuture(
              failure.apply(target + ": " + verb + " not sent: the engine's executor is shut down")),
          deadline,
          new AtomicInteger(DONE));
    }
  }

  /**
   * Starts a call and waits for it.
   *
   * @param <T> the result type
   * @param verb the verb
   * @param call the call
   * @return the result
   */
  public <T> T call(String verb, Callable<T> call) {
    return start(verb, call).await();
  }

  /**
   * A call under way.
   *
   * @param <T> its result type
   */
  public final class Pending<T> {
    private final String verb;
    private final Future<T> future;
    private final long deadline;
    private final AtomicInteger phase;
    private final AtomicBoolean reported;

    private Pending(String verb, Future<T> future, long deadline, AtomicInteger phase) {
      this(verb, future, deadline, phase, new AtomicBoolean(true)); // never ran: nothing to report
    }

    private Pending(String verb, Future<T> future, long deadline, AtomicInteger phase, AtomicBoolean reported) {
      this.verb = verb;
      this.future = future;
      this.deadline = deadline;
      this.phase = phase;
      this.reported = reported;
    }

    /**
     * Waits for the result until the call's deadline.
     *
     * @return the result
     * @throws RuntimeException the plugin's exception, or the guard's "unavailable" exception on a
     *     missed deadline
     */
    public T await() {
      try {
        return future.get(Math.max(0, deadline - nanoTime.getAsLong()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        observed(verb, "timeout", timeout.toNanos(), reported);
        abandon();
        throw failure.apply(target + ": " + verb + " did not answer within " + timeout);
      } catch (InterruptedException e) {
        abandon();
        Thread.currentThread().interrupt();
        throw failure.apply(target + ": interrupted while waiting for " + verb);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        RuntimeException wrapped = failure.apply(target + ": " + verb + " failed: " + cause);
        wrapped.initCause(cause);
        throw wrapped;
      }
    }

    private void abandon() {
      if (phase.compareAndSet(QUEUED, DONE)) {
        busy.set(false);
      }
      future.cancel(true);
    }
  }
}

package org.csv2.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
   * A pool for {@link #run}: {@code concurrency} daemon threads named after the cloud, or, for a
   * concurrency of 1, an executor that runs each call in the calling thread (one after the other).
   * The driver shuts it down in {@link CloudDriver#close()}.
   *
   * @param concurrency the most calls in flight (at least 1)
   * @param cloud the cloud's name, for the threads' names
   * @return the pool
   */
  public static ExecutorService pool(int concurrency, String cloud) {
    if (concurrency <= 1) {
      return new CallerRuns();
    }
    return Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, "csv2-boot-" + cloud);
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs each task in the submitting thread. */
  private static final class CallerRuns extends AbstractExecutorService {
    private volatile boolean shutdown;

    @Override
    public void execute(Runnable command) {
      command.run();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }

  /**
   * Boots every name.
   *
   * @param names the VMs' names, at least one
   * @param pool runs the calls after the first; its size bounds the calls in flight
   * @param bootOne boots one VM, throwing {@link CloudException} on failure
   * @param warn told once, of the first failure after the first VM
   * @return the instances accepted, never empty
   * @throws CloudException if the first VM fails
   */
  public static List<Instance> run(
      List<VmId> names, ExecutorService pool, Function<VmId, Instance> bootOne, java.util.function.Consumer<String> warn) {
    List<Instance> booted = new ArrayList<>();
    booted.add(bootOne.apply(names.get(0)));
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

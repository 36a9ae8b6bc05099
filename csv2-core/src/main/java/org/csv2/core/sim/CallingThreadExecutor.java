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

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An executor that runs every task at once on the thread that submits it, for simulations whose
 * plugins are in memory ({@link SimulatedWorld}'s clouds and job source): given to {@code
 * Csv2Scheduler.builder().executor(..)}, it spares every plugin call the hand-over to another
 * thread, which in a replay of a hundred thousand cycles costs more than the calls themselves.
 *
 * <p>The price: a call runs to its end, so the engine's per-call deadline cannot cut it short, and
 * calls to several clouds run one after another instead of at once. Never give it to an engine that
 * talks to real clouds.
 *
 * <p><b>Thread safety:</b> safe for concurrent use.
 */
public final class CallingThreadExecutor extends AbstractExecutorService {
  private volatile boolean shutdown;

  /** Creates a running executor. */
  public CallingThreadExecutor() {}

  @Override
  public void execute(Runnable command) {
    if (shutdown) {
      throw new RejectedExecutionException("the calling-thread executor is shut down");
    }
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
    return shutdown;
  }
}

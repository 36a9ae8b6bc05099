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

import org.csv2.model.JobSnapshot;
import org.csv2.model.VmId;
import org.csv2.model.Worker;
import org.csv2.spi.JobSource;

/** One engine's view of a {@link SimulatedPool}; see there for the semantics. */
final class SimulatedJobSource implements JobSource {
  private final SimulatedPool pool;
  private final String engineInstanceId;
  private volatile boolean closed;

  SimulatedJobSource(SimulatedPool pool, String engineInstanceId) {
    this.pool = pool;
    this.engineInstanceId = engineInstanceId;
  }

  @Override
  public JobSnapshot snapshot() {
    open();
    return pool.snapshot(engineInstanceId);
  }

  @Override
  public void retire(Worker worker) {
    open();
    pool.retire(worker);
  }

  @Override
  public void forget(VmId vm) {
    open();
    pool.forget(vm);
  }

  @Override
  public void close() {
    closed = true;
  }

  private void open() {
    if (closed) {
      throw new IllegalStateException("the simulated job source of " + engineInstanceId + " is closed");
    }
  }

  @Override
  public String toString() {
    return "SimulatedJobSource[" + engineInstanceId + "]";
  }
}

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

import java.time.Instant;
import java.util.Optional;
import org.csv2.model.JobSnapshot;
import org.csv2.model.VmId;
import org.csv2.model.Worker;

/**
 * A batch system: where demand comes from and where the VMs go to work.
 *
 * <p>A malformed or foreign ad (a job of no known group, a worker of another engine) is left out
 * and counted in {@link JobSnapshot#skipped()}; it never fails the snapshot.
 *
 * <p><b>Thread safety:</b> the engine calls each instance from one thread at a time; {@link
 * #close()} may come from any thread.
 *
 * <p><b>Lifecycle:</b> created by {@link JobSourceProvider#create}; {@link #close()} once at
 * shutdown, idempotent.
 */
public interface JobSource extends AutoCloseable {
  /**
   * Reads the jobs and this engine's workers.
   *
   * @return the snapshot
   * @throws org.csv2.api.JobSourceException with {@code UNAVAILABLE} when the batch system cannot
   *     be read
   */
  JobSnapshot snapshot();

  /**
   * Asks a worker to drain peacefully: its running jobs finish, no new job starts, then it leaves
   * the pool. Idempotent.
   *
   * @param worker the worker, as the last snapshot reported it
   */
  void retire(Worker worker);

  /**
   * Forgets a VM that is gone: invalidates whatever the batch system still advertises for it.
   * Idempotent; nothing to forget is success.
   *
   * @param vm the VM's name
   */
  void forget(VmId vm);

  /**
   * When the credential this source reaches its batch system with stops working, if it knows: the
   * {@code exp} claim of an HTCondor IDTOKEN or SciToken. Optional: the default (and a source whose
   * credential does not expire) answers empty. The engine calls it every cycle after a successful
   * {@link #snapshot()}: answer from what the source already knows or reads cheaply. The engine
   * warns from 28 days before and boots nothing more for the groups that read from this source
   * from 7 days before (configurable, as for {@link CloudDriver#credentialsExpireAt()}), and never
   * retires running VMs because of it.
   *
   * @return the expiry, or empty when unknown or never
   * @throws org.csv2.api.JobSourceException only when the credential cannot be read; the engine
   *     then keeps the last answer and reports the problem
   */
  default Optional<Instant> credentialsExpireAt() {
    return Optional.empty();
  }

  /** Releases the job source's resources. Idempotent. */
  @Override
  void close();
}

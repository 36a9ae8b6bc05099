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

import java.util.List;
import org.csv2.model.AccountingRecord;
import org.csv2.model.Sample;
import org.csv2.model.Vm;
import org.csv2.model.VmEvent;

/**
 * Everything one cycle (or one step of it) writes, applied by {@link StateStore#commit} in one
 * transaction.
 *
 * <p><b>Thread safety:</b> immutable.
 *
 * <p><b>Lifecycle:</b> built by the engine for one commit and dropped after it.
 *
 * @param inserts new VMs, each with version 0
 * @param updates changed VMs, each with the version last read
 * @param deletes VMs to remove, each with the version last read
 * @param events VM transitions to append to the history
 * @param samples time-series points to append
 * @param accounting accounting records to append
 */
public record StoreChanges(
    List<Vm> inserts,
    List<Vm> updates,
    List<Vm> deletes,
    List<VmEvent> events,
    List<Sample> samples,
    List<AccountingRecord> accounting) {
  /** Nothing to write. */
  public static final StoreChanges NONE =
      new StoreChanges(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

  /** Copies. */
  public StoreChanges {
    inserts = List.copyOf(inserts);
    updates = List.copyOf(updates);
    deletes = List.copyOf(deletes);
    events = List.copyOf(events);
    samples = List.copyOf(samples);
    accounting = List.copyOf(accounting);
  }

  /**
   * Whether there is nothing to write.
   *
   * @return true when every list is empty
   */
  public boolean isEmpty() {
    return inserts.isEmpty()
        && updates.isEmpty()
        && deletes.isEmpty()
        && events.isEmpty()
        && samples.isEmpty()
        && accounting.isEmpty();
  }
}

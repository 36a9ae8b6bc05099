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

import java.util.List;
import org.csv2.model.Vm;

/**
 * The stored VMs sorted once per cycle by {@link DeriveStep}, so that only the live VMs of this
 * engine are derived, planned and compared each cycle: TERMINATED records (kept for {@link
 * Reconciler#TERMINATED_RETENTION}, often more than the live ones) and other engines' records are
 * set aside.
 *
 * @param held live VMs of this engine in the groups it holds a lease on
 * @param otherGroups live VMs of this engine in groups another engine holds (they hold capacity)
 * @param foreign live VMs of other engines or of clouds not configured here
 * @param terminated TERMINATED records, of every engine
 */
record StoredVms(List<Vm> held, List<Vm> otherGroups, List<Vm> foreign, List<Vm> terminated) {}

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
/**
 * The built-in simulation: simulated clouds and a simulated HTCondor-like batch pool that share one
 * {@link org.csv2.core.sim.SimulatedWorld}, a {@link org.csv2.core.sim.VirtualClock}, a synthetic
 * workload generator and a {@link org.csv2.core.sim.TraceReplay} reader for real workload traces in
 * the Standard Workload Format. The engine runs against them exactly as against real clouds.
 *
 * <p>Public so that test harnesses and embedders can build worlds in code; the providers {@link
 * org.csv2.core.sim.SimulatedCloudProvider} and {@link org.csv2.core.sim.SimulatedJobSourceProvider}
 * are also registered with {@link java.util.ServiceLoader} under the name {@code simulated}.
 */
@NullMarked
package org.csv2.core.sim;

import org.jspecify.annotations.NullMarked;

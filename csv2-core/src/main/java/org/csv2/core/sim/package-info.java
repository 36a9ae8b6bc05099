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

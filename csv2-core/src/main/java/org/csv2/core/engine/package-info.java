/**
 * The engine's inside: the {@link org.csv2.core.engine.Reconciler} that runs one cycle as a list
 * of step classes (ConfigStep, ObserveStep, LeaseStep, DeriveStep, PlanStep, ExecuteStep,
 * RecordStep), the pure {@link org.csv2.core.engine.StateDeriver}, and the
 * per-cloud {@link org.csv2.core.engine.CircuitBreaker} and deadlines that keep a bad cloud from
 * stopping the others.
 *
 * <p>Not for embedders: they use {@code org.csv2.core.Csv2Scheduler}. The types are public only so
 * that the scheduler and test harnesses can wire them.
 */
@NullMarked
package org.csv2.core.engine;

import org.jspecify.annotations.NullMarked;

/**
 * The benchmarks of PERFORMANCE.md: B1 planning throughput (JMH, {@link
 * org.csv2.examples.bench.PlanningBenchmark}, {@link org.csv2.examples.bench.SweepBenchmark}) and
 * B2 trace replay ({@link org.csv2.examples.bench.ReplayBenchmark}), started by {@link
 * org.csv2.examples.bench.BenchMain}. Scenarios are seeded and built from the real catalogs and
 * traces in {@code ../shared/data}, read at run time ({@link org.csv2.examples.bench.SharedData}).
 */
@NullMarked
package org.csv2.examples.bench;

import org.jspecify.annotations.NullMarked;

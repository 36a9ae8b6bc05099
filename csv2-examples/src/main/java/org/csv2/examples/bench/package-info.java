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
 * The benchmarks of PERFORMANCE.md: B1 planning throughput (JMH, {@link
 * org.csv2.examples.bench.PlanningBenchmark}, {@link org.csv2.examples.bench.SweepBenchmark}) and
 * B2 trace replay ({@link org.csv2.examples.bench.ReplayBenchmark}), started by {@link
 * org.csv2.examples.bench.BenchMain}. Scenarios are seeded and built from the real catalogs and
 * traces in {@code ../shared/data}, read at run time ({@link org.csv2.examples.bench.SharedData}).
 */
@NullMarked
package org.csv2.examples.bench;

import org.jspecify.annotations.NullMarked;

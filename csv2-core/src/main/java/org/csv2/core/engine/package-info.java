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

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
 * Planning: the pure, deterministic functions from a {@link org.csv2.core.planning.Snapshot} to a
 * {@link org.csv2.model.Plan}.
 *
 * <p>{@link org.csv2.core.planning.Planner} is the contract; {@link
 * org.csv2.core.planning.DefaultPlanner} is the project's policy and {@link
 * org.csv2.core.planning.ClassicPlanner} reproduces the production cloudscheduler's rules; {@link
 * org.csv2.core.planning.Planners} selects one by the configured policy name. Everything else in
 * the package (the capacity ledger, job shapes, candidate index, supply packing, retirement rules)
 * is package-private. docs/planner.md explains every rule.
 */
@NullMarked
package org.csv2.core.planning;

import org.jspecify.annotations.NullMarked;

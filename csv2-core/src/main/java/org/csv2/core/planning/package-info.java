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

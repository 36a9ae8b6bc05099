/**
 * A sample third-party planning policy, {@code first-fit}, written against csv2-api alone and
 * found by the engine through {@code META-INF/services/org.csv2.spi.PlannerProvider}.
 */
@NullMarked
package org.csv2.examples.planner;

import org.jspecify.annotations.NullMarked;

/**
 * For embedders and tests: {@link org.csv2.core.store.InMemoryStateStore}, a state store that
 * keeps everything in memory (provider name {@code memory}). It is the store of simulations and
 * tests; it forgets everything when the JVM ends, so production uses the JDBC store.
 */
@NullMarked
package org.csv2.core.store;

import org.jspecify.annotations.NullMarked;

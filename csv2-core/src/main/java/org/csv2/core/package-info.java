/**
 * For embedders: {@link org.csv2.core.Csv2Scheduler}, the entry point of the engine.
 *
 * <pre>{@code
 * try (Scheduler s = Csv2Scheduler.builder().config(Path.of("csv2.yaml")).build()) {
 *   s.start();            // or s.runOnce() from your own loop or test
 * }
 * }</pre>
 *
 * <p>Guice, Jackson and YAML stay inside: an embedder sees only this builder and the {@code
 * org.csv2.api} types.
 */
@NullMarked
package org.csv2.core;

import org.jspecify.annotations.NullMarked;

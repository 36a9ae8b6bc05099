/**
 * Embedding csv2 in an HTCondor frontend: jobs handed over in code, the frontend's own metrics
 * registry, cycles driven from the frontend's loop.
 */
@NullMarked
package org.csv2.examples.embedding;

import org.jspecify.annotations.NullMarked;

/**
 * Runnable programs around the engine: the {@code csv2} command line ({@link
 * org.csv2.examples.Csv2Cli}) with the quickstart, configuration checks, dry runs and a daemon.
 * This is the one module that binds a logging backend and prints to the terminal.
 */
@NullMarked
package org.csv2.examples;

import org.jspecify.annotations.NullMarked;

/**
 * For embedders: the {@link org.csv2.api.Scheduler} interface, its status and events, and the
 * exception hierarchy rooted at {@link org.csv2.api.Csv2Exception}.
 *
 * <p>Obtain a scheduler from {@code csv2-core}: {@code Csv2Scheduler.builder().config(path).build()},
 * then {@code start()} it, or call {@code runOnce()} from your own loop or test.
 */
@NullMarked
package org.csv2.api;

import org.jspecify.annotations.NullMarked;

/** A contract subclass outside the testkit's package. */
@NullMarked
package org.csv2.testkit.external;

import org.jspecify.annotations.NullMarked;

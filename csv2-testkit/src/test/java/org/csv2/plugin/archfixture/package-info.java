/** Fixtures that break the architecture rules on purpose. */
@NullMarked
package org.csv2.plugin.archfixture;

import org.jspecify.annotations.NullMarked;

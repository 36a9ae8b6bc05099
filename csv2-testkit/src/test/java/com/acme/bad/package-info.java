/** A third-party plugin package, for the architecture rules' tests. */
@NullMarked
package com.acme.bad;

import org.jspecify.annotations.NullMarked;

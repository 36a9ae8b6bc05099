/** A third-party plugin package, for the architecture rules' tests. */
@NullMarked
package com.acme.good;

import org.jspecify.annotations.NullMarked;

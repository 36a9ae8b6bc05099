/**
 * For embedders: the engine's configuration as validated records, read from YAML by {@link
 * org.csv2.core.config.ConfigLoader} into a {@link org.csv2.core.config.Csv2Config}.
 *
 * <p>One canonical Jackson mapper reads the YAML (strict, kebab-case keys, {@code ${ENV}}
 * references, durations such as {@code 10s}); every problem is reported at once with its path in a
 * single {@link org.csv2.api.ConfigurationException}. A plugin's {@code config:} subtree stays
 * opaque here and reaches the plugin as a {@link org.csv2.core.config.BoundPluginConfig}, which
 * binds it to the plugin's own record type.
 */
@NullMarked
package org.csv2.core.config;

import org.jspecify.annotations.NullMarked;

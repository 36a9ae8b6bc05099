/**
 * For embedders: the plugin catalog, which finds providers through {@link java.util.ServiceLoader}
 * or takes them from code, and selects them by name ({@link org.csv2.core.plugin.PluginCatalog}),
 * and the Guice module that binds them ({@link org.csv2.core.plugin.PluginModule}).
 *
 * <p>There is no class-loader isolation: plugins share the host's class path.
 */
@NullMarked
package org.csv2.core.plugin;

import org.jspecify.annotations.NullMarked;

/*
 * Copyright The csv2 Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
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

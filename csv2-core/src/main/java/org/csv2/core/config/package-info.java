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

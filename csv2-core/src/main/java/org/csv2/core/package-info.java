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
 * For embedders: {@link org.csv2.core.Csv2Scheduler}, the entry point of the engine.
 *
 * <pre>{@code
 * try (Scheduler s = Csv2Scheduler.builder().config(Path.of("csv2.yaml")).build()) {
 *   s.start();            // or s.runOnce() from your own loop or test
 * }
 * }</pre>
 *
 * <p>Guice, Jackson and YAML stay inside: an embedder sees only this builder and the {@code
 * org.csv2.api} types.
 */
@NullMarked
package org.csv2.core;

import org.jspecify.annotations.NullMarked;

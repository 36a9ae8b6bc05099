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
 * For embedders and tests: {@link org.csv2.core.store.InMemoryStateStore}, a state store that
 * keeps everything in memory (provider name {@code memory}). It is the store of simulations and
 * tests; it forgets everything when the JVM ends, so production uses the JDBC store.
 */
@NullMarked
package org.csv2.core.store;

import org.jspecify.annotations.NullMarked;

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
 * For plugin authors: the service-provider interfaces through which csv2 drives clouds, reads job
 * sources and keeps its state.
 *
 * <p>Each plugin kind is two types: a cheap provider that {@link java.util.ServiceLoader} finds and
 * the engine selects by its unique {@code name()}, and the {@link java.lang.AutoCloseable} instance
 * it creates from its configuration subtree ({@link org.csv2.spi.PluginConfig}) and a {@link
 * org.csv2.spi.PluginContext}.
 *
 * <p>To write a cloud driver:
 *
 * <ol>
 *   <li>implement {@link org.csv2.spi.CloudDriverProvider} and {@link org.csv2.spi.CloudDriver},
 *       depending on {@code csv2-api} only;
 *   <li>list the provider in {@code META-INF/services/org.csv2.spi.CloudDriverProvider};
 *   <li>extend {@code org.csv2.testkit.CloudDriverContract} from {@code csv2-testkit} in your
 *       tests.
 * </ol>
 *
 * <p>Job sources ({@link org.csv2.spi.JobSourceProvider}) and state stores ({@link
 * org.csv2.spi.StateStoreProvider}) follow the same recipe with their own contracts. Plugins throw
 * only the {@link org.csv2.api.Csv2Exception} types and never retry on their own; the engine owns
 * threads, retries and time.
 */
@NullMarked
package org.csv2.spi;

import org.jspecify.annotations.NullMarked;

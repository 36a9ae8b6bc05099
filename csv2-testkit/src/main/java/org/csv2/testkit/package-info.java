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
 * For plugin authors: the contract-test kits every csv2 plugin runs, plus the tools they need.
 *
 * <p>Extend {@link org.csv2.testkit.CloudDriverContract}, {@link
 * org.csv2.testkit.JobSourceContract} or {@link org.csv2.testkit.StateStoreContract} in a test
 * class whose name ends in {@code ContractTest}, implement the few abstract methods, and run it
 * with JUnit 5. {@link org.csv2.testkit.TestPluginContext} and {@link
 * org.csv2.testkit.MutableClock} stand in for the engine, {@link
 * org.csv2.testkit.Csv2Generators} generates model values for QuickTheories properties, and
 * {@link org.csv2.testkit.Csv2ArchRules} holds the architecture rules each module applies to
 * itself. {@link org.csv2.testkit.TestPluginConfig} binds a plugin's configuration record the way
 * the engine does, and {@link org.csv2.testkit.TestEnvironment} finds the real servers of {@code
 * scripts/testenv up} for integration tests (failing, never skipping, when they are missing).
 *
 * <p>The recipe for a cloud driver:
 *
 * <ol>
 *   <li>add {@code org.csv2:csv2-testkit} at test scope;
 *   <li>write {@code class MyCloudDriverContractTest extends CloudDriverContract} returning your
 *       provider's name and a driver made from a {@link org.csv2.spi.PluginContext};
 *   <li>declare the {@link org.csv2.testkit.DriverCapability capabilities} your driver lacks.
 * </ol>
 */
@NullMarked
package org.csv2.testkit;

import org.jspecify.annotations.NullMarked;

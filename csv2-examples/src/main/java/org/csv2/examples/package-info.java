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
 * Runnable programs around the engine: the {@code csv2} command line ({@link
 * org.csv2.examples.Csv2Cli}) with the quickstart, configuration checks, dry runs and a daemon.
 * This is the one module that binds a logging backend and prints to the terminal.
 */
@NullMarked
package org.csv2.examples;

import org.jspecify.annotations.NullMarked;

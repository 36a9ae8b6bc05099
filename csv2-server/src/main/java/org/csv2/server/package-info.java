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
 * For operators and embedders: the csv2 server. Build one with {@link org.csv2.server.Csv2Server#builder()},
 * give it the engine (or only the shared state store), and {@code start()} it: status pages with plots,
 * the REST API under {@code /api/v1}, Prometheus metrics at {@code /metrics}, users and roles.
 */
@NullMarked
package org.csv2.server;

import org.jspecify.annotations.NullMarked;

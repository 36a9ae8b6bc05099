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
 * The operator layer: {@link org.csv2.api.ops.Operations}, the verbs an operator, a CLI or a web
 * server uses on a running csv2 (list, act, configure, audit), and the records they exchange.
 *
 * <p>An operator's action is never a call into one engine's memory: act verbs store an {@link
 * org.csv2.api.ops.Intent} that the engine holding the group's lease carries out at its next cycle,
 * configuration verbs save a new version of the stored configuration, and both land in the audit
 * log in the same store transaction. Status and job views read the {@link
 * org.csv2.api.ops.GroupStatus} snapshot each engine stores every cycle, so a second process on the
 * same store can answer them without running an engine. docs/operations.md describes every verb.
 */
@NullMarked
package org.csv2.api.ops;

import org.jspecify.annotations.NullMarked;

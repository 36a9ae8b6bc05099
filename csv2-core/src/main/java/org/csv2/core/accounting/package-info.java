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
 * Usage accounting: per-VM usage tracked from the engine's history and the job source's reports
 * ({@link org.csv2.core.accounting.UsageTracker}), APEL cloud records written crash-safely for the
 * APEL SSM sender ({@link org.csv2.core.accounting.ApelExporter}) and usage reports ({@link
 * org.csv2.core.accounting.UsageReports}). See docs/accounting.md.
 */
@NullMarked
package org.csv2.core.accounting;

import org.jspecify.annotations.NullMarked;

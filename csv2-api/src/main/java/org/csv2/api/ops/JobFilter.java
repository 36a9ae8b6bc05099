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
package org.csv2.api.ops;

import org.csv2.model.AliasName;
import org.csv2.model.GroupName;
import org.csv2.model.JobState;
import org.jspecify.annotations.Nullable;

/**
 * Which jobs {@link Operations#jobs} lists; a null field matches every job.
 *
 * @param group only this group's
 * @param alias only jobs targeting this alias
 * @param state only jobs in this state
 */
public record JobFilter(@Nullable GroupName group, @Nullable AliasName alias, @Nullable JobState state) {
  /** Every job the snapshots hold. */
  public static final JobFilter ALL = new JobFilter(null, null, null);
}

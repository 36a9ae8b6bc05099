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

import org.jspecify.annotations.Nullable;

/**
 * A group's sliders on one cloud (production's cloud settings: {@code cores_ctl}, {@code
 * cores_softmax}, {@code ram_ctl}); a null field leaves the setting as it is, -1 removes the limit.
 *
 * @param coresCtl the most cores the group may use there
 * @param coresSoftmax cores above which the group boots only to replace
 * @param ramCtlMiB the most RAM the group may use there, MiB
 */
public record Controls(@Nullable Integer coresCtl, @Nullable Integer coresSoftmax, @Nullable Long ramCtlMiB) {}

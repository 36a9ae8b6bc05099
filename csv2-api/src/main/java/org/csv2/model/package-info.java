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
 * For embedders and plugin authors: the values csv2 reasons about, all immutable records.
 *
 * <p>The words are the production cloudscheduler's words: a {@link org.csv2.model.Group} (a tenant)
 * has {@link org.csv2.model.Allocation}s on {@link org.csv2.model.Cloud}s; idle {@link
 * org.csv2.model.Job}s lead to {@link org.csv2.model.Vm}s booted with a {@link
 * org.csv2.model.Flavor}; a VM that joins the batch pool shows up as a {@link
 * org.csv2.model.Worker}; the decisions of one cycle are a {@link org.csv2.model.Plan}.
 *
 * <p>Records validate in their compact constructors (throwing {@link IllegalArgumentException} or
 * {@link NullPointerException}) and copy their collections. This package depends on nothing but the
 * JDK.
 */
@NullMarked
package org.csv2.model;

import org.jspecify.annotations.NullMarked;

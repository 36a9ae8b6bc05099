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
 * The cloud-init user data of a VM: {@link org.csv2.core.userdata.UserDataComposer} selects the
 * operator's documents, renders their {@code {{variable}}} placeholders with {@link
 * org.csv2.core.userdata.BootVariables} and joins them into one multipart MIME message, gzipped
 * when large. A job can choose among the operator's documents; it can never make the engine read a
 * file or a URL.
 */
@NullMarked
package org.csv2.core.userdata;

import org.jspecify.annotations.NullMarked;

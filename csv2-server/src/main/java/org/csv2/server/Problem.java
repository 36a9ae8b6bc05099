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
package org.csv2.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem document ({@code application/problem+json}).
 *
 * @param type a URI naming the kind of problem; {@code about:blank} when the status says it all
 * @param title the status's short phrase
 * @param status the HTTP status
 * @param detail what went wrong, for a person; never internal data
 * @param instance the request path
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Problem(String type, String title, int status, @Nullable String detail, @Nullable String instance) {
  static final String CONTENT_TYPE = "application/problem+json";
}

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

/**
 * For operators and embedders: the csv2 server. Build one with {@link org.csv2.server.Csv2Server#builder()},
 * give it the engine (or only the shared state store), and {@code start()} it: status pages with plots,
 * the REST API under {@code /api/v1}, Prometheus metrics at {@code /metrics}, users and roles.
 */
@NullMarked
package org.csv2.server;

import org.jspecify.annotations.NullMarked;

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

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The served OpenAPI document lists every route of /api/v1, and nothing that is not one. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenApiTest {
  @Test
  void everyApiRouteIsDocumentedAndEveryDocumentedRouteExists() throws Exception {
    try (Fixture f = new Fixture()) {
      String yaml = f.client(null).get("/api/v1/openapi.yaml").body();
      JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(yaml);
      Set<String> documented = new TreeSet<>();
      for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
        String path = paths.next();
        for (Iterator<String> methods = doc.get("paths").get(path).fieldNames(); methods.hasNext(); ) {
          String m = methods.next();
          if (!m.equals("parameters")) {
            documented.add(m.toUpperCase(Locale.ROOT) + " " + Api.BASE + path);
          }
        }
      }
      Set<String> routes = new TreeSet<>();
      for (String r : f.server.routes()) {
        if (r.contains(Api.BASE + "/")) {
          routes.add(r);
        }
      }
      assertThat(routes).as("API routes").hasSizeGreaterThan(30);
      assertThat(documented).as("the OpenAPI document's operations").containsExactlyInAnyOrderElementsOf(routes);
    }
  }
}

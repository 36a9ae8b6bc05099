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
package org.csv2.plugin.htcondor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test data: the recorded tool outputs, the worker template and a tiny renderer for it. */
final class Fixtures {
  /** The variables the engine gives a boot (BootVariables keys) plus the group's. */
  static Map<String, String> variables(String group, String cloud, String instanceId, String vm, String alias) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("group", group);
    v.put("cloud", cloud);
    v.put("flavor", "c2");
    v.put("cores", "2");
    v.put("ram_mib", "2048");
    v.put("disk_gib", "0");
    v.put("image", "local");
    v.put("alias", alias);
    v.put("instance_id", instanceId);
    v.put("vm_name", vm);
    v.put("condor_host", "127.0.0.1");
    v.put("condor_token", "eyJhbGciOiJIUzI1NiJ9.test.token");
    return v;
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  private Fixtures() {}

  /** A resource of this test package as text. */
  static String resource(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + name + " next to " + Fixtures.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The worker template shipped in the main resources. */
  static String workerTemplate() {
    return resource("worker-condor.yaml.tmpl");
  }

  /**
   * Renders like the engine's composer: every placeholder replaced verbatim; an unknown one fails.
   */
  static String render(String template, Map<String, String> variables) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("unknown variable " + m.group(1));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    if (out.indexOf("{{") >= 0) {
      throw new IllegalArgumentException("a malformed placeholder is left: " + out);
    }
    return out.toString();
  }

  /**
   * A multipart MIME message laid out as the engine's composer joins documents
   * (boundary ==csv2-boundary==).
   */
  static String multipart(String... typeAndBody) {
    StringBuilder b = new StringBuilder();
    b.append("Content-Type: multipart/mixed; boundary=\"==csv2-boundary==\"\nMIME-Version: 1.0\n\n");
    for (int i = 0; i < typeAndBody.length; i += 2) {
      b.append("--==csv2-boundary==\n");
      b.append("Content-Type: ").append(typeAndBody[i]).append("; charset=\"utf-8\"\n");
      b.append("MIME-Version: 1.0\nContent-Transfer-Encoding: 7bit\n");
      b.append("Content-Disposition: attachment; filename=\"part").append(i / 2).append("\"\n\n");
      b.append(typeAndBody[i + 1]);
      if (!typeAndBody[i + 1].endsWith("\n")) {
        b.append('\n');
      }
    }
    b.append("--==csv2-boundary==--\n");
    return b.toString();
  }
}

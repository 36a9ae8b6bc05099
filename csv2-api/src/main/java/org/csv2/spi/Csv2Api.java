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
package org.csv2.spi;

import java.util.Objects;

/**
 * The version of the plugin interfaces, {@code MAJOR.MINOR}, by which the engine decides whether a
 * plugin can run with it.
 *
 * <p>A provider returns {@link #VERSION} from {@link PluginProvider#apiVersion()}. {@code VERSION}
 * is a compile-time constant, so {@code javac} copies its value into the provider's own class
 * file: the provider then reports the csv2-api version it was <em>compiled against</em>, whatever
 * csv2-api is on the class path at run time. (The version in a plugin jar's manifest is the
 * plugin's own release and says nothing about the API.)
 *
 * <p>A plugin compiled against {@code M.m} runs with a csv2-api {@code M.n} where {@code n >= m}:
 * minor versions only add (default methods, new types), a new major version may remove or change.
 * While the major version is {@code 0} (before 1.0, as semantic versioning has it) a minor version
 * may break the API too, so a {@code 0.m} plugin runs only with csv2-api {@code 0.m}.
 *
 * <p>{@code VERSION} is the {@code MAJOR.MINOR} of the csv2-api artifact's Maven version (a test
 * of the build keeps them equal), so a plugin author reads it off the dependency they declare.
 */
public final class Csv2Api {
  /**
   * The csv2-api version this class file belongs to, {@code MAJOR.MINOR}. A compile-time
   * constant: return it from {@link PluginProvider#apiVersion()}.
   */
  public static final String VERSION = "0.1";

  private Csv2Api() {}

  /**
   * The version of the csv2-api on the class path at run time (unlike {@link #VERSION}, which
   * callers' class files keep at the value they were compiled with).
   *
   * @return {@code MAJOR.MINOR}
   */
  public static String runtimeVersion() {
    return VERSION;
  }

  /**
   * Whether a plugin compiled against {@code compiledAgainst} runs with the csv2-api {@code
   * runtime}: the same major version and a minor version no newer than the runtime's; for major
   * version {@code 0}, the same minor version.
   *
   * @param compiledAgainst what the plugin reports, {@code MAJOR.MINOR}
   * @param runtime the csv2-api at run time, {@code MAJOR.MINOR}
   * @return whether it runs
   * @throws IllegalArgumentException if a version is not {@code MAJOR.MINOR}
   */
  public static boolean compatible(String compiledAgainst, String runtime) {
    int[] plugin = parse(compiledAgainst);
    int[] api = parse(runtime);
    if (plugin[0] != api[0]) {
      return false;
    }
    return plugin[0] == 0 ? plugin[1] == api[1] : plugin[1] <= api[1];
  }

  private static int[] parse(String version) {
    Objects.requireNonNull(version, "version");
    int dot = version.indexOf('.');
    try {
      if (dot > 0 && dot < version.length() - 1 && version.length() <= 20) {
        int major = Integer.parseInt(version.substring(0, dot));
        int minor = Integer.parseInt(version.substring(dot + 1));
        if (major >= 0 && minor >= 0) {
          return new int[] {major, minor};
        }
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException(
        "not a csv2-api version (MAJOR.MINOR, as Csv2Api.VERSION): '" + bounded(version) + "'");
  }

  private static String bounded(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}

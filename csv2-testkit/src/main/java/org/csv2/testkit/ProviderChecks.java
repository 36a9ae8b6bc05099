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
package org.csv2.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.PluginProvider;

/**
 * The checks every contract kit makes of a plugin's provider: that the engine finds it the way it
 * will in production, and that it says which csv2-api it was compiled against.
 */
final class ProviderChecks {
  private ProviderChecks() {}

  /**
   * Checks that exactly one provider of the kind has the name; that the services file listing it
   * ships next to the provider class (in its jar or class directory, not only on the test class
   * path, where Maven puts {@code src/test/resources}); and that it declares a compatible {@link
   * PluginProvider#apiVersion()}.
   *
   * @param kind the provider interface
   * @param name the expected name
   * @param loader the class loader the test runs with
   */
  static <P extends PluginProvider> void assertDiscoverable(Class<P> kind, String name, ClassLoader loader) {
    assertThat(name).as("provider name").matches("[a-z][a-z0-9-]*");
    String servicesFile = "META-INF/services/" + kind.getName();
    List<P> named =
        ServiceLoader.load(kind, loader).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.name().equals(name))
            .toList();
    assertThat(named.stream().map(p -> p.getClass().getName()).toList())
        .as("providers named '%s' in %s", name, servicesFile)
        .hasSize(1);
    P provider = named.get(0);
    Class<?> cls = provider.getClass();
    String home = root(cls);
    List<String> listing = filesListing(loader, servicesFile, cls.getName());
    if (listing.stream().noneMatch(url -> sameRoot(url, servicesFile, home))) {
      fail(
          "provider %s is listed only in %s, not in the jar or directory that holds the class (%s): the"
              + " plugin's jar would not carry it and the engine would not find '%s'; put the services file in"
              + " src/main/resources/%s",
          cls.getName(), listing, home, name, servicesFile);
    }
    String api = provider.apiVersion();
    assertThat(api)
        .as("%s.apiVersion(): implement it as 'return Csv2Api.VERSION;' so the engine knows the API it was compiled against",
            cls.getName())
        .isNotNull();
    assertThat(Csv2Api.compatible(api, Csv2Api.runtimeVersion()))
        .as("%s compiled against csv2-api %s runs with csv2-api %s", cls.getName(), api, Csv2Api.runtimeVersion())
        .isTrue();
  }

  private static List<String> filesListing(ClassLoader loader, String servicesFile, String className) {
    List<String> files = new ArrayList<>();
    try {
      for (URL url : Collections.list(loader.getResources(servicesFile))) {
        try (BufferedReader in =
            new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
          if (in.lines().map(l -> l.replaceFirst("#.*", "").strip()).anyMatch(className::equals)) {
            files.add(url.toString());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + servicesFile, e);
    }
    return files;
  }

  /** The class's code source as a URL string ({@code file:/.../classes/} or {@code file:/.../x.jar}). */
  private static String root(Class<?> cls) {
    CodeSource source = cls.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    if (location == null) {
      return "(unknown location)";
    }
    return location.toString();
  }

  private static boolean sameRoot(String fileUrl, String servicesFile, String home) {
    String root = fileUrl.substring(0, fileUrl.length() - servicesFile.length());
    if (root.startsWith("jar:") && root.endsWith("!/")) {
      root = root.substring("jar:".length(), root.length() - 2);
    }
    return strip(root).equals(strip(home));
  }

  private static String strip(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}

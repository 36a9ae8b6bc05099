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
package org.csv2.core.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds, at test time, a cloud driver jar the way a third party's Maven build would: the provider
 * is compiled by {@code javac} against the csv2-api on the test class path, and the jar's manifest
 * carries the plugin's own release as {@code Implementation-Version}.
 */
final class ThirdPartyJar {
  static final String NAME = "acme";
  private static final String CLASS = "com.acme.csv2.AcmeDriverProvider";
  private static final String SOURCE =
      """
      package com.acme.csv2;

      import org.csv2.spi.CloudDriver;
      import org.csv2.spi.CloudDriverProvider;
      import org.csv2.spi.Csv2Api;
      import org.csv2.spi.PluginConfig;
      import org.csv2.spi.PluginContext;

      public final class AcmeDriverProvider implements CloudDriverProvider {
        @Override public String name() { return "acme"; }
        @Override public String apiVersion() { return Csv2Api.VERSION; }
        @Override public CloudDriver create(PluginConfig config, PluginContext context) {
          throw new UnsupportedOperationException("never created in this test");
        }
      }
      """;

  private ThirdPartyJar() {}

  static Path build(Path dir, String release) throws IOException {
    Path src = dir.resolve("src/com/acme/csv2/AcmeDriverProvider.java");
    Path classes = dir.resolve("classes");
    Files.createDirectories(src.getParent());
    Files.createDirectories(classes);
    Files.writeString(src, SOURCE, StandardCharsets.UTF_8);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("the tests need a JDK (javax.tools.ToolProvider found no compiler)");
    }
    int rc =
        javac.run(
            null, null, null,
            "-d", classes.toString(),
            "-classpath", location(org.csv2.spi.Csv2Api.class) + java.io.File.pathSeparator
                + location(org.jspecify.annotations.Nullable.class),
            src.toString());
    if (rc != 0) {
      throw new IllegalStateException("javac failed with " + rc);
    }
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.IMPLEMENTATION_TITLE, "acme-csv2-driver");
    main.put(Attributes.Name.IMPLEMENTATION_VERSION, release);
    Path jar = dir.resolve("acme-csv2-driver-" + release + ".jar");
    String classFile = CLASS.replace('.', '/') + ".class";
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out, manifest)) {
      for (String d : List.of("com/", "com/acme/", "com/acme/csv2/", "META-INF/services/")) {
        j.putNextEntry(new JarEntry(d));
        j.closeEntry();
      }
      j.putNextEntry(new JarEntry(classFile));
      j.write(Files.readAllBytes(classes.resolve(classFile)));
      j.closeEntry();
      j.putNextEntry(new JarEntry("META-INF/services/org.csv2.spi.CloudDriverProvider"));
      j.write((CLASS + "\n").getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
    }
    return jar;
  }

  private static String location(Class<?> cls) {
    try {
      return Path.of(cls.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the provider's class file in the jar contains the text (a constant pool entry). */
  static boolean classFileMentions(Path jar, String text) throws IOException {
    try (JarFile j = new JarFile(jar.toFile())) {
      byte[] bytes = j.getInputStream(j.getEntry(CLASS.replace('.', '/') + ".class")).readAllBytes();
      return new String(bytes, StandardCharsets.ISO_8859_1).contains(text);
    }
  }
}

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.csv2.api.PluginException;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.JobSource;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import org.csv2.spi.StateStore;
import org.csv2.spi.StateStoreProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public final class PluginCatalogTest {
  /** A cloud driver provider that this test finds through a service file. */
  public static class AlphaDriverProvider implements CloudDriverProvider {
    @Override
    public String name() {
      return "alpha";
    }

    @Override
    public CloudDriver create(PluginConfig config, PluginContext context) {
      throw new UnsupportedOperationException("catalog tests never create drivers");
    }
  }

  /** A second provider class claiming the name "alpha". */
  public static class OtherAlphaDriverProvider extends AlphaDriverProvider {}

  /** A provider with a name that breaks the rule. */
  public static class BadNameDriverProvider extends AlphaDriverProvider {
    @Override
    public String name() {
      return "Alpha_1";
    }
  }

  /** A job source provider. */
  public static class BetaSourceProvider implements JobSourceProvider {
    @Override
    public String name() {
      return "beta";
    }

    @Override
    public JobSource create(PluginConfig config, PluginContext context) {
      throw new UnsupportedOperationException("catalog tests never create job sources");
    }
  }

  /** A state store provider. */
  public static class GammaStoreProvider implements StateStoreProvider {
    @Override
    public String name() {
      return "gamma";
    }

    @Override
    public StateStore create(PluginConfig config, PluginContext context) {
      throw new UnsupportedOperationException("catalog tests never create stores");
    }
  }

  private static ClassLoader withServices(Path dir, Class<?> service, String... providers) throws IOException {
    Path file = dir.resolve("META-INF/services/" + service.getName());
    Files.createDirectories(file.getParent());
    Files.writeString(file, "# test\n" + String.join("\n", providers) + "\n", StandardCharsets.UTF_8);
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, PluginCatalogTest.class.getClassLoader());
  }

  @Test
  void discoversProvidersThroughServiceFiles(@TempDir Path dir) throws IOException {
    ClassLoader loader = withServices(dir, CloudDriverProvider.class, AlphaDriverProvider.class.getName());
    Path sources = dir.resolve("META-INF/services/" + JobSourceProvider.class.getName());
    Files.writeString(sources, BetaSourceProvider.class.getName() + "\n", StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("META-INF/services/" + StateStoreProvider.class.getName()),
        GammaStoreProvider.class.getName() + "\n",
        StandardCharsets.UTF_8);

    PluginCatalog catalog = PluginCatalog.builder().classLoader(loader).build();

    assertThat(catalog.cloudDriverNames()).contains("alpha");
    assertThat(catalog.cloudDriver("alpha")).isInstanceOf(AlphaDriverProvider.class);
    assertThat(catalog.jobSource("beta")).isInstanceOf(BetaSourceProvider.class);
    assertThat(catalog.stateStore("gamma")).isInstanceOf(GammaStoreProvider.class);
  }

  @Test
  void serviceLoadingCanBeTurnedOff(@TempDir Path dir) throws IOException {
    ClassLoader loader = withServices(dir, CloudDriverProvider.class, AlphaDriverProvider.class.getName());
    PluginCatalog catalog =
        PluginCatalog.builder().classLoader(loader).serviceLoading(false).addJobSourceProvider(new BetaSourceProvider()).build();
    assertThat(catalog.cloudDriverNames()).isEmpty();
    assertThat(catalog.jobSourceNames()).containsExactly("beta");
    assertThat(catalog.stateStoreNames()).isEmpty();
  }

  @Test
  void programmaticRegistration() {
    AlphaDriverProvider alpha = new AlphaDriverProvider();
    GammaStoreProvider gamma = new GammaStoreProvider();
    PluginCatalog catalog =
        PluginCatalog.builder()
            .serviceLoading(false)
            .addCloudDriverProvider(alpha)
            .addJobSourceProvider(new BetaSourceProvider())
            .addStateStoreProvider(gamma)
            .build();
    assertThat(catalog.cloudDriver("alpha")).isSameAs(alpha);
    assertThat(catalog.stateStore("gamma")).isSameAs(gamma);
    assertThat(catalog.jobSourceNames()).containsExactly("beta");
  }

  @Test
  void theSameClassInCodeAndServiceFilesIsOneProviderAndCodeWins(@TempDir Path dir) throws IOException {
    ClassLoader loader = withServices(dir, CloudDriverProvider.class, AlphaDriverProvider.class.getName());
    AlphaDriverProvider mine = new AlphaDriverProvider();
    PluginCatalog catalog = PluginCatalog.builder().classLoader(loader).addCloudDriverProvider(mine).build();
    assertThat(catalog.cloudDriver("alpha")).isSameAs(mine);
  }

  @Test
  void aProviderRegisteredInCodeReplacesAnotherClassOfTheSameNameFoundOnTheClasspath(@TempDir Path dir)
      throws IOException {
    ClassLoader loader = withServices(dir, CloudDriverProvider.class, AlphaDriverProvider.class.getName());
    OtherAlphaDriverProvider mine = new OtherAlphaDriverProvider();
    PluginCatalog catalog = PluginCatalog.builder().classLoader(loader).addCloudDriverProvider(mine).build();
    assertThat(catalog.cloudDriver("alpha")).isSameAs(mine);
    assertThat(catalog.cloudDriverNames()).containsOnlyOnce("alpha");
  }

  @Test
  void duplicateNamesFailNamingBothClasses(@TempDir Path dir) throws IOException {
    PluginException inCode =
        catchThrowableOfType(
            PluginException.class,
            () ->
                PluginCatalog.builder()
                    .serviceLoading(false)
                    .addCloudDriverProvider(new AlphaDriverProvider())
                    .addCloudDriverProvider(new OtherAlphaDriverProvider())
                    .build());
    assertThat(inCode.reason()).isEqualTo(PluginException.Reason.DUPLICATE);
    assertThat(inCode.getMessage())
        .contains("two cloud driver providers are named 'alpha'")
        .contains(AlphaDriverProvider.class.getName())
        .contains(OtherAlphaDriverProvider.class.getName());

    ClassLoader loader =
        withServices(dir, CloudDriverProvider.class, AlphaDriverProvider.class.getName(), OtherAlphaDriverProvider.class.getName());
    PluginException found = catchThrowableOfType(PluginException.class, () -> PluginCatalog.builder().classLoader(loader).build());
    assertThat(found.reason()).isEqualTo(PluginException.Reason.DUPLICATE);
    assertThat(found.getMessage())
        .contains(AlphaDriverProvider.class.getName())
        .contains(OtherAlphaDriverProvider.class.getName());
  }

  @Test
  void unknownNamesListTheAvailableOnesAndTheArtifact() {
    PluginCatalog catalog =
        PluginCatalog.builder().serviceLoading(false).addCloudDriverProvider(new AlphaDriverProvider()).build();

    PluginException ec2 = catchThrowableOfType(PluginException.class, () -> catalog.cloudDriver("ec2"));
    assertThat(ec2.reason()).isEqualTo(PluginException.Reason.NOT_FOUND);
    assertThat(ec2.getMessage())
        .isEqualTo("no cloud driver named 'ec2'; available: alpha; add the artifact org.csv2:csv2-spi-ec2 to the classpath");

    assertThat(catchThrowableOfType(PluginException.class, () -> catalog.jobSource("htcondor")).getMessage())
        .isEqualTo("no job source named 'htcondor'; available: none; add the artifact org.csv2:csv2-spi-htcondor to the classpath");
    assertThat(catchThrowableOfType(PluginException.class, () -> catalog.stateStore("jdbc")).getMessage())
        .contains("org.csv2:csv2-spi-store-jdbc");
    assertThat(catchThrowableOfType(PluginException.class, () -> catalog.cloudDriver("azure")).getMessage())
        .startsWith("no cloud driver named 'azure'; available: alpha; add the jar that provides it")
        .contains("META-INF/services/org.csv2.spi.CloudDriverProvider");
  }

  @Test
  void aBrokenServiceFileIsReportedWithItsJar(@TempDir Path dir) throws IOException {
    ClassLoader loader = withServices(dir, CloudDriverProvider.class, "org.example.NoSuchProvider");
    PluginException e = catchThrowableOfType(PluginException.class, () -> PluginCatalog.builder().classLoader(loader).build());
    assertThat(e.reason()).isEqualTo(PluginException.Reason.FAILED);
    assertThat(e.getMessage())
        .contains("org.example.NoSuchProvider")
        .contains(dir.toString())
        .contains("META-INF/services/org.csv2.spi.CloudDriverProvider");
    assertThat(e.getCause()).isInstanceOf(java.util.ServiceConfigurationError.class);
  }

  @Test
  void invalidNamesAreRejected() {
    PluginException e =
        catchThrowableOfType(
            PluginException.class,
            () -> PluginCatalog.builder().serviceLoading(false).addCloudDriverProvider(new BadNameDriverProvider()).build());
    assertThat(e.reason()).isEqualTo(PluginException.Reason.FAILED);
    assertThat(e.getMessage()).contains("invalid name 'Alpha_1'").contains("[a-z][a-z0-9-]*");
  }

  /** A provider compiled against a csv2-api this one cannot run (what a future plugin reports). */
  public static class FutureDriverProvider extends AlphaDriverProvider {
    private final String api;

    FutureDriverProvider(String api) {
      this.api = api;
    }

    @Override
    public String name() {
      return "future";
    }

    @Override
    public String apiVersion() {
      return api;
    }
  }

  @Test
  void theApiVersionIsCheckedOnlyWhenAProviderIsLookedUpForUse() {
    PluginCatalog catalog =
        PluginCatalog.builder()
            .serviceLoading(false)
            .addCloudDriverProvider(new AlphaDriverProvider())
            .addCloudDriverProvider(new FutureDriverProvider("2.0"))
            .build();
    assertThat(catalog.cloudDriverNames()).as("an incompatible plugin on the class path is listed").contains("future");
    assertThat(catalog.cloudDriver("alpha").apiVersion()).as("a provider that does not declare its API").isNull();
    PluginException e = catchThrowableOfType(PluginException.class, () -> catalog.cloudDriver("future"));
    assertThat(e.reason()).isEqualTo(PluginException.Reason.INCOMPATIBLE);
    assertThat(e.getMessage())
        .contains("cloud driver provider 'future'")
        .contains("compiled against csv2-api 2.0")
        .contains("this engine's csv2-api " + Csv2Api.VERSION);
  }

  @Test
  void aPluginCompiledAgainstANewerMinorOrAnUnreadableVersionIsIncompatible() {
    String[] api = Csv2Api.VERSION.split("\\.");
    String newerMinor = api[0] + "." + (Integer.parseInt(api[1]) + 1);
    for (String v : new String[] {newerMinor, "1", "one.zero"}) {
      PluginCatalog catalog =
          PluginCatalog.builder().serviceLoading(false).addCloudDriverProvider(new FutureDriverProvider(v)).build();
      PluginException e = catchThrowableOfType(PluginException.class, () -> catalog.cloudDriver("future"));
      assertThat(e.reason()).as("version %s", v).isEqualTo(PluginException.Reason.INCOMPATIBLE);
      assertThat(e.getMessage()).contains(v);
    }
    PluginCatalog same =
        PluginCatalog.builder().serviceLoading(false).addCloudDriverProvider(new FutureDriverProvider(Csv2Api.VERSION)).build();
    assertThat(same.cloudDriver("future").name()).isEqualTo("future");
  }

  /**
   * A third-party driver as Maven builds it: compiled here against csv2-api, packed in a jar whose
   * manifest carries the plugin's own {@code Implementation-Version: 1.0.0}, loaded by its own class
   * loader. The old check compared that release with csv2-api's version and refused the jar.
   */
  @Test
  void aPluginJarWithItsOwnReleaseVersionLoadsAndReportsTheApiItWasCompiledAgainst(@TempDir Path dir)
      throws Exception {
    Path jar = ThirdPartyJar.build(dir, "9.3.0");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, PluginCatalogTest.class.getClassLoader())) {
      PluginCatalog catalog = PluginCatalog.builder().classLoader(loader).build();
      CloudDriverProvider provider = catalog.cloudDriver(ThirdPartyJar.NAME);
      assertThat(provider.getClass().getClassLoader()).isSameAs(loader);
      assertThat(provider.getClass().getPackage().getImplementationVersion()).isEqualTo("9.3.0");
      assertThat(provider.apiVersion()).isEqualTo(Csv2Api.VERSION);
      assertThat(ThirdPartyJar.classFileMentions(jar, "VERSION"))
          .as("javac inlined the constant: no field reference to Csv2Api.VERSION is read at run time")
          .isFalse();
    }
  }

  @Test
  void apiVersionsCompareMajorAndMinor() {
    assertThat(Csv2Api.compatible("1.0", "1.0")).isTrue();
    assertThat(Csv2Api.compatible("1.0", "1.4")).isTrue();
    assertThat(Csv2Api.compatible("1.5", "1.4")).isFalse();
    assertThat(Csv2Api.compatible("2.0", "1.4")).isFalse();
    assertThat(Csv2Api.compatible("0.9", "1.4")).isFalse();
    // before 1.0 a minor version may break the API (semantic versioning's 0.x): same minor only
    assertThat(Csv2Api.compatible("0.1", "0.1")).isTrue();
    assertThat(Csv2Api.compatible("0.1", "0.2")).isFalse();
    assertThat(Csv2Api.compatible("0.2", "0.1")).isFalse();
    assertThat(Csv2Api.runtimeVersion()).isEqualTo(Csv2Api.VERSION);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Csv2Api.compatible("1.0.0", "1.0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'1.0.0'");
  }
}

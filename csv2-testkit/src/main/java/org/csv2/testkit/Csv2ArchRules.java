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

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.csv2.api.Csv2Exception;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.PluginProvider;
import org.csv2.spi.StateStoreProvider;

/**
 * The architecture rules of csv2 (STYLE.md 3.12) as ArchUnit rules, grouped by the module kind
 * that applies them: {@link #API_RULES} for {@code csv2-api}, {@link #CORE_RULES} for {@code
 * csv2-core}, {@link #PLUGIN_RULES} for every plugin, first-party or not. Each group is also one
 * {@link CompositeArchRule} ({@link #API}, {@link #CORE}, {@link #PLUGIN}).
 *
 * <p>With plain JUnit 5 (only {@code csv2-testkit} at test scope):
 *
 * <pre>{@code
 * class ArchitectureTest {
 *   @Test
 *   void followsThePluginRules() {
 *     Csv2ArchRules.PLUGIN.check(Csv2ArchRules.mainClasses("org.csv2.plugin.ec2"));
 *   }
 * }
 * }</pre>
 *
 * <p>With {@code com.tngtech.archunit:archunit-junit5} at test scope:
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "org.csv2.plugin.ec2", importOptions = ImportOption.DoNotIncludeTests.class)
 * class ArchitectureTest {
 *   @ArchTest static final ArchRule pluginRules = Csv2ArchRules.PLUGIN;
 * }
 * }</pre>
 *
 * <p>Every rule allows an empty selection, so a module without loggers or without a {@code that()}
 * match passes instead of failing on "no classes matched".
 */
public final class Csv2ArchRules {
  private static final String[] API_PACKAGES = {"org.csv2.api..", "org.csv2.model..", "org.csv2.spi.."};

  /** {@code csv2-api} depends on the JDK and JSpecify only. */
  public static final ArchRule API_DEPENDS_ONLY_ON_JDK =
      classes()
          .that()
          .resideInAnyPackage(API_PACKAGES)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "org.csv2.api..", "org.csv2.model..", "org.csv2.spi..", "java..", "org.jspecify..")
          .because("csv2-api is the stable contract and must stay free of third-party libraries")
          .allowEmptyShould(true);

  /** {@code org.csv2.model} depends on nothing else of the project. */
  public static final ArchRule MODEL_DEPENDS_ON_NOTHING =
      noClasses()
          .that()
          .resideInAPackage("org.csv2.model..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.csv2.api..", "org.csv2.spi..", "org.csv2.core..", "org.csv2.plugin..", "org.csv2.testkit..")
          .because("the direction inside csv2-api is model <- api <- spi")
          .allowEmptyShould(true);

  /** {@code org.csv2.api} may use the model but not the SPI. */
  public static final ArchRule API_DOES_NOT_USE_SPI =
      noClasses()
          .that()
          .resideInAPackage("org.csv2.api..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.csv2.spi..", "org.csv2.core..", "org.csv2.plugin..", "org.csv2.testkit..")
          .because("the direction inside csv2-api is model <- api <- spi")
          .allowEmptyShould(true);

  /** Public top-level classes of the model are records (or enums, or interfaces). */
  public static final ArchRule MODEL_VALUES_ARE_RECORDS =
      classes()
          .that()
          .resideInAPackage("org.csv2.model..")
          .and()
          .arePublic()
          .and()
          .areTopLevelClasses()
          .and()
          .areNotEnums()
          .and()
          .areNotInterfaces()
          .should(ArchConditions.be(DescribedPredicate.describe("records", JavaClass::isRecord)))
          .because("domain values are immutable records with validating constructors")
          .allowEmptyShould(true);

  /** Unchecked exceptions defined in the api extend {@link Csv2Exception}. */
  public static final ArchRule API_EXCEPTIONS_EXTEND_CSV2_EXCEPTION =
      classes()
          .that()
          .resideInAnyPackage(API_PACKAGES)
          .and()
          .areAssignableTo(RuntimeException.class)
          .should()
          .beAssignableTo(Csv2Exception.class)
          .because("plugins and the engine throw one small, classified hierarchy")
          .allowEmptyShould(true);

  /** No dependency injection framework in the api. */
  public static final ArchRule NO_INJECTION_IN_API =
      noClasses()
          .that()
          .resideInAnyPackage(API_PACKAGES)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.google.inject..", "jakarta.inject..", "javax.inject..")
          .because("a plugin is not required to use Guice")
          .allowEmptyShould(true);

  /** No wall clock and no sleeping in the engine: time comes from the injected clock. */
  public static final ArchRule NO_WALL_CLOCK_IN_CORE =
      noClasses()
          .that()
          .resideInAPackage("org.csv2.core..")
          .should()
          .callMethod(System.class, "currentTimeMillis")
          .orShould()
          .callMethod(Instant.class, "now")
          .orShould()
          .callMethod(LocalDateTime.class, "now")
          .orShould()
          .callMethod(LocalDate.class, "now")
          .orShould()
          .callMethod(LocalTime.class, "now")
          .orShould()
          .callMethod(ZonedDateTime.class, "now")
          .orShould()
          .callMethod(OffsetDateTime.class, "now")
          .orShould()
          .callMethod(Thread.class, "sleep", long.class)
          .orShould()
          .callMethod(Thread.class, "sleep", long.class, int.class)
          .orShould()
          .callMethod(TimeUnit.class, "sleep", long.class)
          .because("the engine reads time only from its injected java.time.Clock, so simulations run in virtual time")
          .allowEmptyShould(true);

  /** Plugins depend on the api, never on the engine or the testkit. */
  public static final ArchRule PLUGINS_USE_ONLY_THE_API =
      noClasses()
          .that()
          .resideInAPackage("org.csv2.plugin..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.csv2.core..", "org.csv2.testkit..")
          .because("plugins depend on csv2-api only")
          .allowEmptyShould(true);

  /** Plugins do not depend on each other. */
  public static final ArchRule PLUGINS_ARE_INDEPENDENT =
      slices()
          .matching("org.csv2.plugin.(*)..")
          .should()
          .notDependOnEachOther()
          .because("plugins depend on csv2-api only")
          .allowEmptyShould(true);

  /** In a plugin under {@code org.csv2.plugin..}, only the classes implementing a provider SPI are public. */
  public static final ArchRule ONLY_PROVIDERS_ARE_PUBLIC_IN_PLUGINS = onlyProvidersArePublicIn("org.csv2.plugin..");

  /** No cycles between the top-level packages {@code org.csv2.*}. */
  public static final ArchRule NO_CYCLES =
      slices().matching("org.csv2.(*)..").should().beFreeOfCycles().allowEmptyShould(true);

  /** SLF4J logger fields are {@code private static final}. */
  public static final ArchRule LOGGERS_ARE_PRIVATE_STATIC_FINAL =
      fields()
          .that()
          .haveRawType("org.slf4j.Logger")
          .should()
          .bePrivate()
          .andShould()
          .beStatic()
          .andShould()
          .beFinal()
          .because("one logger per class: private static final Logger log = LoggerFactory.getLogger(Foo.class)")
          .allowEmptyShould(true);

  /** No {@code java.util.logging}. */
  public static final ArchRule NO_JAVA_UTIL_LOGGING =
      GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.allowEmptyShould(true);

  /** No {@code System.out} or {@code System.err}. */
  public static final ArchRule NO_STANDARD_STREAMS =
      GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.allowEmptyShould(true);

  /** No {@code throw new RuntimeException/Exception/Throwable}. */
  public static final ArchRule NO_GENERIC_EXCEPTIONS =
      GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS.allowEmptyShould(true);

  /** No field injection. */
  public static final ArchRule NO_FIELD_INJECTION =
      GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION.allowEmptyShould(true);

  /** The rules {@code csv2-api} applies to itself. */
  public static final List<ArchRule> API_RULES =
      List.of(
          API_DEPENDS_ONLY_ON_JDK,
          MODEL_DEPENDS_ON_NOTHING,
          API_DOES_NOT_USE_SPI,
          MODEL_VALUES_ARE_RECORDS,
          API_EXCEPTIONS_EXTEND_CSV2_EXCEPTION,
          NO_INJECTION_IN_API,
          NO_CYCLES,
          NO_JAVA_UTIL_LOGGING,
          NO_STANDARD_STREAMS,
          NO_GENERIC_EXCEPTIONS);

  /** The rules {@code csv2-core} applies to itself. */
  public static final List<ArchRule> CORE_RULES =
      List.of(
          NO_WALL_CLOCK_IN_CORE,
          NO_CYCLES,
          LOGGERS_ARE_PRIVATE_STATIC_FINAL,
          NO_JAVA_UTIL_LOGGING,
          NO_STANDARD_STREAMS,
          NO_GENERIC_EXCEPTIONS,
          NO_FIELD_INJECTION);

  /** The rules every plugin applies to itself. */
  public static final List<ArchRule> PLUGIN_RULES =
      List.of(
          PLUGINS_USE_ONLY_THE_API,
          PLUGINS_ARE_INDEPENDENT,
          ONLY_PROVIDERS_ARE_PUBLIC_IN_PLUGINS,
          NO_CYCLES,
          LOGGERS_ARE_PRIVATE_STATIC_FINAL,
          NO_JAVA_UTIL_LOGGING,
          NO_STANDARD_STREAMS,
          NO_GENERIC_EXCEPTIONS,
          NO_FIELD_INJECTION);

  /** {@link #API_RULES} as one rule. */
  public static final ArchRule API = CompositeArchRule.of(API_RULES).allowEmptyShould(true);

  /** {@link #CORE_RULES} as one rule. */
  public static final ArchRule CORE = CompositeArchRule.of(CORE_RULES).allowEmptyShould(true);

  /** {@link #PLUGIN_RULES} as one rule. */
  public static final ArchRule PLUGIN = CompositeArchRule.of(PLUGIN_RULES).allowEmptyShould(true);

  private Csv2ArchRules() {}

  /**
   * The plugin rules for a plugin in any package, first-party or not: what {@link #PLUGIN_RULES}
   * checks for {@code org.csv2.plugin..}, scoped to {@code rootPackage}. Unlike the constants, the
   * rule that only providers are public fails when no class of {@code rootPackage} was imported, so
   * a misspelt package or an empty import is not silently "passed".
   *
   * <pre>{@code
   * Csv2ArchRules.plugin("com.acme.csv2").check(Csv2ArchRules.mainClasses("com.acme.csv2"));
   * }</pre>
   *
   * @param rootPackage the plugin's root package, such as {@code com.acme.csv2}
   * @return the rules
   */
  public static List<ArchRule> pluginRules(String rootPackage) {
    if (!rootPackage.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*")) {
      throw new IllegalArgumentException("not a package name: '" + rootPackage + "'");
    }
    String inside = rootPackage + "..";
    return List.of(
        noClasses()
            .that()
            .resideInAPackage(inside)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.csv2.core..", "org.csv2.testkit..", "org.csv2.plugin..")
            .because("a plugin depends on csv2-api only, not on the engine, the testkit or another plugin")
            .allowEmptyShould(true),
        classes()
            .that()
            .resideInAPackage(inside)
            .and()
            .arePublic()
            .and()
            .areTopLevelClasses()
            .should()
            .beAssignableTo(PluginProvider.class)
            .because("a plugin's only public type is its provider; the rest is package-private")
            .allowEmptyShould(true),
        classes()
            .that()
            .resideInAPackage(inside)
            .should()
            .bePublic()
            .orShould()
            .notBePublic()
            .as("the plugin " + rootPackage + " has classes (is the package imported?)")
            .allowEmptyShould(false),
        slices().matching(rootPackage + ".(*)..").should().beFreeOfCycles().allowEmptyShould(true),
        LOGGERS_ARE_PRIVATE_STATIC_FINAL,
        NO_JAVA_UTIL_LOGGING,
        NO_STANDARD_STREAMS,
        NO_GENERIC_EXCEPTIONS,
        NO_FIELD_INJECTION);
  }

  /**
   * {@link #pluginRules(String)} as one rule.
   *
   * @param rootPackage the plugin's root package
   * @return the rule
   */
  public static ArchRule plugin(String rootPackage) {
    return CompositeArchRule.of(pluginRules(rootPackage));
  }

  /**
   * The rule that only provider classes are public, for a plugin outside {@code org.csv2.plugin}.
   *
   * @param packageIdentifiers ArchUnit package identifiers, such as {@code org.example.csv2..}
   * @return the rule
   */
  public static ArchRule onlyProvidersArePublicIn(String... packageIdentifiers) {
    return classes()
        .that()
        .resideInAnyPackage(packageIdentifiers)
        .and()
        .arePublic()
        .and()
        .areTopLevelClasses()
        .should()
        .beAssignableTo(CloudDriverProvider.class)
        .orShould()
        .beAssignableTo(JobSourceProvider.class)
        .orShould()
        .beAssignableTo(StateStoreProvider.class)
        .because("a plugin's only public type is its provider; the rest is package-private")
        .allowEmptyShould(true);
  }

  /**
   * Imports the main (non-test) classes of some packages from the class path.
   *
   * @param packages package names, such as {@code org.csv2.plugin.ec2}
   * @return the classes
   */
  public static JavaClasses mainClasses(String... packages) {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(packages);
  }
}

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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.acme.bad.AcmeHelper;
import com.acme.good.AcmeDriverProvider;
import org.csv2.core.archfixture.WallClockReader;
import org.csv2.plugin.archfixture.PublicHelper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The architecture rules hold for csv2-api and catch the violations they exist for. */
class Csv2ArchRulesTest {
  @Test
  @DisplayName("csv2-api follows the API rules")
  void apiFollowsTheApiRules() {
    JavaClasses api = Csv2ArchRules.mainClasses("org.csv2.api", "org.csv2.model", "org.csv2.spi");
    assertThat(api.contain(org.csv2.model.Vm.class)).as("the api classes were imported").isTrue();
    Csv2ArchRules.API.check(api);
  }

  @Test
  @DisplayName("the core rules catch a wall-clock read")
  void coreRulesCatchTheWallClock() {
    JavaClasses classes = new ClassFileImporter().importClasses(WallClockReader.class);
    assertThatThrownBy(() -> Csv2ArchRules.CORE.check(classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Instant.now()");
  }

  @Test
  @DisplayName("the plugin rules catch a public class that is not a provider")
  void pluginRulesCatchAPublicHelper() {
    JavaClasses classes = new ClassFileImporter().importClasses(PublicHelper.class);
    assertThatThrownBy(() -> Csv2ArchRules.PLUGIN.check(classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(PublicHelper.class.getName());
  }

  @Test
  @DisplayName("the plugin rules pass a plugin whose only public class is its provider")
  void pluginRulesPassAProviderOnly() {
    JavaClasses classes = new ClassFileImporter().importClasses(FakeCloudDriverProvider.class, FakeCloud.class);
    Csv2ArchRules.PLUGIN.check(classes);
    assertThat(classes).isNotEmpty();
  }

  @Test
  @DisplayName("the plugin rules for any package catch a com.acme plugin's public helper and its use of the engine")
  void pluginRulesForAnyPackageCatchAThirdPartyPlugin() {
    JavaClasses classes = new ClassFileImporter().importPackages("com.acme.bad");
    assertThat(classes.contain(AcmeHelper.class)).isTrue();
    assertThatThrownBy(() -> Csv2ArchRules.plugin("com.acme.bad").check(classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Class <" + AcmeHelper.class.getName() + "> is not assignable to org.csv2.spi.PluginProvider")
        .hasMessageContaining("org.csv2.core.archfixture.WallClockReader");
  }

  @Test
  @DisplayName("the plugin rules for any package pass a com.acme plugin whose only public class is its provider")
  void pluginRulesForAnyPackagePassAGoodThirdPartyPlugin() {
    JavaClasses classes = new ClassFileImporter().importPackages("com.acme.good");
    assertThat(classes.contain(AcmeDriverProvider.class)).isTrue();
    Csv2ArchRules.plugin("com.acme.good").check(classes);
  }

  @Test
  @DisplayName("the plugin rules for a package fail when none of its classes was imported")
  void pluginRulesForAPackageFailOnAnEmptyImport() {
    JavaClasses classes = new ClassFileImporter().importPackages("com.acme.good");
    assertThatThrownBy(() -> Csv2ArchRules.plugin("com.acme.goood").check(classes))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("com.acme.goood has classes");
    assertThatThrownBy(() -> Csv2ArchRules.pluginRules("com..acme")).isInstanceOf(IllegalArgumentException.class);
  }
}

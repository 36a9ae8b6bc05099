package org.csv2.plugin.jdbc;

import org.csv2.testkit.Csv2ArchRules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  @Test
  @DisplayName("the jdbc store follows the plugin rules: api only, only the provider public, no System.out")
  void followsThePluginRules() {
    Csv2ArchRules.PLUGIN.check(Csv2ArchRules.mainClasses("org.csv2.plugin.jdbc"));
  }
}

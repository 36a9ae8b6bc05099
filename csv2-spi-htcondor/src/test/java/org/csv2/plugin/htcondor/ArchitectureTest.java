package org.csv2.plugin.htcondor;

import org.csv2.testkit.Csv2ArchRules;
import org.junit.jupiter.api.Test;

/** The plugin architecture rules of csv2 (only the providers are public, api-only, logging rules). */
class ArchitectureTest {
  @Test
  void followsThePluginRules() {
    Csv2ArchRules.PLUGIN.check(Csv2ArchRules.mainClasses("org.csv2.plugin.htcondor"));
  }
}

package org.csv2.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.csv2.testkit.Csv2ArchRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private static final JavaClasses CORE = Csv2ArchRules.mainClasses("org.csv2.core");

  @Test
  void coreFollowsTheCoreRules() {
    Csv2ArchRules.CORE.check(CORE);
  }

  @Test
  void onlyTheSchedulerAndTheOperationsArePublicInTheRootPackage() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
        .that()
        .resideInAPackage("org.csv2.core")
        .and()
        .arePublic()
        .and()
        .areTopLevelClasses()
        .should()
        .haveSimpleName("Csv2Scheduler")
        .orShould()
        .haveSimpleName("Csv2Operations")
        .allowEmptyShould(true)
        .check(CORE);
  }
}

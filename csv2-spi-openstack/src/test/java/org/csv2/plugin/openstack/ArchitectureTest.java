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
package org.csv2.plugin.openstack;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.csv2.testkit.Csv2ArchRules;
import org.junit.jupiter.api.Test;

/**
 * The plugin architecture rules of csv2 (only the provider is public, api-only, logging rules).
 * One more class is public: {@link ClosingHttpExecutorService}, which OpenStack4j's {@link
 * java.util.ServiceLoader} can only instantiate when it is.
 */
class ArchitectureTest {
  @Test
  void followsThePluginRules() {
    JavaClasses all = Csv2ArchRules.mainClasses("org.csv2.plugin.openstack");
    Csv2ArchRules.PLUGIN.check(all.that(not(equivalentTo(ClosingHttpExecutorService.class))));
  }
}

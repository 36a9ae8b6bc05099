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

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import java.util.Map;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.StateStoreProvider;
import org.junit.jupiter.api.Test;

class PluginModuleTest {
  @Test
  void bindsTheCatalogsProvidersByNameInProductionStage() {
    PluginCatalogTest.AlphaDriverProvider alpha = new PluginCatalogTest.AlphaDriverProvider();
    PluginCatalogTest.BetaSourceProvider beta = new PluginCatalogTest.BetaSourceProvider();
    PluginCatalog catalog =
        PluginCatalog.builder()
            .serviceLoading(false)
            .addCloudDriverProvider(alpha)
            .addJobSourceProvider(beta)
            .build();

    Injector injector = Guice.createInjector(Stage.PRODUCTION, new PluginModule(catalog));

    assertThat(injector.getInstance(Key.get(new TypeLiteral<Map<String, CloudDriverProvider>>() {})))
        .containsExactly(Map.entry("alpha", alpha));
    assertThat(injector.getInstance(Key.get(new TypeLiteral<Map<String, JobSourceProvider>>() {})))
        .containsExactly(Map.entry("beta", beta));
    assertThat(injector.getInstance(Key.get(new TypeLiteral<Map<String, StateStoreProvider>>() {}))).isEmpty();
    PluginCatalog bound = injector.getInstance(PluginCatalog.class);
    assertThat(bound).as("the catalog of the map bindings, one per injector").isSameAs(injector.getInstance(PluginCatalog.class));
    assertThat(bound.cloudDriver("alpha")).isSameAs(alpha);
    assertThat(bound.jobSource("beta")).isSameAs(beta);
    assertThat(bound.plannerNames()).containsExactly("csv2-classic", "default");
  }
}

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

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import java.util.Map;
import java.util.Objects;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.JobSourceProvider;
import org.csv2.spi.PlannerProvider;
import org.csv2.spi.StateStoreProvider;

/**
 * Binds the providers of an already built {@link PluginCatalog} as map bindings, and provides the
 * catalog the engine uses from those maps, so that providers an embedder's module adds to the maps
 * are plugins like the others. It loads nothing itself, so it has no side effects.
 *
 * <p>Bindings:
 *
 * <ul>
 *   <li>{@code PluginCatalog}: the catalog of the maps below (the embedder's entries included);
 *   <li>{@code Map<String, CloudDriverProvider>} (MapBinder): the cloud drivers by name;
 *   <li>{@code Map<String, JobSourceProvider>} (MapBinder): the job sources by name;
 *   <li>{@code Map<String, StateStoreProvider>} (MapBinder): the state stores by name;
 *   <li>{@code Map<String, PlannerProvider>} (MapBinder): the planning policies by name.
 * </ul>
 *
 * <p>The catalog already rejects duplicate names; MapBinder's refusal of duplicate keys is the
 * backstop.
 */
public final class PluginModule extends AbstractModule {
  private final PluginCatalog catalog;

  /**
   * Creates the module.
   *
   * @param catalog the loaded providers
   */
  public PluginModule(PluginCatalog catalog) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  @Override
  protected void configure() {
    binder().requireExplicitBindings();
    binder().requireAtInjectOnConstructors();
    binder().disableCircularProxies();
    MapBinder<String, CloudDriverProvider> clouds =
        MapBinder.newMapBinder(binder(), String.class, CloudDriverProvider.class);
    for (Map.Entry<String, CloudDriverProvider> e : catalog.cloudDrivers().entrySet()) {
      clouds.addBinding(e.getKey()).toInstance(e.getValue());
    }
    MapBinder<String, JobSourceProvider> sources =
        MapBinder.newMapBinder(binder(), String.class, JobSourceProvider.class);
    for (Map.Entry<String, JobSourceProvider> e : catalog.jobSources().entrySet()) {
      sources.addBinding(e.getKey()).toInstance(e.getValue());
    }
    MapBinder<String, StateStoreProvider> stores =
        MapBinder.newMapBinder(binder(), String.class, StateStoreProvider.class);
    for (Map.Entry<String, StateStoreProvider> e : catalog.stateStores().entrySet()) {
      stores.addBinding(e.getKey()).toInstance(e.getValue());
    }
    MapBinder<String, PlannerProvider> planners =
        MapBinder.newMapBinder(binder(), String.class, PlannerProvider.class);
    for (Map.Entry<String, PlannerProvider> e : catalog.planners().entrySet()) {
      planners.addBinding(e.getKey()).toInstance(e.getValue());
    }
  }

  /**
   * The catalog the engine creates its plugins from: the providers of the map bindings, that is
   * those of the loaded catalog plus any an embedder's module adds ({@code
   * MapBinder.newMapBinder(binder(), String.class, CloudDriverProvider.class).addBinding("x")}).
   */
  @Provides
  @Singleton
  PluginCatalog catalog(
      Map<String, CloudDriverProvider> clouds,
      Map<String, JobSourceProvider> sources,
      Map<String, StateStoreProvider> stores,
      Map<String, PlannerProvider> planners) {
    return PluginCatalog.of(clouds, sources, stores, planners);
  }
}

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
package org.csv2.core.engine;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.csv2.api.StateStoreException;
import org.csv2.core.config.Csv2Config;
import org.csv2.model.StoredConfig;
import org.csv2.spi.StateStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 0 of the cycle, <b>configure</b>: saves the running configuration in a store that holds
 * none (at the first cycle), and applies a newer stored version.
 *
 * <p>In: the stored configuration. Out: the configuration the cycle runs with.
 */
final class ConfigStep {
  private static final Logger log = LoggerFactory.getLogger(ConfigStep.class);

  private final StateStore store;
  private final Reconciler.@Nullable ConfigReloader reloader;
  private final @Nullable String runningDocument;
  private final String leaseOwner;
  private volatile Csv2Config config;
  private boolean configSeedChecked;
  private long appliedConfigVersion;
  private long runningVersion;
  /**
   * The clouds (name, driver and settings) the engine started with, whose drivers it holds: a stored
   * configuration may drop some (their VMs are then retired) or bring them back, but not add others.
   */
  private final Set<String> startedClouds;

  ConfigStep(
      Csv2Config config,
      StateStore store,
      Reconciler.@Nullable ConfigReloader reloader,
      @Nullable String runningDocument,
      String leaseOwner) {
    this.config = config;
    this.store = store;
    this.reloader = reloader;
    this.runningDocument = runningDocument;
    this.leaseOwner = leaseOwner;
    this.appliedConfigVersion = reloader == null ? 0 : storedConfigVersion();
    this.startedClouds = cloudKeys(config);
  }

  /** The configuration in force. */
  Csv2Config current() {
    return config;
  }

  /** The stored configuration version in force, 0 if none (a configuration built in code). */
  long runningVersion() {
    return runningVersion;
  }

  /**
   * Seeds the store and applies a newer stored configuration.
   *
   * @return the configuration for this cycle
   */
  Csv2Config refresh(List<String> failures) {
    seedStoredConfig(failures);
    reloadConfig(failures);
    return config;
  }

  private long storedConfigVersion() {
    try {
      return store.config().map(StoredConfig::version).orElse(0L);
    } catch (RuntimeException e) {
      log.warn("state store: stored configuration not read", e);
      return 0;
    }
  }

  /**
   * At the first cycle, saves the running configuration's YAML text in a store that holds none,
   * so that operators can change it there. Only the original text is saved (secrets stay
   * {@code ${ENV}} references), and only when the engine was built from text or a file.
   */
  private void seedStoredConfig(List<String> failures) {
    if (configSeedChecked || reloader == null || runningDocument == null) {
      return;
    }
    try {
      if (store.config().isEmpty()) {
        StoredConfig saved = store.saveConfig(runningDocument, 0, leaseOwner);
        appliedConfigVersion = Math.max(appliedConfigVersion, saved.version());
        runningVersion = saved.version();
        log.info("running configuration saved in the state store as version {} by {}", saved.version(), leaseOwner);
      }
      configSeedChecked = true;
    } catch (StateStoreException e) {
      if (e.reason() == StateStoreException.Reason.CONFLICT) {
        configSeedChecked = true;
        log.info("another engine saved its configuration first; it is applied like any stored change");
        return;
      }
      failures.add("state store: running configuration not saved: " + e.getMessage() + " (tried again next cycle)");
      CycleLog.warnFailure(log, "state store: running configuration not saved; tried again next cycle", e);
    } catch (RuntimeException e) {
      failures.add("state store: running configuration not saved: " + e.getMessage() + " (tried again next cycle)");
      CycleLog.warnFailure(log, "state store: running configuration not saved; tried again next cycle", e);
    }
  }

  private void reloadConfig(List<String> failures) {
    if (reloader == null) {
      return;
    }
    Optional<StoredConfig> stored;
    try {
      stored = store.config();
    } catch (RuntimeException e) {
      failures.add("state store: configuration not read: " + e.getMessage());
      return;
    }
    if (stored.isEmpty() || stored.get().version() <= appliedConfigVersion) {
      return;
    }
    StoredConfig sc = stored.get();
    appliedConfigVersion = sc.version();
    Csv2Config next;
    try {
      next = reloader.parse(sc);
    } catch (RuntimeException e) {
      failures.add("stored configuration version " + sc.version() + " rejected: " + e.getMessage());
      log.error("stored configuration version {} by {} rejected; the running one stays", sc.version(), sc.updatedBy(), e);
      return;
    }
    if (!startedClouds.containsAll(cloudKeys(next))) {
      failures.add(
          "stored configuration version "
              + sc.version()
              + " adds a cloud or changes the clouds or their drivers: that needs a restart; the running one stays");
      log.error(
          "stored configuration version {} by {} adds a cloud or changes a cloud's driver settings, which needs a restart: refused, the running configuration stays",
          sc.version(),
          sc.updatedBy());
      return;
    }
    config = next;
    runningVersion = sc.version();
    log.info("configuration version {} by {} applied", sc.version(), sc.updatedBy());
  }

  private static Set<String> cloudKeys(Csv2Config c) {
    return c.clouds().stream()
        .map(cc -> cc.cloud().name() + "=" + cc.driver().driver() + cc.driver().config())
        .collect(Collectors.toSet());
  }
}

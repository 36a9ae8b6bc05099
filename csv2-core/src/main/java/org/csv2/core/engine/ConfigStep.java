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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.csv2.api.StateStoreException;
import org.csv2.core.config.CloudConfig;
import org.csv2.core.config.Csv2Config;
import org.csv2.model.StoredConfig;
import org.csv2.spi.CloudDriver;
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
   * The clouds (name, driver and settings) the engine holds drivers for. A stored configuration may
   * drop some (their VMs are then retired) or bring them back; one that adds a cloud or changes a
   * cloud's driver settings gets a new driver from the {@link #installer} (without one it is
   * refused).
   */
  private final Set<String> knownClouds;
  private @Nullable CloudInstaller installer;

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
    this.knownClouds = new HashSet<>(cloudKeys(config));
  }

  /** Creates and installs the drivers of clouds that a stored configuration adds or changes. */
  interface CloudInstaller {
    /**
     * Creates a cloud's driver.
     *
     * @param cloud the cloud's configuration
     * @return the driver
     * @throws RuntimeException the plugin's failure
     */
    CloudDriver create(CloudConfig cloud);

    /**
     * Puts a new gateway over the driver in place of the cloud's (if any), whose driver is closed.
     *
     * @param cloud the cloud's configuration
     * @param driver its new driver
     */
    void install(CloudConfig cloud, CloudDriver driver);
  }

  /** Lets stored configurations add clouds and change their driver settings. */
  void installer(CloudInstaller clouds) {
    this.installer = clouds;
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
    if (!next.jobSources().equals(config.jobSources())) {
      failures.add(
          "stored configuration version " + sc.version()
              + " changes the job sources (names, drivers or settings): that needs a restart; the running configuration stays");
      log.error("stored configuration version {} by {} changes the job sources, which needs a restart: refused", sc.version(), sc.updatedBy());
      return;
    }
    List<CloudConfig> added = new ArrayList<>();
    for (CloudConfig cc : next.clouds()) {
      if (!knownClouds.contains(cloudKey(cc))) {
        added.add(cc);
      }
    }
    if (!added.isEmpty() && !installClouds(sc, added, failures)) {
      return;
    }
    config = next;
    runningVersion = sc.version();
    log.info("configuration version {} by {} applied", sc.version(), sc.updatedBy());
  }

  /**
   * Creates the drivers of the clouds a stored version adds or changes, then installs them all; if
   * one cannot be created, none is installed and the version is refused.
   */
  private boolean installClouds(StoredConfig sc, List<CloudConfig> added, List<String> failures) {
    List<String> names = added.stream().map(cc -> cc.cloud().name().value()).toList();
    if (installer == null) {
      failures.add(
          "stored configuration version " + sc.version() + " adds or changes clouds " + names
              + ": this engine cannot create drivers while it runs (restart it); the running configuration stays");
      log.error("stored configuration version {} by {} adds or changes clouds {}: refused, the running configuration stays", sc.version(), sc.updatedBy(), names);
      return false;
    }
    Map<CloudConfig, CloudDriver> created = new LinkedHashMap<>();
    for (CloudConfig cc : added) {
      try {
        created.put(cc, installer.create(cc));
      } catch (RuntimeException e) {
        failures.add(
            "stored configuration version " + sc.version() + " rejected: cloud " + cc.cloud().name()
                + " (driver " + cc.driver().driver() + ") could not be started: " + e.getMessage() + "; the running configuration stays");
        log.error("stored configuration version {}: cloud {} could not be started; the running configuration stays", sc.version(), cc.cloud().name(), e);
        created.values().forEach(ConfigStep::closeQuietly);
        return false;
      }
    }
    created.forEach((cc, driver) -> {
      installer.install(cc, driver);
      knownClouds.removeIf(k -> k.startsWith(cc.cloud().name() + "="));
      knownClouds.add(cloudKey(cc));
      log.info("cloud {} (driver {}) {} from configuration version {}", cc.cloud().name(), cc.driver().driver(), "started", sc.version());
    });
    return true;
  }

  private static void closeQuietly(CloudDriver d) {
    try {
      d.close();
    } catch (RuntimeException e) {
      log.warn("a driver created for a refused configuration failed to close", e);
    }
  }

  private static Set<String> cloudKeys(Csv2Config c) {
    return c.clouds().stream().map(ConfigStep::cloudKey).collect(Collectors.toSet());
  }

  private static String cloudKey(CloudConfig cc) {
    return cc.cloud().name() + "=" + cc.driver().driver() + cc.driver().config();
  }
}

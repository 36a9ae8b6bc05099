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
package org.csv2.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.csv2.api.ConfigurationException;
import org.csv2.api.StateStoreException;
import org.csv2.api.ops.Actor;
import org.csv2.api.ops.AuditEntry;
import org.csv2.api.ops.CloudSpec;
import org.csv2.api.ops.CloudView;
import org.csv2.api.ops.ConfigChange;
import org.csv2.api.ops.Controls;
import org.csv2.api.ops.GroupDefaults;
import org.csv2.api.ops.GroupStatus;
import org.csv2.api.ops.Intent;
import org.csv2.api.ops.IntentKind;
import org.csv2.api.ops.JobFilter;
import org.csv2.api.ops.JobView;
import org.csv2.api.ops.OperationException;
import org.csv2.api.ops.Operations;
import org.csv2.api.ops.Versioned;
import org.csv2.api.ops.VmFilter;
import org.csv2.api.ops.VmView;
import org.csv2.core.config.ConfigDocument;
import org.csv2.core.config.Csv2Config;
import org.csv2.core.ops.ConfigEdits;
import org.csv2.core.ops.ConfigEdits.Edited;
import org.csv2.core.ops.ConfigNodes;
import org.csv2.model.Alias;
import org.csv2.model.AliasName;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.StoredConfig;
import org.csv2.model.UserDataDocument;
import org.csv2.model.Vm;
import org.csv2.model.VmId;
import org.csv2.model.VmState;
import org.csv2.spi.OperatorWrite;
import org.csv2.spi.StateStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Operations} of csv2, over a state store: what a running {@link Csv2Scheduler} hands
 * out from {@code operations()}, and what a second process (a web server, a CLI) builds with
 * {@link #over(StateStore, Clock)} on the same database, without running an engine.
 *
 * <p>Act verbs check the VM or allocation in the store, then write the intent and its audit entry
 * in one {@link StateStore#submit} call. Configuration verbs read the stored configuration
 * document ({@link StateStore#config()}), edit it as a YAML tree (secrets stay {@code ${ENV}}
 * references), validate the result with the YAML loader (every problem at once), and write it with
 * the version read, its audit entry and any retirements in one {@code submit}: a concurrent save
 * makes it a {@code CONFLICT}, never a lost update. Engines apply the new version at their next
 * cycle.
 *
 * <p>Validation resolves {@code ${ENV}} references from the environment given to the builder
 * (default: this process's); a reference unset here is validated as its literal text, since the
 * engine, not this process, resolves it when it applies the version.
 *
 * <p><b>Thread safety:</b> safe for concurrent use; it keeps no state but the store's.
 */
public final class Csv2Operations implements Operations {
  private static final Logger log = LoggerFactory.getLogger(Csv2Operations.class);
  /** The most VM names a refusal lists. */
  private static final int NAMES_SHOWN = 5;

  private final StateStore store;
  private final Clock clock;
  private final Function<String, @Nullable String> env;
  private final Path baseDir;
  private final @Nullable Supplier<Csv2Config> fallback;

  private Csv2Operations(
      StateStore store, Clock clock, Function<String, @Nullable String> env, Path baseDir,
      @Nullable Supplier<Csv2Config> fallback) {
    this.store = store;
    this.clock = clock;
    this.env = env;
    this.baseDir = baseDir;
    this.fallback = fallback;
  }

  /**
   * Operations over a store, with this process's environment and working directory for
   * validation.
   *
   * @param store the state store the engines use
   * @param clock the clock that stamps intents and audit entries
   * @return the operations
   */
  public static Csv2Operations over(StateStore store, Clock clock) {
    return builder(store, clock).build();
  }

  /**
   * A builder.
   *
   * @param store the state store the engines use
   * @param clock the clock that stamps intents and audit entries
   * @return the builder
   */
  public static Builder builder(StateStore store, Clock clock) {
    return new Builder(store, clock);
  }

  /** Builds {@link Csv2Operations}. Not thread-safe. */
  public static final class Builder {
    private final StateStore store;
    private final Clock clock;
    private Function<String, @Nullable String> env = System::getenv;
    private Path baseDir = Path.of("");
    private @Nullable Supplier<Csv2Config> fallback;

    private Builder(StateStore store, Clock clock) {
      this.store = Objects.requireNonNull(store, "store");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The environment {@code ${ENV}} references are validated with.
     *
     * @param environment name to value, null for unset
     * @return this builder
     */
    public Builder env(Function<String, @Nullable String> environment) {
      this.env = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * The directory user-data {@code file:} paths are relative to (the engine's configuration
     * file's directory).
     *
     * @param dir the directory
     * @return this builder
     */
    public Builder baseDir(Path dir) {
      this.baseDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * The configuration the engines run with while the store holds none: that of an engine built
     * from a {@link Csv2Config} object, which saves no document in the store. The read verbs
     * (groups, allocations, reservations, accounting, images) use it, as version 0; the
     * configuration verbs still need a stored document to edit.
     *
     * @param config the engine's configuration in force, read at each call
     * @return this builder
     */
    public Builder config(Supplier<Csv2Config> config) {
      this.fallback = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The configuration the engines run with while the store holds none ({@link #config(Supplier)}).
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder config(Csv2Config config) {
      Objects.requireNonNull(config, "config");
      return config(() -> config);
    }

    /**
     * The operations.
     *
     * @return the operations
     */
    public Csv2Operations build() {
      Function<String, @Nullable String> e = env;
      return new Csv2Operations(store, clock, name -> {
        String v = e.apply(name);
        return v != null ? v : "${" + name + "}";
      }, baseDir, fallback);
    }
  }

  // ------------------------------------------------------------------------------------- VMs

  @Override
  public List<VmView> vms(Actor actor, VmFilter filter) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(filter, "filter");
    Instant now = clock.instant();
    List<Vm> vms = store.vms().stream().filter(filter::matches).toList();
    if (vms.isEmpty()) {
      return List.of();
    }
    Map<VmId, GroupStatus.VmFigures> figures = new HashMap<>();
    for (GroupStatus s : statuses()) {
      s.vms().forEach(f -> figures.put(f.vm(), f));
    }
    Set<GroupName> groups = vms.stream().map(Vm::group).collect(Collectors.toSet());
    Map<VmId, List<Intent>> pending = new HashMap<>();
    for (Intent i : pendingIntents(groups)) {
      if (i.vm() != null) {
        pending.computeIfAbsent(i.vm(), k -> new ArrayList<>()).add(i);
      }
    }
    List<VmView> out = new ArrayList<>(vms.size());
    for (Vm vm : vms) {
      GroupStatus.VmFigures f = figures.get(vm.id());
      out.add(
          new VmView(
              vm,
              nonNegative(Duration.between(vm.createdAt(), now)),
              nonNegative(Duration.between(vm.stateSince(), now)),
              f == null ? -1 : f.slotsBusy(),
              f == null ? -1 : f.slotsIdle(),
              f == null ? -1 : f.jobs(),
              vm.state() == VmState.ERROR ? vm.reason() : "",
              pending.getOrDefault(vm.id(), List.of())));
    }
    return out;
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  private List<Intent> pendingIntents(Collection<GroupName> groups) {
    try {
      return store.pendingIntents(groups);
    } catch (UnsupportedOperationException e) {
      return List.of();
    }
  }

  private List<GroupStatus> statuses() {
    try {
      return store.statuses();
    } catch (UnsupportedOperationException e) {
      return List.of();
    }
  }

  @Override
  public Intent retire(Actor actor, VmId vm) {
    return act(actor, vm, IntentKind.RETIRE, Map.of(), "vm retire");
  }

  @Override
  public Intent kill(Actor actor, VmId vm, boolean force) {
    return act(actor, vm, IntentKind.KILL, force ? Map.of("force", "true") : Map.of(), "vm kill");
  }

  @Override
  public Intent manual(Actor actor, VmId vm, boolean on) {
    return act(actor, vm, on ? IntentKind.MANUAL_ON : IntentKind.MANUAL_OFF, Map.of(), on ? "vm manctl" : "vm sysctl");
  }

  @Override
  public Intent sysctl(Actor actor, VmId vm) {
    return manual(actor, vm, false);
  }

  private Intent act(Actor actor, VmId id, IntentKind kind, Map<String, String> parameters, String action) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(id, "vm");
    Vm vm =
        store.vm(id)
            .orElseThrow(
                () -> new OperationException(
                    OperationException.Reason.NOT_FOUND,
                    action + ": VM " + id + " is not in the state store (terminated and forgotten, or never csv2's); list VMs with vm list"));
    List<Intent> pending = pendingIntents(List.of(vm.group())).stream().filter(i -> id.equals(i.vm())).toList();
    boolean manual = vm.manual();
    for (Intent i : pending) {
      if (i.kind() == IntentKind.MANUAL_ON) {
        manual = true;
      } else if (i.kind() == IntentKind.MANUAL_OFF) {
        manual = false;
      }
      if (i.kind() == kind) {
        throw refused(action + ": VM " + id + " already has a pending " + kind + " (intent " + i.id() + " by " + i.actor() + ")");
      }
    }
    String refusal = refusal(kind, vm, manual, Boolean.parseBoolean(parameters.get("force")));
    if (refusal != null) {
      throw refused(action + ": VM " + id + " " + refusal);
    }
    Instant now = clock.instant();
    Intent intent = Intent.forVm(kind, vm.group(), vm.cloud(), id, parameters, actor, now);
    AuditEntry audit = AuditEntry.of(now, actor, action, id.value(), describe(vm), describe(intent));
    Intent stored = store.submit(new OperatorWrite(null, 0, actor.name(), List.of(intent), List.of(audit))).intents().get(0);
    log.info("{}: {} by {} stored as intent {}", action, id, actor, stored.id());
    return stored;
  }

  private static @Nullable String refusal(IntentKind kind, Vm vm, boolean manual, boolean force) {
    VmState s = vm.state();
    if (s == VmState.TERMINATED) {
      return "is terminated";
    }
    return switch (kind) {
      case RETIRE -> manual
          ? "is under manual control: the engine does not retire it; hand it back with sysctl first, or kill it"
          : s == VmState.RETIRING || s == VmState.TERMINATING ? "is already " + s.name().toLowerCase(java.util.Locale.ROOT) : null;
      case KILL -> s == VmState.TERMINATING
          ? "is already terminating"
          : manual && !force ? "is under manual control: kill it with force, or hand it back with sysctl first" : null;
      case MANUAL_ON -> manual ? "is already under manual control" : s == VmState.TERMINATING ? "is terminating" : null;
      case MANUAL_OFF -> manual ? null : "is not under manual control";
      case RETAIN -> null;
    };
  }

  @Override
  public Intent retain(Actor actor, GroupName group, CloudName cloud, int count) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(cloud, "cloud");
    String action = "vm retain";
    if (count < 0) {
      throw refused(action + ": the count must be >= 0, was " + count);
    }
    boolean allocated = currentConfig().map(c -> c.value().allocations().stream()
        .anyMatch(a -> a.group().equals(group) && a.cloud().equals(cloud))).orElse(false);
    List<Vm> vms = store.vms().stream().filter(v -> v.group().equals(group) && v.cloud().equals(cloud)).toList();
    if (!allocated && vms.isEmpty()) {
      throw new OperationException(
          OperationException.Reason.NOT_FOUND,
          action + ": group " + group + " is not allocated on cloud " + cloud + " and has no VMs there");
    }
    Instant now = clock.instant();
    Intent intent = Intent.retain(group, cloud, count, actor, now);
    long live = vms.stream().filter(v -> v.state() != VmState.TERMINATED && !v.manual()).count();
    AuditEntry audit =
        AuditEntry.of(now, actor, action, group + "/" + cloud, live + " live VM(s) not manual", describe(intent));
    Intent stored = store.submit(new OperatorWrite(null, 0, actor.name(), List.of(intent), List.of(audit))).intents().get(0);
    log.info("{}: {}/{} keep {} by {} stored as intent {}", action, group, cloud, count, actor, stored.id());
    return stored;
  }

  @Override
  public List<Intent> intents(Actor actor, @Nullable GroupName group, int limit) {
    Objects.requireNonNull(actor, "actor");
    return store.intents(group, limit);
  }

  private static String describe(Vm vm) {
    return "vm " + vm.id() + ": group=" + vm.group() + " cloud=" + vm.cloud() + " flavor=" + vm.flavor()
        + " state=" + vm.state() + " since=" + vm.stateSince() + " manual=" + vm.manual() + " version=" + vm.version();
  }

  private static String describe(Intent i) {
    return "intent " + i.kind() + " on " + i.target() + (i.parameters().isEmpty() ? "" : " " + new java.util.TreeMap<>(i.parameters()));
  }

  private static OperationException refused(String message) {
    return new OperationException(OperationException.Reason.REFUSED, message);
  }

  // ---------------------------------------------------------------------------------- clouds

  @Override
  public List<CloudView> clouds(Actor actor) {
    Objects.requireNonNull(actor, "actor");
    Optional<StoredConfig> stored = store.config();
    if (stored.isEmpty()) {
      return List.of();
    }
    ConfigDocument doc = ConfigDocument.parse(stored.get().document(), source(stored.get()));
    Csv2Config config = validate(doc, stored.get());
    List<Vm> vms = store.vms();
    List<GroupStatus> statuses = statuses();
    List<CloudView> out = new ArrayList<>();
    for (JsonNode node : doc.list("clouds")) {
      CloudName name = CloudName.of(node.path("name").asText());
      JsonNode enabled = node.get("enabled");
      CloudSpec spec =
          new CloudSpec(
              name,
              node.path("driver").asText(),
              enabled == null || enabled.isNull() || enabled.asBoolean(),
              ConfigDocument.toMap(ConfigNodes.redact(node.get("config"))));
      List<Allocation> allocations = config.allocations().stream().filter(a -> a.cloud().equals(name)).toList();
      List<GroupStatus.CloudFigures> figures = new ArrayList<>();
      for (GroupStatus s : statuses) {
        s.clouds().stream().filter(c -> c.cloud().equals(name)).forEach(figures::add);
      }
      int live = (int) vms.stream().filter(v -> v.cloud().equals(name) && v.state() != VmState.TERMINATED).count();
      out.add(new CloudView(spec, allocations, figures, live, stored.get().version()));
    }
    return out;
  }

  @Override
  public ConfigChange enableCloud(Actor actor, CloudName cloud, long expectedVersion) {
    return configure(actor, "cloud enable", "cloud " + cloud, expectedVersion, doc -> ConfigEdits.setCloudEnabled(doc, cloud, true));
  }

  @Override
  public ConfigChange pauseCloud(Actor actor, CloudName cloud, long expectedVersion) {
    return configure(actor, "cloud pause", "cloud " + cloud, expectedVersion, doc -> ConfigEdits.setCloudEnabled(doc, cloud, false));
  }

  @Override
  public ConfigChange disableCloud(Actor actor, CloudName cloud, long expectedVersion) {
    return configure(
        actor, "cloud disable", "cloud " + cloud, expectedVersion,
        doc -> ConfigEdits.setCloudEnabled(doc, cloud, false)
            .withRetirements(liveVms(v -> v.cloud().equals(cloud), "cloud disable: cloud " + cloud, true)));
  }

  @Override
  public ConfigChange setControls(Actor actor, GroupName group, CloudName cloud, Controls controls, long expectedVersion) {
    Objects.requireNonNull(controls, "controls");
    return configure(
        actor, "cloud update controls", "allocation " + group + "/" + cloud, expectedVersion,
        doc -> ConfigEdits.setControls(doc, group, cloud, controls));
  }

  @Override
  public ConfigChange excludeFlavors(
      Actor actor, GroupName group, CloudName cloud, Set<FlavorName> flavors, long expectedVersion) {
    Objects.requireNonNull(flavors, "flavors");
    return configure(
        actor, "cloud update flavor-exclusions", "allocation " + group + "/" + cloud, expectedVersion,
        doc -> ConfigEdits.excludeFlavors(doc, group, cloud, flavors));
  }

  @Override
  public ConfigChange addCloud(Actor actor, CloudSpec cloud, long expectedVersion) {
    Objects.requireNonNull(cloud, "cloud");
    return configure(actor, "cloud add", "cloud " + cloud.name(), expectedVersion, doc -> ConfigEdits.addCloud(doc, cloud));
  }

  @Override
  public ConfigChange updateCloud(Actor actor, CloudSpec cloud, long expectedVersion) {
    Objects.requireNonNull(cloud, "cloud");
    return configure(actor, "cloud update", "cloud " + cloud.name(), expectedVersion, doc -> ConfigEdits.updateCloud(doc, cloud));
  }

  @Override
  public ConfigChange deleteCloud(Actor actor, CloudName cloud, boolean retireVms, long expectedVersion) {
    String action = "cloud delete";
    return configure(
        actor, action, "cloud " + cloud, expectedVersion,
        doc -> ConfigEdits.deleteCloud(doc, cloud)
            .withRetirements(liveVms(v -> v.cloud().equals(cloud), action + ": cloud " + cloud, retireVms)));
  }

  @Override
  public Versioned<List<Allocation>> allocations(Actor actor) {
    Objects.requireNonNull(actor, "actor");
    return currentConfig()
        .map(c -> new Versioned<>(c.value().allocations(), c.version()))
        .orElse(new Versioned<>(List.of(), 0));
  }

  @Override
  public ConfigChange putAllocation(Actor actor, Allocation allocation, long expectedVersion) {
    Objects.requireNonNull(allocation, "allocation");
    return configure(
        actor, "allocation update", "allocation " + allocation.group() + "/" + allocation.cloud(), expectedVersion,
        doc -> ConfigEdits.putAllocation(doc, allocation));
  }

  @Override
  public ConfigChange deleteAllocation(
      Actor actor, GroupName group, CloudName cloud, boolean retireVms, long expectedVersion) {
    String action = "allocation delete";
    return configure(
        actor, action, "allocation " + group + "/" + cloud, expectedVersion,
        doc -> ConfigEdits.deleteAllocation(doc, group, cloud)
            .withRetirements(
                liveVms(v -> v.group().equals(group) && v.cloud().equals(cloud), action + ": allocation " + group + "/" + cloud, retireVms)));
  }

  // ---------------------------------------------------------------------------------- groups

  @Override
  public Versioned<List<Group>> groups(Actor actor) {
    Objects.requireNonNull(actor, "actor");
    return currentConfig().map(c -> new Versioned<>(c.value().groups(), c.version())).orElse(new Versioned<>(List.of(), 0));
  }

  @Override
  public ConfigChange addGroup(Actor actor, Group group, long expectedVersion) {
    Objects.requireNonNull(group, "group");
    return configure(actor, "group add", "group " + group.name(), expectedVersion, doc -> ConfigEdits.addGroup(doc, group));
  }

  @Override
  public ConfigChange updateGroup(Actor actor, Group group, long expectedVersion) {
    Objects.requireNonNull(group, "group");
    return configure(actor, "group update", "group " + group.name(), expectedVersion, doc -> ConfigEdits.updateGroup(doc, group));
  }

  @Override
  public ConfigChange addGroup(Actor actor, Group group, String jobSource, long expectedVersion) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(jobSource, "jobSource");
    return configure(
        actor, "group add", "group " + group.name(), expectedVersion,
        doc -> {
          ConfigEdits.addGroup(doc, group);
          return new ConfigEdits.Edited(null, ConfigEdits.setJobSource(doc, group.name(), jobSource).after(), List.of());
        });
  }

  @Override
  public ConfigChange setJobSource(Actor actor, GroupName group, String jobSource, long expectedVersion) {
    Objects.requireNonNull(jobSource, "jobSource");
    return configure(
        actor, "group update", "group " + group + " job-source", expectedVersion,
        doc -> ConfigEdits.setJobSource(doc, group, jobSource));
  }

  @Override
  public ConfigChange deleteGroup(Actor actor, GroupName group, boolean retireVms, long expectedVersion) {
    String action = "group delete";
    return configure(
        actor, action, "group " + group, expectedVersion,
        doc -> ConfigEdits.deleteGroup(doc, group)
            .withRetirements(liveVms(v -> v.group().equals(group), action + ": group " + group, retireVms)));
  }

  @Override
  public Versioned<GroupDefaults> defaults(Actor actor, GroupName group) {
    Versioned<Group> g = group(actor, group);
    return new Versioned<>(new GroupDefaults(g.value().jobDefaults(), g.value().vmDefaults()), g.version());
  }

  private Versioned<Group> group(Actor actor, GroupName name) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(name, "group");
    Versioned<Csv2Config> c = currentConfig().orElseThrow(() -> ConfigEdits.notFound("group " + name, "group", List.of()));
    Group g =
        c.value().group(name)
            .orElseThrow(() -> ConfigEdits.notFound(
                "group " + name, "group", c.value().groups().stream().map(x -> x.name().value()).toList()));
    return new Versioned<>(g, c.version());
  }

  @Override
  public ConfigChange setDefaults(Actor actor, GroupName group, GroupDefaults defaults, long expectedVersion) {
    Objects.requireNonNull(defaults, "defaults");
    return configure(
        actor, "group defaults", "group " + group + " defaults", expectedVersion, doc -> ConfigEdits.setDefaults(doc, group, defaults));
  }

  @Override
  public Versioned<List<UserDataDocument>> userData(Actor actor, GroupName group) {
    Versioned<Group> g = group(actor, group);
    return new Versioned<>(g.value().userData(), g.version());
  }

  @Override
  public ConfigChange putUserData(Actor actor, GroupName group, UserDataDocument document, long expectedVersion) {
    Objects.requireNonNull(document, "document");
    return configure(
        actor, "group metadata-update", "group " + group + " user-data " + document.name(), expectedVersion,
        doc -> ConfigEdits.putUserData(doc, group, document));
  }

  @Override
  public ConfigChange deleteUserData(Actor actor, GroupName group, String name, long expectedVersion) {
    Objects.requireNonNull(name, "name");
    return configure(
        actor, "group metadata-delete", "group " + group + " user-data " + name, expectedVersion,
        doc -> ConfigEdits.deleteUserData(doc, group, name));
  }

  // --------------------------------------------------------------------------------- aliases

  @Override
  public Versioned<List<Alias>> aliases(Actor actor) {
    Objects.requireNonNull(actor, "actor");
    return currentConfig().map(c -> new Versioned<>(c.value().aliases(), c.version())).orElse(new Versioned<>(List.of(), 0));
  }

  @Override
  public ConfigChange putAlias(Actor actor, Alias alias, long expectedVersion) {
    Objects.requireNonNull(alias, "alias");
    return configure(
        actor, "alias update", "alias " + alias.group() + "/" + alias.name(), expectedVersion, doc -> ConfigEdits.putAlias(doc, alias));
  }

  @Override
  public ConfigChange deleteAlias(Actor actor, GroupName group, AliasName alias, long expectedVersion) {
    return configure(
        actor, "alias delete", "alias " + group + "/" + alias, expectedVersion, doc -> ConfigEdits.deleteAlias(doc, group, alias));
  }

  // --------------------------------------------------------------------------- configuration

  @Override
  public Versioned<String> configuration(Actor actor) {
    Objects.requireNonNull(actor, "actor");
    StoredConfig sc = store.config().orElseThrow(Csv2Operations::noStoredConfig);
    return new Versioned<>(sc.document(), sc.version());
  }

  /** The action of {@link #replaceConfiguration}, in the audit log. */
  private static final String WHOLE_DOCUMENT = "configuration edit";

  @Override
  public ConfigChange replaceConfiguration(Actor actor, String document, long expectedVersion) {
    Objects.requireNonNull(document, "document");
    ConfigDocument next = ConfigDocument.parse(document, "the edited configuration");
    return configure(
        actor, WHOLE_DOCUMENT, "the whole document", expectedVersion,
        doc -> {
          com.fasterxml.jackson.databind.node.ObjectNode root = doc.root();
          com.fasterxml.jackson.databind.JsonNode before = root.deepCopy();
          root.removeAll();
          root.setAll(next.root());
          return new Edited(before, root.deepCopy(), List.of());
        });
  }

  /**
   * The configuration the engines run with now: the stored document, parsed and validated as an
   * engine does at its next cycle, with its version. This is how code outside the engine reads
   * the effective configuration.
   *
   * @return the configuration and its version; while the store holds none, the builder's {@link
   *     Builder#config(Supplier) fallback} as version 0, or empty without one
   * @throws org.csv2.api.ConfigurationException if the stored document is invalid
   */
  public Optional<Versioned<Csv2Config>> currentConfig() {
    Optional<StoredConfig> stored = store.config();
    if (stored.isEmpty()) {
      return fallback == null ? Optional.empty() : Optional.of(new Versioned<>(fallback.get(), 0));
    }
    StoredConfig sc = stored.get();
    return Optional.of(new Versioned<>(validate(ConfigDocument.parse(sc.document(), source(sc)), sc), sc.version()));
  }

  private Csv2Config validate(ConfigDocument doc, StoredConfig sc) {
    return doc.validate(env, source(sc), baseDir);
  }

  private static String source(StoredConfig sc) {
    return "configuration version " + sc.version() + " in the state store";
  }

  private static OperationException noStoredConfig() {
    return new OperationException(
        OperationException.Reason.NOT_FOUND,
        "the state store holds no configuration yet: an engine built from a YAML file or text saves it at its first"
            + " cycle (one built from a Csv2Config object saves none)");
  }

  /** One configuration change: read, edit, validate, write with the version read. */
  private ConfigChange configure(Actor actor, String action, String target, long expectedVersion, Function<ConfigDocument, Edited> edit) {
    Objects.requireNonNull(actor, "actor");
    if (expectedVersion < ANY_VERSION) {
      throw new IllegalArgumentException(action + ": expected version must be >= 0 or ANY_VERSION, was " + expectedVersion);
    }
    StoredConfig sc = store.config().orElseThrow(Csv2Operations::noStoredConfig);
    if (expectedVersion != ANY_VERSION && expectedVersion != sc.version()) {
      throw new StateStoreException(
          StateStoreException.Reason.CONFLICT,
          action + " " + target + ": configuration version " + expectedVersion + " was read but version " + sc.version()
              + " (saved by " + sc.updatedBy() + " at " + sc.updatedAt() + ") is stored; read it again and reapply the change");
    }
    ConfigDocument doc = ConfigDocument.parse(sc.document(), source(sc));
    Edited edited = edit.apply(doc);
    try {
      doc.validate(env, action + " " + target + " (on configuration version " + sc.version() + ")", baseDir);
    } catch (ConfigurationException e) {
      throw new ConfigurationException(e.problems().stream().map(p -> action + " " + target + ": " + p).toList());
    }
    Instant now = clock.instant();
    String before = ConfigDocument.yaml(ConfigNodes.redact(edited.before()));
    String after = ConfigDocument.yaml(ConfigNodes.redact(edited.after()));
    // compared as text, unredacted: 20 read from YAML and 20 written by an edit are one value. The
    // whole document is the operator's text (its comments too): saved even when its values are not new
    if (!WHOLE_DOCUMENT.equals(action) && edited.retire().isEmpty() && edited.before() != null && edited.after() != null
        && ConfigDocument.yaml(edited.before()).equals(ConfigDocument.yaml(edited.after()))) {
      // nothing changes (the clouds page sends the controls and the flavor exclusions together):
      // no new version, no audit entry that reads "x -> x"
      log.debug("{} {} by {}: nothing changes, configuration version {} kept", action, target, actor, sc.version());
      return new ConfigChange(sc.version(), target, before, after, List.of());
    }
    List<Intent> intents = new ArrayList<>();
    List<AuditEntry> audit = new ArrayList<>();
    audit.add(AuditEntry.of(now, actor, action, target, before, after));
    for (Vm vm : edited.retire()) {
      Intent i = Intent.forVm(IntentKind.RETIRE, vm.group(), vm.cloud(), vm.id(), Map.of(), actor, now);
      intents.add(i);
      audit.add(AuditEntry.of(now, actor, "vm retire", vm.id().value(), describe(vm), describe(i) + " (" + action + " " + target + ")"));
    }
    OperatorWrite.Result result = store.submit(new OperatorWrite(doc.text(), sc.version(), actor.name(), intents, audit));
    long version = Objects.requireNonNull(result.config(), "stored configuration").version();
    log.info("{} {} by {}: configuration version {} saved, {} VM(s) to retire", action, target, actor, version, intents.size());
    return new ConfigChange(version, target, before, after, result.intents());
  }

  /**
   * The live VMs a removal affects: none refuses nothing; with some, refused unless {@code
   * retire}, and always refused while one is manual.
   */
  private List<Vm> liveVms(java.util.function.Predicate<Vm> which, String what, boolean retire) {
    List<Vm> live =
        store.vms().stream().filter(which).filter(v -> v.state() != VmState.TERMINATED).sorted(Comparator.comparing(Vm::id)).toList();
    if (live.isEmpty()) {
      return List.of();
    }
    List<Vm> manual = live.stream().filter(Vm::manual).toList();
    if (!manual.isEmpty()) {
      throw refused(what + " has " + manual.size() + " VM(s) under manual control (" + names(manual)
          + "): hand them back with sysctl or kill them first");
    }
    if (!retire) {
      throw refused(what + " has " + live.size() + " live VM(s) (" + names(live)
          + "): retire them first, or ask for them to be retired with the change");
    }
    return live.stream().filter(v -> v.state() != VmState.RETIRING && v.state() != VmState.TERMINATING).toList();
  }

  private static String names(List<Vm> vms) {
    String shown = vms.stream().limit(NAMES_SHOWN).map(v -> v.id().value()).collect(Collectors.joining(", "));
    return vms.size() > NAMES_SHOWN ? shown + ", ..." : shown;
  }

  // ------------------------------------------------------------------------------ jobs, status

  @Override
  public List<JobView> jobs(Actor actor, JobFilter filter, int limit) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(filter, "filter");
    List<JobView> out = new ArrayList<>();
    for (GroupStatus s : statuses()) {
      if (filter.group() != null && !filter.group().equals(s.group())) {
        continue;
      }
      Map<String, String> notes = new LinkedHashMap<>();
      s.shapes().forEach(n -> notes.put(n.shape(), n.whyNot()));
      for (GroupStatus.JobRow j : s.idleJobs()) {
        if (out.size() >= limit) {
          return out;
        }
        if ((filter.alias() == null || filter.alias().equals(j.alias())) && (filter.state() == null || filter.state() == j.state())) {
          out.add(new JobView(s.group(), j, notes.getOrDefault(j.shape(), ""), s.at()));
        }
      }
    }
    return out;
  }

  @Override
  public List<GroupStatus> status(Actor actor, @Nullable GroupName group) {
    Objects.requireNonNull(actor, "actor");
    return statuses().stream().filter(s -> group == null || group.equals(s.group())).toList();
  }

  // ----------------------------------------------------------------------------------- audit

  @Override
  public List<AuditEntry> audit(Actor actor, Instant since, int limit) {
    Objects.requireNonNull(actor, "actor");
    return store.audit(since, limit);
  }

  @Override
  public org.csv2.api.ops.Reservations reservations() {
    return new org.csv2.core.ops.ReservationBook(store, clock, () -> currentConfig().map(Versioned::value));
  }

  @Override
  public org.csv2.api.ops.Accounting accounting() {
    return new org.csv2.core.ops.AccountingBook(store, clock, () -> currentConfig().map(Versioned::value));
  }

  @Override
  public org.csv2.api.ops.Images images() {
    return new org.csv2.core.ops.ImageDesk(store, clock, () -> currentConfig().map(Versioned::value));
  }
}

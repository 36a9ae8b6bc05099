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
package org.csv2.api.ops;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.csv2.model.Alias;
import org.csv2.model.AliasName;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.UserDataDocument;
import org.csv2.model.VmId;
import org.jspecify.annotations.Nullable;

/**
 * What an operator does to a running csv2: list and inspect, act on VMs, configure clouds, groups,
 * aliases, defaults and user data, read the audit log. The web server, the CLI and embedders are
 * thin layers over this interface. docs/operations.md has one section per verb with the production
 * system's name for it.
 *
 * <p><b>Act verbs</b> ({@link #retire}, {@link #kill}, {@link #manual}, {@link #sysctl}, {@link
 * #retain}) check their target, then store an {@link Intent} and an {@link AuditEntry} in one store
 * transaction and return the stored intent. The engine holding the group's lease carries it out at
 * its next cycle, in any process; an intent whose VM vanished is reported {@link
 * IntentStatus#VANISHED}.
 *
 * <p><b>Configuration verbs</b> build the changed configuration document, validate it as the YAML
 * loader does (every problem at once, {@link org.csv2.api.ConfigurationException}), and save it
 * with {@code expectedVersion}: the version of the stored configuration the caller read (from a
 * {@link Versioned}, a {@link CloudView} or {@link #configuration}). A stale version is refused with
 * {@link org.csv2.api.StateStoreException} {@code CONFLICT} naming both versions; {@link
 * #ANY_VERSION} skips that check. Running engines apply the new version at their next cycle. Versions
 * are of the whole stored document: any change elsewhere makes a read version stale.
 *
 * <p><b>Views</b> of status and jobs read the snapshot each engine stores per group every cycle
 * ({@link GroupStatus}); they are as fresh as {@link GroupStatus#at()}.
 *
 * <p>Every verb takes the {@link Actor} who performs it, recorded with the intent and in the audit
 * log. Refusals are {@link OperationException} ({@code NOT_FOUND}, {@code REFUSED}).
 *
 * <p><b>Thread safety:</b> implementations are safe for concurrent use; several processes may
 * operate on one store at once (the store's versions arbitrate).
 */
public interface Operations {
  /** Pass as {@code expectedVersion} to write over whatever version is stored. */
  long ANY_VERSION = -1;

  // ------------------------------------------------------------------------------------- VMs

  /**
   * VMs in the store with the figures an operator reads ({@code vm list}).
   *
   * @param actor who asks
   * @param filter which VMs
   * @return the VMs, by name
   */
  List<VmView> vms(Actor actor, VmFilter filter);

  /**
   * Drains a VM peacefully, then terminates it ({@code vm update --vm-option retire}).
   *
   * @param actor who asks
   * @param vm the VM
   * @return the stored intent
   * @throws OperationException NOT_FOUND for an unknown VM, REFUSED for a terminated or manual one
   */
  Intent retire(Actor actor, VmId vm);

  /**
   * Terminates a VM now ({@code vm update --vm-option kill}); a RUNNING VM is drained first unless
   * {@code force}.
   *
   * @param actor who asks
   * @param vm the VM
   * @param force terminate a RUNNING VM without draining
   * @return the stored intent
   * @throws OperationException NOT_FOUND for an unknown VM, REFUSED for a terminated one
   */
  Intent kill(Actor actor, VmId vm, boolean force);

  /**
   * Puts a VM under manual control, or hands it back ({@code vm update --vm-option manctl}); the
   * engine never retires or terminates a manual VM.
   *
   * @param actor who asks
   * @param vm the VM
   * @param on true for manual control
   * @return the stored intent
   * @throws OperationException NOT_FOUND for an unknown VM, REFUSED for a terminated one
   */
  Intent manual(Actor actor, VmId vm, boolean on);

  /**
   * Hands a manual VM back to the engine ({@code vm update --vm-option sysctl}); the same as
   * {@code manual(actor, vm, false)}.
   *
   * @param actor who asks
   * @param vm the VM
   * @return the stored intent
   */
  Intent sysctl(Actor actor, VmId vm);

  /**
   * Retires all but {@code count} of a group's VMs on a cloud ({@code vm update --vm-option
   * retain N}); manual VMs are neither counted nor retired.
   *
   * @param actor who asks
   * @param group the group
   * @param cloud the cloud
   * @param count how many to keep, at least 0
   * @return the stored intent
   * @throws OperationException NOT_FOUND if the group is not allocated on the cloud
   */
  Intent retain(Actor actor, GroupName group, CloudName cloud, int count);

  /**
   * Stored intents, newest first.
   *
   * @param actor who asks
   * @param group only this group's, or null for all
   * @param limit the most to return
   * @return the intents
   */
  List<Intent> intents(Actor actor, @Nullable GroupName group, int limit);

  // ---------------------------------------------------------------------------------- clouds

  /**
   * Configured clouds with their allocations and status ({@code cloud list}, {@code cloud status}).
   *
   * @param actor who asks
   * @return the clouds, in configuration order
   */
  List<CloudView> clouds(Actor actor);

  /**
   * Lets groups boot on a cloud again ({@code cloud update --enabled 1}).
   *
   * @param actor who asks
   * @param cloud the cloud
   * @param expectedVersion the configuration version read
   * @return the change
   */
  ConfigChange enableCloud(Actor actor, CloudName cloud, long expectedVersion);

  /**
   * Stops booting on a cloud, running VMs stay ({@code cloud update --freeze 2}, "pause").
   *
   * @param actor who asks
   * @param cloud the cloud
   * @param expectedVersion the configuration version read
   * @return the change
   */
  ConfigChange pauseCloud(Actor actor, CloudName cloud, long expectedVersion);

  /**
   * Stops booting on a cloud and retires its VMs ({@code cloud update --enabled 0}): pause plus a
   * RETIRE intent per live VM that is not manual, stored with the change.
   *
   * @param actor who asks
   * @param cloud the cloud
   * @param expectedVersion the configuration version read
   * @return the change, with the intents
   */
  ConfigChange disableCloud(Actor actor, CloudName cloud, long expectedVersion);

  /**
   * Sets a group's core and RAM controls and soft maximum on a cloud (production's sliders).
   *
   * @param actor who asks
   * @param group the group
   * @param cloud the cloud
   * @param controls the new values
   * @param expectedVersion the configuration version read
   * @return the change
   */
  ConfigChange setControls(Actor actor, GroupName group, CloudName cloud, Controls controls, long expectedVersion);

  /**
   * Replaces the flavors a group must not boot on a cloud (production's flavor exclusions, {@code
   * cloud update} with {@code flavor_option}).
   *
   * @param actor who asks
   * @param group the group
   * @param cloud the cloud
   * @param flavors the excluded flavors (empty clears)
   * @param expectedVersion the configuration version read
   * @return the change
   */
  ConfigChange excludeFlavors(Actor actor, GroupName group, CloudName cloud, Set<FlavorName> flavors, long expectedVersion);

  /**
   * Adds a cloud ({@code cloud add}).
   *
   * @param actor who asks
   * @param cloud the cloud
   * @param expectedVersion the configuration version read
   * @return the change
   */
  ConfigChange addCloud(Actor actor, CloudSpec cloud, long expectedVersion);

  /**
   * Replaces a cloud's settings ({@code cloud update}); a secret shown redacted ({@code ***}) in a
   * view keeps its stored value when passed back unchanged.
   *
   * @param actor who asks
   * @param cloud the cloud's new settings
   * @param expectedVersion the configuration version read
   * @return the change
   */
  ConfigChange updateCloud(Actor actor, CloudSpec cloud, long expectedVersion);

  /**
   * Deletes a cloud and its allocations ({@code cloud delete}). Refused while the cloud has live
   * VMs, unless {@code retireVms}: then a RETIRE intent per live VM is stored with the change, and
   * the engines track those VMs until they are gone.
   *
   * @param actor who asks
   * @param cloud the cloud
   * @param retireVms retire its live VMs instead of refusing
   * @param expectedVersion the configuration version read
   * @return the change, with the intents
   * @throws OperationException REFUSED with live VMs and {@code retireVms} false
   */
  ConfigChange deleteCloud(Actor actor, CloudName cloud, boolean retireVms, long expectedVersion);

  /**
   * Allocations (group on cloud) with their controls.
   *
   * @param actor who asks
   * @return the allocations with the configuration version
   */
  Versioned<List<Allocation>> allocations(Actor actor);

  /**
   * Allocates a group on a cloud, or replaces the allocation (production keeps these settings in the cloud row of each group).
   *
   * @param actor who asks
   * @param allocation the allocation
   * @param expectedVersion the configuration version read
   * @return the change
   */
  ConfigChange putAllocation(Actor actor, Allocation allocation, long expectedVersion);

  /**
   * Removes a group's allocation on a cloud; refused while the group has live VMs there unless
   * {@code retireVms}.
   *
   * @param actor who asks
   * @param group the group
   * @param cloud the cloud
   * @param retireVms retire them instead of refusing
   * @param expectedVersion the configuration version read
   * @return the change, with the intents
   */
  ConfigChange deleteAllocation(Actor actor, GroupName group, CloudName cloud, boolean retireVms, long expectedVersion);

  // ---------------------------------------------------------------------------------- groups

  /**
   * Configured groups ({@code group list}).
   *
   * @param actor who asks
   * @return the groups with the configuration version
   */
  Versioned<List<Group>> groups(Actor actor);

  /**
   * Adds a group ({@code group add}).
   *
   * @param actor who asks
   * @param group the group
   * @param expectedVersion the configuration version read
   * @return the change
   */
  ConfigChange addGroup(Actor actor, Group group, long expectedVersion);

  /**
   * Replaces a group ({@code group update}).
   *
   * @param actor who asks
   * @param group the group
   * @param expectedVersion the configuration version read
   * @return the change
   */
  ConfigChange updateGroup(Actor actor, Group group, long expectedVersion);

  /**
   * Adds a group that reads its jobs from a named job source ({@code group add} with the group's
   * HTCondor central manager): with several {@code job-sources} configured, every group names one.
   *
   * @param actor who asks
   * @param group the group
   * @param jobSource the name of a configured job source
   * @param expectedVersion the configuration version read
   * @return the change
   */
  default ConfigChange addGroup(Actor actor, Group group, String jobSource, long expectedVersion) {
    throw new UnsupportedOperationException("addGroup with a job source is not supported by " + getClass().getName());
  }

  /**
   * Sets the job source a group reads its jobs from ({@code group update}, the group's HTCondor
   * central manager). Applied by the engines at their next cycle.
   *
   * @param actor who asks
   * @param group the group
   * @param jobSource the name of a configured job source
   * @param expectedVersion the configuration version read
   * @return the change
   */
  default ConfigChange setJobSource(Actor actor, GroupName group, String jobSource, long expectedVersion) {
    throw new UnsupportedOperationException("setJobSource is not supported by " + getClass().getName());
  }

  /**
   * Deletes a group with its allocations and aliases ({@code group delete}); refused while it has
   * live VMs unless {@code retireVms}.
   *
   * @param actor who asks
   * @param group the group
   * @param retireVms retire its live VMs instead of refusing
   * @param expectedVersion the configuration version read
   * @return the change, with the intents
   */
  ConfigChange deleteGroup(Actor actor, GroupName group, boolean retireVms, long expectedVersion);

  /**
   * A group's defaults ({@code group defaults}).
   *
   * @param actor who asks
   * @param group the group
   * @return its defaults with the configuration version
   */
  Versioned<GroupDefaults> defaults(Actor actor, GroupName group);

  /**
   * Replaces a group's defaults ({@code group defaults --...}).
   *
   * @param actor who asks
   * @param group the group
   * @param defaults the new defaults
   * @param expectedVersion the configuration version read
   * @return the change
   */
  ConfigChange setDefaults(Actor actor, GroupName group, GroupDefaults defaults, long expectedVersion);

  /**
   * A group's user-data documents ({@code group metadata-list}).
   *
   * @param actor who asks
   * @param group the group
   * @return its documents with the configuration version
   */
  Versioned<List<UserDataDocument>> userData(Actor actor, GroupName group);

  /**
   * Adds or replaces (by name) a group's user-data document ({@code group metadata-load}, {@code
   * metadata-update}).
   *
   * @param actor who asks
   * @param group the group
   * @param document the document (template inline)
   * @param expectedVersion the configuration version read
   * @return the change
   */
  ConfigChange putUserData(Actor actor, GroupName group, UserDataDocument document, long expectedVersion);

  /**
   * Deletes a group's user-data document ({@code group metadata-delete}).
   *
   * @param actor who asks
   * @param group the group
   * @param name the document's name
   * @param expectedVersion the configuration version read
   * @return the change
   */
  ConfigChange deleteUserData(Actor actor, GroupName group, String name, long expectedVersion);

  // --------------------------------------------------------------------------------- aliases

  /**
   * Aliases ({@code alias list}).
   *
   * @param actor who asks
   * @return the aliases with the configuration version
   */
  Versioned<List<Alias>> aliases(Actor actor);

  /**
   * Adds or replaces an alias ({@code alias add}, {@code alias update}).
   *
   * @param actor who asks
   * @param alias the alias
   * @param expectedVersion the configuration version read
   * @return the change
   */
  ConfigChange putAlias(Actor actor, Alias alias, long expectedVersion);

  /**
   * Deletes an alias ({@code alias delete}).
   *
   * @param actor who asks
   * @param group its group
   * @param alias its name
   * @param expectedVersion the configuration version read
   * @return the change
   */
  ConfigChange deleteAlias(Actor actor, GroupName group, AliasName alias, long expectedVersion);

  // --------------------------------------------------------------------------- configuration

  /**
   * The stored configuration document the engines run with (secrets as {@code ${ENV}}
   * references) and its version ({@code server config}).
   *
   * @param actor who asks
   * @return the document and version
   * @throws OperationException NOT_FOUND when the store holds no configuration yet
   */
  Versioned<String> configuration(Actor actor);

  /**
   * Replaces the whole stored configuration document (production's configuration editor): the
   * text is validated as the YAML loader does (every problem at once) and saved with {@code
   * expectedVersion}, like every configuration verb. The document is stored as csv2 writes YAML
   * (comments are not kept). A group or cloud the new document leaves out has its VMs retired by
   * the engines, as after a restart with that file.
   *
   * @param actor who asks
   * @param document the new document (YAML)
   * @param expectedVersion the configuration version read
   * @return the change
   * @throws org.csv2.api.ConfigurationException listing every problem of the document
   * @throws UnsupportedOperationException if this implementation cannot (the default)
   */
  default ConfigChange replaceConfiguration(Actor actor, String document, long expectedVersion) {
    throw new UnsupportedOperationException("replaceConfiguration is not supported by " + getClass().getName());
  }

  // ------------------------------------------------------------------------------ jobs, status

  /**
   * Jobs as the engines last saw them ({@code job list}), each idle job with why it has no VM.
   *
   * @param actor who asks
   * @param filter which jobs
   * @param limit the most to return
   * @return the jobs
   */
  List<JobView> jobs(Actor actor, JobFilter filter, int limit);

  /**
   * The last status snapshot of each group (production's status page).
   *
   * @param actor who asks
   * @param group only this group's, or null for all
   * @return the snapshots, by group
   */
  List<GroupStatus> status(Actor actor, @Nullable GroupName group);

  // ----------------------------------------------------------------------------------- audit

  /**
   * The audit log, oldest first.
   *
   * @param actor who asks
   * @param since the earliest time
   * @param limit the most to return
   * @return the entries
   */
  List<AuditEntry> audit(Actor actor, Instant since, int limit);

  // ---------------------------------------------------------------------------- reservations

  /**
   * The reservation verbs (search, book, list, extend, cancel, usage; docs/reservations.md).
   *
   * @return the verbs, over the same store
   * @throws UnsupportedOperationException if this implementation has no reservations (the default)
   */
  default Reservations reservations() {
    throw new UnsupportedOperationException(getClass().getName() + " has no reservations");
  }

  // ------------------------------------------------------------------------------ accounting

  /**
   * The accounting verbs (usage reports, the APEL export; docs/accounting.md).
   *
   * @return the verbs, over the same store
   * @throws UnsupportedOperationException if this implementation has no accounting (the default)
   */
  default Accounting accounting() {
    throw new UnsupportedOperationException(getClass().getName() + " has no accounting");
  }

  // ---------------------------------------------------------------------------------- images

  /**
   * The image and key-pair verbs (transfers, replication, kept public keys; docs/images.md).
   *
   * @return the verbs, over the same store
   * @throws UnsupportedOperationException if this implementation has no images (the default)
   */
  default Images images() {
    throw new UnsupportedOperationException(getClass().getName() + " has no images");
  }
}

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
package org.csv2.core.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csv2.api.ops.CloudSpec;
import org.csv2.api.ops.Controls;
import org.csv2.api.ops.GroupDefaults;
import org.csv2.api.ops.OperationException;
import org.csv2.core.config.ConfigDocument;
import org.csv2.model.Alias;
import org.csv2.model.AliasName;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.Group;
import org.csv2.model.GroupName;
import org.csv2.model.UserDataDocument;
import org.csv2.model.Vm;
import org.jspecify.annotations.Nullable;

/**
 * The edits configuration verbs make to a {@link ConfigDocument}: each finds its object (or
 * refuses with {@link OperationException} naming what exists), changes the tree in place and
 * returns the object before and after. Removing a group or cloud also removes what refers to it
 * (allocations, aliases), so that the document stays valid.
 *
 * <p><b>Thread safety:</b> stateless; the document is the caller's.
 */
public final class ConfigEdits {
  private ConfigEdits() {}

  /**
   * What an edit changed.
   *
   * @param before the object before (null if added)
   * @param after the object after (null if deleted)
   * @param retire live VMs to retire with the change
   */
  public record Edited(@Nullable JsonNode before, @Nullable JsonNode after, List<Vm> retire) {
    /** Copies. */
    public Edited {
      before = before == null ? null : before.deepCopy();
      after = after == null ? null : after.deepCopy();
      retire = List.copyOf(retire);
    }

    /**
     * This edit with VMs to retire.
     *
     * @param vms the VMs
     * @return a copy
     */
    public Edited withRetirements(List<Vm> vms) {
      return new Edited(before, after, vms);
    }
  }

  private static Edited edited(@Nullable JsonNode before, @Nullable JsonNode after) {
    return new Edited(before, after, List.of());
  }

  /**
   * The refusal for a missing object.
   *
   * @param what the object ({@code cloud c1})
   * @param kind its kind ({@code cloud})
   * @param existing the names that exist
   * @return the exception
   */
  public static OperationException notFound(String what, String kind, List<String> existing) {
    return new OperationException(
        OperationException.Reason.NOT_FOUND,
        what + " is not configured; configured " + kind + "s: " + (existing.isEmpty() ? "(none)" : String.join(", ", existing)));
  }

  private static ObjectNode cloudNode(ConfigDocument doc, CloudName cloud) {
    int i = doc.indexOf("clouds", Map.of("name", cloud.value()));
    if (i < 0) {
      throw notFound("cloud " + cloud, "cloud", names(doc.list("clouds"), "name"));
    }
    return (ObjectNode) doc.list("clouds").get(i);
  }

  private static ObjectNode groupNode(ConfigDocument doc, GroupName group) {
    int i = doc.indexOf("groups", Map.of("name", group.value()));
    if (i < 0) {
      throw notFound("group " + group, "group", names(doc.list("groups"), "name"));
    }
    return (ObjectNode) doc.list("groups").get(i);
  }

  private static ObjectNode allocationNode(ConfigDocument doc, GroupName group, CloudName cloud) {
    int i = doc.indexOf("allocations", Map.of("group", group.value(), "cloud", cloud.value()));
    if (i < 0) {
      List<String> pairs = new ArrayList<>();
      doc.list("allocations").forEach(n -> pairs.add(n.path("group").asText() + "/" + n.path("cloud").asText()));
      throw notFound("allocation " + group + "/" + cloud, "allocation", pairs);
    }
    return (ObjectNode) doc.list("allocations").get(i);
  }

  private static List<String> names(ArrayNode list, String key) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.path(key).asText()));
    return out;
  }

  private static OperationException exists(String what) {
    return new OperationException(OperationException.Reason.REFUSED, what + " is already configured; update it instead");
  }

  // ---------------------------------------------------------------------------------- clouds

  /**
   * Sets a cloud's {@code enabled}.
   *
   * @param doc the document
   * @param cloud the cloud
   * @param enabled the value
   * @return the change
   */
  public static Edited setCloudEnabled(ConfigDocument doc, CloudName cloud, boolean enabled) {
    ObjectNode n = cloudNode(doc, cloud);
    JsonNode before = n.deepCopy();
    n.put("enabled", enabled);
    return edited(before, n);
  }

  /**
   * Adds a cloud.
   *
   * @param doc the document
   * @param spec the cloud
   * @return the change
   */
  public static Edited addCloud(ConfigDocument doc, CloudSpec spec) {
    if (doc.indexOf("clouds", Map.of("name", spec.name().value())) >= 0) {
      throw exists("cloud " + spec.name());
    }
    ObjectNode n = ConfigNodes.cloud(spec);
    doc.list("clouds").add(n);
    return edited(null, n);
  }

  /**
   * Replaces a cloud's settings; a {@code ***} value keeps the stored one.
   *
   * @param doc the document
   * @param spec the cloud
   * @return the change
   */
  public static Edited updateCloud(ConfigDocument doc, CloudSpec spec) {
    ObjectNode old = cloudNode(doc, spec.name());
    ObjectNode n = ConfigNodes.cloud(spec);
    ConfigNodes.restoreRedacted(n, old);
    ArrayNode clouds = doc.list("clouds");
    JsonNode before = old.deepCopy();
    clouds.set(doc.indexOf("clouds", Map.of("name", spec.name().value())), n);
    return edited(before, n);
  }

  /**
   * Removes a cloud, its allocations, and its name from aliases (an alias left without clouds is
   * removed).
   *
   * @param doc the document
   * @param cloud the cloud
   * @return the change
   */
  public static Edited deleteCloud(ConfigDocument doc, CloudName cloud) {
    ObjectNode old = cloudNode(doc, cloud);
    JsonNode before = old.deepCopy();
    doc.list("clouds").remove(doc.indexOf("clouds", Map.of("name", cloud.value())));
    removeWhere(doc.list("allocations"), n -> n.path("cloud").asText().equals(cloud.value()));
    ArrayNode aliases = doc.list("aliases");
    for (JsonNode a : aliases) {
      if (a.get("clouds") instanceof ArrayNode clouds) {
        removeWhere(clouds, c -> c.asText().equals(cloud.value()));
      }
    }
    removeWhere(aliases, a -> a.get("clouds") instanceof ArrayNode c && c.isEmpty());
    return edited(before, null);
  }

  private static void removeWhere(ArrayNode list, java.util.function.Predicate<JsonNode> which) {
    for (int i = list.size() - 1; i >= 0; i--) {
      if (which.test(list.get(i))) {
        list.remove(i);
      }
    }
  }

  // ----------------------------------------------------------------------------- allocations

  /**
   * Sets a group's controls on a cloud.
   *
   * @param doc the document
   * @param group the group
   * @param cloud the cloud
   * @param controls the new values (null leaves one, -1 removes it)
   * @return the change
   */
  public static Edited setControls(ConfigDocument doc, GroupName group, CloudName cloud, Controls controls) {
    ObjectNode n = allocationNode(doc, group, cloud);
    JsonNode before = n.deepCopy();
    if (controls.coresCtl() != null) {
      ConfigNodes.putLimit(n, "cores-ctl", controls.coresCtl() < 0 ? -1 : controls.coresCtl());
    }
    if (controls.coresSoftmax() != null) {
      ConfigNodes.putLimit(n, "cores-softmax", controls.coresSoftmax() < 0 ? -1 : controls.coresSoftmax());
    }
    if (controls.ramCtlMiB() != null) {
      ConfigNodes.putLimit(n, "ram-ctl-mib", controls.ramCtlMiB() < 0 ? -1 : controls.ramCtlMiB());
    }
    return edited(before, n);
  }

  /**
   * Replaces a group's excluded flavors on a cloud.
   *
   * @param doc the document
   * @param group the group
   * @param cloud the cloud
   * @param flavors the flavors (empty clears)
   * @return the change
   */
  public static Edited excludeFlavors(ConfigDocument doc, GroupName group, CloudName cloud, Set<FlavorName> flavors) {
    ObjectNode n = allocationNode(doc, group, cloud);
    JsonNode before = n.deepCopy();
    if (flavors.isEmpty()) {
      n.remove("exclude-flavors");
    } else {
      n.set("exclude-flavors", ConfigNodes.flavors(flavors));
    }
    return edited(before, n);
  }

  /**
   * Adds or replaces an allocation.
   *
   * @param doc the document
   * @param a the allocation
   * @return the change
   */
  public static Edited putAllocation(ConfigDocument doc, Allocation a) {
    ObjectNode n = ConfigNodes.allocation(a);
    int i = doc.indexOf("allocations", Map.of("group", a.group().value(), "cloud", a.cloud().value()));
    if (i < 0) {
      doc.list("allocations").add(n);
      return edited(null, n);
    }
    JsonNode before = doc.list("allocations").get(i).deepCopy();
    doc.list("allocations").set(i, n);
    return edited(before, n);
  }

  /**
   * Removes an allocation, and the cloud from the group's aliases.
   *
   * @param doc the document
   * @param group the group
   * @param cloud the cloud
   * @return the change
   */
  public static Edited deleteAllocation(ConfigDocument doc, GroupName group, CloudName cloud) {
    ObjectNode old = allocationNode(doc, group, cloud);
    JsonNode before = old.deepCopy();
    doc.list("allocations").remove(doc.indexOf("allocations", Map.of("group", group.value(), "cloud", cloud.value())));
    ArrayNode aliases = doc.list("aliases");
    for (JsonNode a : aliases) {
      if (a.path("group").asText().equals(group.value()) && a.get("clouds") instanceof ArrayNode clouds) {
        removeWhere(clouds, c -> c.asText().equals(cloud.value()));
      }
    }
    removeWhere(aliases, a -> a.get("clouds") instanceof ArrayNode c && c.isEmpty());
    return edited(before, null);
  }

  // ---------------------------------------------------------------------------------- groups

  /**
   * Adds a group.
   *
   * @param doc the document
   * @param g the group
   * @return the change
   */
  public static Edited addGroup(ConfigDocument doc, Group g) {
    if (doc.indexOf("groups", Map.of("name", g.name().value())) >= 0) {
      throw exists("group " + g.name());
    }
    ObjectNode n = ConfigNodes.group(g);
    doc.list("groups").add(n);
    return edited(null, n);
  }

  /**
   * Replaces a group (its user-data documents are written inline).
   *
   * @param doc the document
   * @param g the group
   * @return the change
   */
  public static Edited updateGroup(ConfigDocument doc, Group g) {
    JsonNode before = groupNode(doc, g.name()).deepCopy();
    ObjectNode n = ConfigNodes.group(g);
    if (before.has("job-source")) { // not part of the group's model: kept as configured
      n.set("job-source", before.get("job-source"));
    }
    doc.list("groups").set(doc.indexOf("groups", Map.of("name", g.name().value())), n);
    return edited(before, n);
  }

  /**
   * Sets the job source a group reads from ({@code groups[].job-source}); the loader checks the name.
   *
   * @param doc the document
   * @param group the group
   * @param jobSource the source's name
   * @return the change
   */
  public static Edited setJobSource(ConfigDocument doc, GroupName group, String jobSource) {
    ObjectNode n = groupNode(doc, group);
    JsonNode before = n.deepCopy();
    n.put("job-source", jobSource);
    return edited(before, n.deepCopy());
  }

  /**
   * Removes a group with its allocations and aliases.
   *
   * @param doc the document
   * @param group the group
   * @return the change
   */
  public static Edited deleteGroup(ConfigDocument doc, GroupName group) {
    JsonNode before = groupNode(doc, group).deepCopy();
    doc.list("groups").remove(doc.indexOf("groups", Map.of("name", group.value())));
    removeWhere(doc.list("allocations"), n -> n.path("group").asText().equals(group.value()));
    removeWhere(doc.list("aliases"), n -> n.path("group").asText().equals(group.value()));
    return edited(before, null);
  }

  /**
   * Replaces a group's job and VM defaults.
   *
   * @param doc the document
   * @param group the group
   * @param d the defaults
   * @return the change
   */
  public static Edited setDefaults(ConfigDocument doc, GroupName group, GroupDefaults d) {
    ObjectNode n = groupNode(doc, group);
    ObjectNode before = n.objectNode();
    copy(n, before, "job-defaults");
    copy(n, before, "vm-defaults");
    n.set("job-defaults", ConfigNodes.resources(d.jobDefaults()));
    ObjectNode vm = ConfigNodes.vmDefaults(d.vmDefaults());
    if (vm.isEmpty()) {
      n.remove("vm-defaults");
    } else {
      n.set("vm-defaults", vm);
    }
    ObjectNode after = n.objectNode();
    copy(n, after, "job-defaults");
    copy(n, after, "vm-defaults");
    return edited(before, after);
  }

  private static void copy(ObjectNode from, ObjectNode to, String key) {
    JsonNode v = from.get(key);
    if (v != null) {
      to.set(key, v.deepCopy());
    }
  }

  /**
   * Adds or replaces (by name) a group's user-data document.
   *
   * @param doc the document
   * @param group the group
   * @param d the document
   * @return the change
   */
  public static Edited putUserData(ConfigDocument doc, GroupName group, UserDataDocument d) {
    ObjectNode g = groupNode(doc, group);
    ArrayNode list = g.get("user-data") instanceof ArrayNode a ? a : g.putArray("user-data");
    ObjectNode n = ConfigNodes.document(d);
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).path("name").asText().equals(d.name())) {
        JsonNode before = list.get(i).deepCopy();
        list.set(i, n);
        return edited(before, n);
      }
    }
    list.add(n);
    return edited(null, n);
  }

  /**
   * Removes a group's user-data document.
   *
   * @param doc the document
   * @param group the group
   * @param name the document's name
   * @return the change
   */
  public static Edited deleteUserData(ConfigDocument doc, GroupName group, String name) {
    ObjectNode g = groupNode(doc, group);
    ArrayNode list = g.get("user-data") instanceof ArrayNode a ? a : g.arrayNode();
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).path("name").asText().equals(name)) {
        JsonNode before = list.get(i).deepCopy();
        list.remove(i);
        return edited(before, null);
      }
    }
    throw notFound("user-data document " + name + " of group " + group, "document", names(list, "name"));
  }

  // --------------------------------------------------------------------------------- aliases

  /**
   * Adds or replaces an alias.
   *
   * @param doc the document
   * @param alias the alias
   * @return the change
   */
  public static Edited putAlias(ConfigDocument doc, Alias alias) {
    ObjectNode n = ConfigNodes.alias(alias);
    int i = doc.indexOf("aliases", Map.of("group", alias.group().value(), "name", alias.name().value()));
    if (i < 0) {
      doc.list("aliases").add(n);
      return edited(null, n);
    }
    JsonNode before = doc.list("aliases").get(i).deepCopy();
    doc.list("aliases").set(i, n);
    return edited(before, n);
  }

  /**
   * Removes an alias.
   *
   * @param doc the document
   * @param group its group
   * @param alias its name
   * @return the change
   */
  public static Edited deleteAlias(ConfigDocument doc, GroupName group, AliasName alias) {
    int i = doc.indexOf("aliases", Map.of("group", group.value(), "name", alias.value()));
    if (i < 0) {
      List<String> existing = new ArrayList<>();
      doc.list("aliases").forEach(n -> existing.add(n.path("group").asText() + "/" + n.path("name").asText()));
      throw notFound("alias " + group + "/" + alias, "alias", existing);
    }
    JsonNode before = doc.list("aliases").get(i).deepCopy();
    doc.list("aliases").remove(i);
    return edited(before, null);
  }
}

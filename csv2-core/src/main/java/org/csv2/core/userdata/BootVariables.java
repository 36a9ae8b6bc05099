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
package org.csv2.core.userdata;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.csv2.model.AliasName;
import org.csv2.model.CloudName;
import org.csv2.model.Flavor;
import org.csv2.model.Group;
import org.csv2.model.VmId;
import org.jspecify.annotations.Nullable;

/**
 * The variables a boot's user-data templates see: the built-in ones, the group's own {@code
 * variables}, and the production system's {@code cs_*} names for the same values, so that its
 * templates port with a search and replace of <code>{{ cs_x }}</code> syntax only.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>name</th><th>value</th></tr>
 *   <tr><td>group, cs_group_name</td><td>the group's name</td></tr>
 *   <tr><td>cloud, cs_cloud_name</td><td>the cloud's name</td></tr>
 *   <tr><td>flavor, cs_flavor</td><td>the flavor's name</td></tr>
 *   <tr><td>cores, ram_mib, disk_gib</td><td>the flavor's resources</td></tr>
 *   <tr><td>image</td><td>the image name or id booted</td></tr>
 *   <tr><td>alias, cs_cloud_alias</td><td>the target alias, empty when none</td></tr>
 *   <tr><td>instance_id, cs_host_id</td><td>the csv2 instance id</td></tr>
 *   <tr><td>vm_name</td><td>the VM's name; absent when one user data serves several VMs</td></tr>
 *   <tr><td>cs_condor_host, cs_condor_token</td><td>the group's {@code condor_host} and {@code
 *       condor_token} variables, when set (unless the group sets the cs_ name itself)</td></tr>
 * </table>
 */
public final class BootVariables {
  /** The names every boot defines (vm_name only when the VM is known); a group may not redefine them. */
  public static final Set<String> BUILT_IN =
      Set.of(
          "group", "cloud", "flavor", "cores", "ram_mib", "disk_gib", "image", "alias",
          "instance_id", "vm_name", "cs_group_name", "cs_cloud_name", "cs_flavor",
          "cs_cloud_alias", "cs_host_id");

  private static final Map<String, String> DERIVED =
      Map.of("cs_condor_host", "condor_host", "cs_condor_token", "condor_token");

  /**
   * The characters a value from outside (a job's or a cloud's, such as the image name) may hold to
   * be rendered into user data: it starts with a letter or digit and holds letters, digits and
   * {@code . _ : / @ + = -}, at most 255 characters. Such a value means the same as a plain YAML
   * scalar, in a MIME part and as one shell word, so that a template needs no quoting; a newline, a
   * space, a quote, {@code #}, {@code $} or a backtick could add YAML keys or shell commands.
   * Documented in docs/configuration.md.
   */
  public static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+=-]{0,254}");

  private BootVariables() {}

  /**
   * Refuses a value from outside that templates use but that holds characters outside {@link
   * #SAFE_VALUE}: rendered verbatim, it could change the document's meaning.
   *
   * @param variable the variable's name, such as {@code image}
   * @param value the value
   * @throws IllegalArgumentException naming the variable, the value (escaped) and the allowed set
   */
  public static void requireSafe(String variable, String value) {
    if (!SAFE_VALUE.matcher(value).matches()) {
      StringBuilder shown = new StringBuilder();
      for (int i = 0; i < value.length() && i < 80; i++) {
        char c = value.charAt(i);
        shown.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
      }
      throw new IllegalArgumentException(
          "the " + variable + " '" + shown + (value.length() > 80 ? "..." : "")
              + "' cannot be rendered into user data: a value from a job or a cloud must start with a"
              + " letter or digit and hold only letters, digits and . _ : / @ + = - (at most 255)");
    }
  }

  /**
   * The variables of one boot.
   *
   * @param group the group
   * @param cloud the cloud
   * @param flavor the flavor booted
   * @param image the image name or id booted
   * @param alias the target alias, or null
   * @param instanceId the csv2 instance id
   * @param vm the VM's name, or null when one user data serves several VMs
   * @return the variables, by name
   */
  public static Map<String, String> of(
      Group group,
      CloudName cloud,
      Flavor flavor,
      String image,
      @Nullable AliasName alias,
      String instanceId,
      @Nullable VmId vm) {
    Map<String, String> v = new LinkedHashMap<>(group.variables());
    DERIVED.forEach(
        (csName, groupName) -> {
          String value = group.variables().get(groupName);
          if (value != null && !group.variables().containsKey(csName)) {
            v.put(csName, value);
          }
        });
    String aliasText = alias == null ? "" : alias.value();
    v.put("group", group.name().value());
    v.put("cloud", cloud.value());
    v.put("flavor", flavor.name().value());
    v.put("cores", Integer.toString(flavor.resources().cores()));
    v.put("ram_mib", Long.toString(flavor.resources().ramMiB()));
    v.put("disk_gib", Long.toString(flavor.resources().diskGiB()));
    v.put("image", image);
    v.put("alias", aliasText);
    v.put("instance_id", instanceId);
    if (vm != null) {
      v.put("vm_name", vm.value());
    }
    v.put("cs_group_name", group.name().value());
    v.put("cs_cloud_name", cloud.value());
    v.put("cs_flavor", flavor.name().value());
    v.put("cs_cloud_alias", aliasText);
    v.put("cs_host_id", instanceId);
    return Map.copyOf(v);
  }

  /**
   * Every variable name a boot of this group can define (with its VM known): what its templates
   * may use.
   *
   * @param group the group
   * @return the names
   */
  public static Set<String> names(Group group) {
    Set<String> names = new LinkedHashSet<>(BUILT_IN);
    names.addAll(group.variables().keySet());
    DERIVED.forEach(
        (csName, groupName) -> {
          if (group.variables().containsKey(groupName)) {
            names.add(csName);
          }
        });
    return Set.copyOf(names);
  }

  /**
   * Problems with a group's own variable names: not a template name, or a built-in name.
   *
   * @param variables the group's variables
   * @return the problems, each naming the variable; empty when fine
   */
  public static List<String> check(Map<String, String> variables) {
    return variables.keySet().stream()
        .sorted()
        .<String>mapMulti(
            (name, out) -> {
              if (!Template.VARIABLE.matcher(name).matches()) {
                out.accept(name + ": a variable name is letters, digits and _, not starting with a digit");
              } else if (BUILT_IN.contains(name)) {
                out.accept(name + ": '" + name + "' is a built-in variable; choose another name");
              }
            })
        .toList();
  }
}

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
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.csv2.api.ops.CloudSpec;
import org.csv2.core.config.ConfigDocument;
import org.csv2.model.Alias;
import org.csv2.model.Allocation;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.Group;
import org.csv2.model.Limits;
import org.csv2.model.Resources;
import org.csv2.model.UserDataDocument;
import org.csv2.model.VmDefaults;
import org.jspecify.annotations.Nullable;

/**
 * Model objects as configuration tree nodes (the keys of docs/configuration.md), and secret
 * redaction of such nodes.
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class ConfigNodes {
  /** What a redacted secret reads as. */
  public static final String REDACTED = "***";

  /**
   * Keys whose values are secrets, wherever they appear in a plugin's settings: passwords, tokens,
   * secret keys, credentials. A value that is only an {@code ${ENV}} reference is not a secret and
   * stays readable.
   */
  private static final Pattern SECRET_KEY =
      Pattern.compile(".*(password|passwd|secret|token|credential|private|access-key|api-key|apikey|encryption-key).*");

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?}");
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ConfigNodes() {}

  static ObjectNode cloud(CloudSpec spec) {
    ObjectNode n = F.objectNode();
    n.put("name", spec.name().value());
    n.put("driver", spec.driver());
    n.put("enabled", spec.enabled());
    n.set("config", ConfigDocument.toTree(spec.config()));
    return n;
  }

  static ObjectNode group(Group g) {
    ObjectNode n = F.objectNode();
    n.put("name", g.name().value());
    n.set("job-defaults", resources(g.jobDefaults()));
    ObjectNode vm = vmDefaults(g.vmDefaults());
    if (!vm.isEmpty()) {
      n.set("vm-defaults", vm);
    }
    if (!g.userData().isEmpty()) {
      n.set("user-data", documents(g));
    }
    if (!g.submitters().isEmpty()) {
      ArrayNode s = n.putArray("submitters");
      g.submitters().forEach(s::add);
    }
    n.put("weight", g.weight());
    if (!g.variables().isEmpty()) {
      ObjectNode v = n.putObject("variables");
      new java.util.TreeMap<>(g.variables()).forEach(v::put);
    }
    return n;
  }

  private static ArrayNode documents(Group g) {
    ArrayNode a = F.arrayNode();
    g.userData().forEach(d -> a.add(document(d)));
    return a;
  }

  static ObjectNode resources(Resources r) {
    ObjectNode n = F.objectNode();
    n.put("cores", r.cores());
    n.put("ram-mib", r.ramMiB());
    n.put("disk-gib", r.diskGiB());
    n.put("swap-mib", r.swapMiB());
    n.put("gpus", r.gpus());
    return n;
  }

  static ObjectNode vmDefaults(VmDefaults d) {
    ObjectNode n = F.objectNode();
    if (d.image() != null) {
      n.put("image", d.image());
    }
    if (d.flavor() != null) {
      n.put("flavor", d.flavor().value());
    }
    if (d.keepAlive() != null) {
      n.put("keep-alive", duration(d.keepAlive()));
    }
    if (d.keyName() != null) {
      n.put("key-name", d.keyName());
    }
    if (d.network() != null) {
      n.put("network", d.network());
    }
    if (d.securityGroups() != null) {
      ArrayNode s = n.putArray("security-groups");
      d.securityGroups().forEach(s::add);
    }
    return n;
  }

  static ObjectNode document(UserDataDocument d) {
    ObjectNode n = F.objectNode();
    n.put("name", d.name());
    n.put("priority", d.priority());
    n.put("mime-type", d.mimeType());
    n.put("template", d.template());
    n.put("enabled", d.enabled());
    return n;
  }

  static ObjectNode allocation(Allocation a) {
    ObjectNode n = F.objectNode();
    n.put("group", a.group().value());
    n.put("cloud", a.cloud().value());
    n.put("priority", a.priority());
    putLimit(n, "cores-ctl", a.coresCtl());
    putLimit(n, "cores-softmax", a.coresSoftmax());
    putLimit(n, "ram-ctl-mib", a.ramCtlMiB());
    n.put("mode", a.mode().name().toLowerCase(Locale.ROOT));
    if (!a.excludedFlavors().isEmpty()) {
      n.set("exclude-flavors", flavors(a.excludedFlavors()));
    }
    ObjectNode overrides = vmDefaults(a.overrides());
    if (!overrides.isEmpty()) {
      n.set("vm-overrides", overrides);
    }
    if (!a.userData().isEmpty()) {
      ArrayNode u = n.putArray("user-data");
      a.userData().forEach(d -> u.add(document(d)));
    }
    n.put("enabled", a.enabled());
    return n;
  }

  static ArrayNode flavors(java.util.Collection<FlavorName> flavors) {
    ArrayNode f = F.arrayNode();
    new TreeSet<>(flavors).forEach(x -> f.add(x.value()));
    return f;
  }

  static void putLimit(ObjectNode n, String key, long value) {
    if (value == Limits.UNLIMITED) {
      n.remove(key);
    } else {
      n.put(key, value);
    }
  }

  static ObjectNode alias(Alias a) {
    ObjectNode n = F.objectNode();
    n.put("group", a.group().value());
    n.put("name", a.name().value());
    ArrayNode c = n.putArray("clouds");
    new TreeSet<>(a.clouds()).stream().map(CloudName::value).forEach(c::add);
    return n;
  }

  /** A duration in the shortest of the configuration's forms ({@code 90s}, {@code 5m}, {@code 2h}, {@code 1d}). */
  static String duration(Duration d) {
    if (d.getNano() % 1_000_000 != 0) {
      return d.toString();
    }
    if (d.getNano() != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.getSeconds();
    if (s != 0 && s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s != 0 && s % 3_600 == 0) {
      return s / 3_600 + "h";
    }
    if (s != 0 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  /**
   * Whether a key names a secret.
   *
   * @param key the key
   * @return true for passwords, tokens, secret keys, credentials
   */
  public static boolean isSecretKey(String key) {
    return SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches();
  }

  /**
   * A copy of a tree with every secret value replaced by {@value #REDACTED}: values of secret
   * keys ({@link #isSecretKey}) that are not only an {@code ${ENV}} reference, at any depth.
   *
   * @param node the tree
   * @return the redacted copy
   */
  public static @Nullable JsonNode redact(@Nullable JsonNode node) {
    if (node == null) {
      return null;
    }
    JsonNode copy = node.deepCopy();
    redactInPlace(copy, false);
    return copy;
  }

  private static void redactInPlace(JsonNode node, boolean secret) {
    if (node instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : new ArrayList<>(o.properties())) {
        boolean s = secret || isSecretKey(e.getKey());
        if (s && e.getValue().isValueNode() && !e.getValue().isNull() && !isReference(e.getValue().asText())) {
          o.set(e.getKey(), TextNode.valueOf(REDACTED));
        } else {
          redactInPlace(e.getValue(), s);
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        JsonNode v = a.get(i);
        if (secret && v.isValueNode() && !v.isNull() && !isReference(v.asText())) {
          a.set(i, TextNode.valueOf(REDACTED));
        } else {
          redactInPlace(v, secret);
        }
      }
    }
  }

  private static boolean isReference(String text) {
    return REFERENCE.matcher(text).matches();
  }

  /**
   * Puts back, into a new tree, the stored value of every value that reads {@value #REDACTED}
   * where the old tree has a value at the same place: a view's redacted secret passed back
   * unchanged keeps its stored value.
   *
   * @param fresh the new tree, changed in place
   * @param old the stored tree
   */
  static void restoreRedacted(JsonNode fresh, @Nullable JsonNode old) {
    if (old == null) {
      return;
    }
    if (fresh instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : new ArrayList<>(o.properties())) {
        JsonNode before = old.get(e.getKey());
        if (REDACTED.equals(e.getValue().textValue()) && before != null) {
          o.set(e.getKey(), before.deepCopy());
        } else {
          restoreRedacted(e.getValue(), before);
        }
      }
    } else if (fresh instanceof ArrayNode a && old.isArray()) {
      for (int i = 0; i < a.size() && i < old.size(); i++) {
        if (REDACTED.equals(a.get(i).textValue())) {
          a.set(i, old.get(i).deepCopy());
        } else {
          restoreRedacted(a.get(i), old.get(i));
        }
      }
    }
  }
}

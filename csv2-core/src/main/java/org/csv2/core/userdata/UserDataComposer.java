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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.csv2.api.ConfigurationException;
import org.csv2.model.Allocation;
import org.csv2.model.Group;
import org.csv2.model.UserData;
import org.csv2.model.UserDataDocument;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Composes a VM's cloud-init user data from the operator's documents.
 *
 * <p>{@link #select} picks the documents of a boot: the enabled documents of the group and of the
 * allocation (an allocation's document replaces the group's document of the same name), plus the
 * disabled ("optional") ones a job asked for by name. Names no document has are ignored: a job
 * chooses among what the operator defined and can never make the engine read a file or a URL.
 *
 * <p>{@link #compose} renders every document's <code>{{variable}}</code> placeholders (a document
 * whose name ends in {@code .j2} is Jinja, rendered in a sandbox by {@link JinjaTemplate}), checks that
 * each {@code text/cloud-config} document is valid YAML, and joins the documents, ordered by
 * priority then name, into one {@code multipart/mixed} MIME message, even when there is only one
 * (cloud-init reads both forms; one form is simpler to check). Above {@value #GZIP_THRESHOLD}
 * bytes the message is gzip-compressed ({@link UserData#gzipped()}), as the production system
 * does, to stay under the clouds' user-data limits (OpenStack: 64 KiB, EC2: 16 KiB).
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
public final class UserDataComposer {
  /** Messages larger than this many bytes are gzip-compressed. */
  public static final int GZIP_THRESHOLD = 16 * 1024;

  /** The MIME type whose documents must be YAML. */
  public static final String CLOUD_CONFIG = "text/cloud-config";

  private static final Comparator<UserDataDocument> ORDER =
      Comparator.comparingInt(UserDataDocument::priority).thenComparing(UserDataDocument::name);

  /** Creates the composer. */
  public UserDataComposer() {}

  /**
   * The documents of one boot, ordered by priority then name.
   *
   * @param group the group
   * @param allocation the allocation booted on
   * @param requested the names of optional documents the job asked for; unknown names are ignored
   * @return the selected documents
   */
  public static List<UserDataDocument> select(
      Group group, Allocation allocation, List<String> requested) {
    Map<String, UserDataDocument> byName = new LinkedHashMap<>();
    for (UserDataDocument d : group.userData()) {
      byName.put(d.name(), d);
    }
    for (UserDataDocument d : allocation.userData()) {
      byName.put(d.name(), d);
    }
    Set<String> wanted = Set.copyOf(requested);
    List<UserDataDocument> out = new ArrayList<>();
    for (UserDataDocument d : byName.values()) {
      if (d.enabled() || wanted.contains(d.name())) {
        out.add(d);
      }
    }
    out.sort(ORDER);
    return List.copyOf(out);
  }

  /**
   * Whether any of the documents uses a variable, for example {@code vm_name} (which needs one
   * user data per VM).
   *
   * @param documents the documents
   * @param variable the variable's name
   * @return true if a placeholder names it
   */
  public static boolean uses(List<UserDataDocument> documents, String variable) {
    List<String> ignored = new ArrayList<>();
    for (UserDataDocument d : documents) {
      if (JinjaTemplate.isJinja(d)
          ? JinjaTemplate.uses(d.template(), variable)
          : Template.variables(d.name(), d.template(), ignored).contains(variable)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The variables a document's template uses.
   *
   * @param document the document
   * @return the names, in order of first use
   * @throws ConfigurationException if a placeholder is malformed, naming the document and line
   */
  public static Set<String> variables(UserDataDocument document) {
    List<String> problems = new ArrayList<>();
    Set<String> names =
        JinjaTemplate.isJinja(document)
            ? JinjaTemplate.variables(document.name(), document.template(), problems)
            : Template.variables(document.name(), document.template(), problems);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return names;
  }

  /**
   * Renders and joins documents into user data.
   *
   * @param documents the documents (rendered in priority, then name, order)
   * @param variables the boot's variables (see {@link BootVariables})
   * @return the user data; {@link UserData#EMPTY} when there are no documents
   * @throws ConfigurationException listing every unknown variable, malformed placeholder and
   *     invalid cloud-config document, each with the document's name
   */
  public UserData compose(List<UserDataDocument> documents, Map<String, String> variables) {
    if (documents.isEmpty()) {
      return UserData.EMPTY;
    }
    List<UserDataDocument> ordered = new ArrayList<>(documents);
    ordered.sort(ORDER);
    List<String> problems = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    for (UserDataDocument d : ordered) {
      int before = problems.size();
      String text =
          JinjaTemplate.isJinja(d)
              ? JinjaTemplate.render(d.name(), d.template(), variables, problems)
              : Template.render(d.name(), d.template(), variables, problems);
      if (problems.size() == before && CLOUD_CONFIG.equals(d.mimeType())) {
        checkYaml(d.name(), text, problems);
      }
      bodies.add(text);
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    byte[] message = Multipart.join(ordered, bodies).getBytes(StandardCharsets.UTF_8);
    if (message.length <= GZIP_THRESHOLD) {
      return new UserData(Base64.getEncoder().encodeToString(message), false);
    }
    return new UserData(Base64.getEncoder().encodeToString(gzip(message)), true);
  }

  private static void checkYaml(String name, String text, List<String> problems) {
    try {
      new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text).forEach(doc -> {});
    } catch (MarkedYAMLException e) {
      // The problem and position only: the snippet could show a rendered secret such as a token.
      Mark mark = e.getProblemMark();
      String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
      problems.add(
          "user-data document '" + name + "' (" + CLOUD_CONFIG + ") is not valid YAML after rendering"
              + where + ": " + e.getProblem());
    } catch (YAMLException e) {
      problems.add(
          "user-data document '" + name + "' (" + CLOUD_CONFIG + ") is not valid YAML after rendering");
    }
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 3 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException("gzip in memory failed", e);
    }
    return out.toByteArray();
  }
}

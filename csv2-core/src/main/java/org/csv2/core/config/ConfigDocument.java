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
package org.csv2.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.csv2.api.ConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * A configuration document as a tree that operator verbs edit: parsed from the stored YAML text
 * before {@code ${ENV}} substitution (so secrets stay references), changed in place, written back
 * as YAML text and validated with {@link ConfigLoader}, which reports every problem at once.
 *
 * <p>Written text keeps every key and value but not the original comments or layout; multi-line
 * strings (user-data templates) are written as literal blocks.
 *
 * <p><b>Thread safety:</b> not thread-safe; one per edit.
 */
public final class ConfigDocument {
  private static final ObjectMapper WRITER =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                  .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                  .build())
          .build();

  private final ObjectNode root;

  private ConfigDocument(ObjectNode root) {
    this.root = root;
  }

  /**
   * Parses a document.
   *
   * @param yaml the YAML text
   * @param source where it comes from, for messages
   * @return the document
   * @throws ConfigurationException if the text is not YAML or not a mapping
   */
  public static ConfigDocument parse(String yaml, String source) {
    Objects.requireNonNull(yaml, "yaml");
    JsonNode node;
    try {
      node = ConfigMapper.MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(List.of(source + ": not valid YAML (" + e.getOriginalMessage() + ")"));
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return new ConfigDocument(JsonNodeFactory.instance.objectNode());
    }
    if (!(node instanceof ObjectNode object)) {
      throw new ConfigurationException(List.of(source + ": expected a mapping, got " + RecordBinder.describe(node)));
    }
    return new ConfigDocument(object);
  }

  /**
   * The tree, to edit in place.
   *
   * @return the root mapping
   */
  public ObjectNode root() {
    return root;
  }

  /**
   * A top-level list ({@code groups}, {@code clouds}, {@code allocations}, {@code aliases}),
   * created empty when absent.
   *
   * @param key the key
   * @return the list
   * @throws ConfigurationException if the key holds something else than a list
   */
  public ArrayNode list(String key) {
    JsonNode node = root.get(key);
    if (node == null || node.isNull()) {
      return root.putArray(key);
    }
    if (!(node instanceof ArrayNode array)) {
      throw new ConfigurationException(List.of(key + ": expected a list, got " + RecordBinder.describe(node)));
    }
    return array;
  }

  /**
   * The index of the first element of a top-level list whose fields have the given text values.
   *
   * @param key the list's key
   * @param match field name to value
   * @return the index, or -1
   */
  public int indexOf(String key, Map<String, String> match) {
    ArrayNode list = list(key);
    for (int i = 0; i < list.size(); i++) {
      JsonNode e = list.get(i);
      boolean all = e.isObject();
      for (Map.Entry<String, String> m : match.entrySet()) {
        JsonNode v = e.get(m.getKey());
        all = all && v != null && v.isValueNode() && v.asText().equals(m.getValue());
      }
      if (all) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The document as YAML text.
   *
   * @return the text
   */
  public String text() {
    return yaml(root);
  }

  /**
   * Validates the document as the engine would load it.
   *
   * @param env the environment for {@code ${ENV}} references (null for unset)
   * @param source where the change comes from, for messages
   * @param baseDir the directory user-data {@code file:} paths are relative to
   * @return the configuration
   * @throws ConfigurationException listing every problem with its path
   */
  public Csv2Config validate(Function<String, @Nullable String> env, String source, Path baseDir) {
    return ConfigLoader.parse(text(), env, source, baseDir);
  }

  /**
   * A tree (or part of one) as YAML text.
   *
   * @param node the node
   * @return the text, empty for null
   */
  public static String yaml(@Nullable JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "";
    }
    try {
      return WRITER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a configuration tree cannot be written as YAML", e);
    }
  }

  /**
   * A tree as plain Java values (maps, lists, strings, numbers, booleans).
   *
   * @param node the node
   * @return the value as a map, or an empty map when the node is not a mapping
   */
  public static Map<String, Object> toMap(@Nullable JsonNode node) {
    if (node == null || !node.isObject()) {
      return Map.of();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = ConfigMapper.MAPPER.convertValue(node, Map.class);
    return map;
  }

  /**
   * Plain Java values as a tree.
   *
   * @param value maps, lists, strings, numbers, booleans
   * @return the tree
   */
  public static JsonNode toTree(Object value) {
    return ConfigMapper.MAPPER.valueToTree(value);
  }
}

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

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.csv2.api.ConfigurationException;
import org.csv2.spi.Secret;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * Binds a YAML tree to records, component by component, so that every problem is collected with
 * its path instead of stopping at the first (a single Jackson bind stops at the first error).
 *
 * <p>Rules: keys are the kebab-case form of the component names; an unknown key is an error; a
 * component annotated {@code @Nullable} may be absent (null); in {@code @NullMarked} code any
 * other component is required, except collections and maps, which default to empty; a primitive
 * is always required; a single-component record (a typed name) is bound from a scalar. Scalars go
 * through {@link ConfigMapper#MAPPER}; durations accept {@code 10s}; a {@link Secret}'s value never
 * appears in a message.
 */
final class RecordBinder {
  private static final Object FAILED = new Object();

  private final ObjectMapper mapper;

  RecordBinder(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * Binds a node to a record type.
   *
   * @param node the node; null or a YAML null for an absent section (returns null)
   * @param type the record type
   * @param path the node's path, for messages
   * @param problems where problems go
   * @return the record, or null when absent or when a problem was recorded
   */
  <T> @Nullable T bind(@Nullable JsonNode node, Class<T> type, String path, List<String> problems) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    Object value = bindValue(node, mapper.constructType(type), path, problems);
    return value == FAILED ? null : type.cast(value);
  }

  /**
   * Binds a node to a record type, throwing every problem at once.
   *
   * @param node the node
   * @param type the record type
   * @param path the node's path
   * @return the record
   * @throws ConfigurationException listing every problem
   */
  <T> T bindOrThrow(JsonNode node, Class<T> type, String path) {
    List<String> problems = new ArrayList<>();
    T value = bind(node, type, path, problems);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    if (value == null) {
      throw new ConfigurationException(List.of(label(path) + "missing value"));
    }
    return value;
  }

  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String index(String path, int i) {
    return path + "[" + i + "]";
  }

  static String label(String path) {
    return path.isEmpty() ? "" : path + ": ";
  }

  private Object bindValue(JsonNode node, JavaType type, String path, List<String> problems) {
    Class<?> raw = type.getRawClass();
    if (raw.isRecord()) {
      return bindRecord(node, raw, path, problems);
    }
    if (type.isCollectionLikeType()) {
      return bindCollection(node, type, path, problems);
    }
    if (type.isMapLikeType()) {
      return bindMap(node, type, path, problems);
    }
    return bindScalar(node, type, path, problems);
  }

  private Object bindRecord(JsonNode node, Class<?> type, String path, List<String> problems) {
    RecordComponent[] components = type.getRecordComponents();
    if (components.length == 1 && node.isValueNode()) {
      return bindTypedName(node, type, components[0], path, problems);
    }
    if (!node.isObject()) {
      problems.add(label(path) + "expected a mapping with keys " + keys(components) + ", got " + describe(node));
      return FAILED;
    }
    int before = problems.size();
    Map<String, RecordComponent> byKey = new LinkedHashMap<>();
    for (RecordComponent c : components) {
      byKey.put(ConfigMapper.key(c.getName()), c);
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!byKey.containsKey(key)) {
        problems.add(child(path, key) + ": unknown key; known keys: " + String.join(", ", byKey.keySet()));
      }
    }
    Object[] args = new Object[components.length];
    boolean nullMarked = nullMarked(type);
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      String key = ConfigMapper.key(c.getName());
      String at = child(path, key);
      JsonNode value = node.get(key);
      if (value == null || value.isNull() || value.isMissingNode()) {
        args[i] = absent(c, nullMarked, at, problems);
      } else {
        Object bound = bindValue(value, mapper.constructType(c.getGenericType()), at, problems);
        args[i] = bound == FAILED ? null : bound;
      }
    }
    if (problems.size() > before) {
      return FAILED;
    }
    return construct(type, components, args, path, problems);
  }

  private @Nullable Object absent(RecordComponent c, boolean nullMarked, String at, List<String> problems) {
    Class<?> t = c.getType();
    if (t.isPrimitive()) {
      problems.add(at + ": missing required value");
      return defaultPrimitive(t);
    }
    if (c.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
      return null;
    }
    if (List.class.equals(t) || java.util.Collection.class.equals(t)) {
      return List.of();
    }
    if (Set.class.equals(t)) {
      return Set.of();
    }
    if (Map.class.equals(t)) {
      return Map.of();
    }
    if (nullMarked) {
      problems.add(at + ": missing required value");
    }
    return null;
  }

  private static Object defaultPrimitive(Class<?> t) {
    if (t == boolean.class) return false;
    if (t == char.class) return '\0';
    if (t == byte.class) return (byte) 0;
    if (t == short.class) return (short) 0;
    if (t == int.class) return 0;
    if (t == long.class) return 0L;
    if (t == float.class) return 0f;
    return 0d;
  }

  private Object bindTypedName(
      JsonNode node, Class<?> type, RecordComponent component, String path, List<String> problems) {
    int before = problems.size();
    Object value = bindValue(node, mapper.constructType(component.getGenericType()), path, problems);
    if (problems.size() > before || value == FAILED) {
      return FAILED;
    }
    return construct(type, new RecordComponent[] {component}, new Object[] {value}, path, problems);
  }

  private static Object construct(
      Class<?> type, RecordComponent[] components, @Nullable Object[] args, String path, List<String> problems) {
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
    }
    Constructor<?> ctor;
    try {
      ctor = type.getDeclaredConstructor(types);
      ctor.setAccessible(true);
    } catch (NoSuchMethodException | RuntimeException e) {
      problems.add(label(path) + "cannot create " + type.getName() + " (" + e + "); make the record and its package accessible");
      return FAILED;
    }
    try {
      return ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ConfigurationException ce) {
        for (String p : ce.problems()) {
          problems.add(label(path) + p);
        }
      } else if (cause instanceof NullPointerException) {
        String missing = cause.getMessage();
        if (missing != null && isComponent(components, missing)) {
          problems.add(child(path, ConfigMapper.key(missing)) + ": missing required value");
        } else {
          problems.add(label(path) + "missing required value" + (missing == null ? "" : " (" + missing + ")"));
        }
      } else if (cause != null && cause.getMessage() != null) {
        problems.add(label(path) + cause.getMessage());
      } else {
        problems.add(label(path) + "invalid value (" + cause + ")");
      }
      return FAILED;
    } catch (ReflectiveOperationException e) {
      problems.add(label(path) + "cannot create " + type.getName() + " (" + e + ")");
      return FAILED;
    }
  }

  private static boolean isComponent(RecordComponent[] components, String name) {
    for (RecordComponent c : components) {
      if (c.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private Object bindCollection(JsonNode node, JavaType type, String path, List<String> problems) {
    if (!node.isArray()) {
      problems.add(label(path) + "expected a list, got " + describe(node));
      return FAILED;
    }
    JavaType content = type.getContentType();
    List<Object> out = new ArrayList<>();
    boolean failed = false;
    for (int i = 0; i < node.size(); i++) {
      JsonNode element = node.get(i);
      String at = index(path, i);
      if (element == null || element.isNull()) {
        problems.add(at + ": empty list element");
        failed = true;
        continue;
      }
      Object value = bindValue(element, content, at, problems);
      if (value == FAILED) {
        failed = true;
      } else {
        out.add(value);
      }
    }
    if (failed) {
      return FAILED;
    }
    Class<?> raw = type.getRawClass();
    if (SortedSet.class.isAssignableFrom(raw)) {
      return Collections.unmodifiableSortedSet(new TreeSet<>(out));
    }
    if (Set.class.isAssignableFrom(raw)) {
      return Collections.unmodifiableSet(new LinkedHashSet<>(out));
    }
    return Collections.unmodifiableList(out);
  }

  private Object bindMap(JsonNode node, JavaType type, String path, List<String> problems) {
    if (!node.isObject()) {
      problems.add(label(path) + "expected a mapping, got " + describe(node));
      return FAILED;
    }
    JavaType keyType = type.getKeyType();
    JavaType valueType = type.getContentType();
    Map<Object, Object> out = new LinkedHashMap<>();
    boolean failed = false;
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String at = child(path, e.getKey());
      Object key = bindScalar(TextNode.valueOf(e.getKey()), keyType, at, problems);
      if (e.getValue().isNull()) {
        problems.add(at + ": empty value; give a value or remove the key");
        failed = true;
        continue;
      }
      Object value = bindValue(e.getValue(), valueType, at, problems);
      if (key == FAILED || value == FAILED) {
        failed = true;
      } else {
        out.put(key, value);
      }
    }
    return failed ? FAILED : Collections.unmodifiableMap(out);
  }

  private Object bindScalar(JsonNode node, JavaType type, String path, List<String> problems) {
    Class<?> raw = type.getRawClass();
    if (raw == Secret.class) {
      if (node.isValueNode()) {
        return Secret.of(node.asText());
      }
      problems.add(label(path) + "expected a secret (a string), got " + describe(node));
      return FAILED;
    }
    if (raw == String.class) {
      if (node.isValueNode()) {
        return node.asText();
      }
      problems.add(label(path) + "expected a string, got " + describe(node));
      return FAILED;
    }
    if (raw == Object.class) {
      return mapper.convertValue(node, Object.class);
    }
    if (raw == Duration.class) {
      if (!node.isTextual()) {
        problems.add(label(path) + show(node) + " is not a duration: " + Durations.FORMS);
        return FAILED;
      }
      try {
        return Durations.parse(node.asText());
      } catch (IllegalArgumentException e) {
        problems.add(label(path) + e.getMessage());
        return FAILED;
      }
    }
    if (raw == Path.class) {
      if (!node.isTextual()) {
        problems.add(label(path) + "expected a file path, got " + describe(node));
        return FAILED;
      }
      try {
        return Path.of(node.asText());
      } catch (InvalidPathException e) {
        problems.add(label(path) + "'" + node.asText() + "' is not a valid path: " + e.getReason());
        return FAILED;
      }
    }
    if (raw.isEnum()) {
      return bindEnum(node, raw, path, problems);
    }
    if (raw == boolean.class || raw == Boolean.class) {
      if (node.isBoolean()) {
        return node.booleanValue();
      }
      if (node.isTextual() && ("true".equalsIgnoreCase(node.asText().trim()) || "false".equalsIgnoreCase(node.asText().trim()))) {
        return Boolean.parseBoolean(node.asText().trim());
      }
      problems.add(label(path) + "expected true or false, got " + show(node));
      return FAILED;
    }
    if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class
        || raw == short.class || raw == Short.class) {
      return bindInteger(node, raw, path, problems);
    }
    if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
      double d;
      if (node.isNumber()) {
        d = node.doubleValue();
      } else if (node.isTextual()) {
        try {
          d = Double.parseDouble(node.asText().trim());
        } catch (NumberFormatException e) {
          problems.add(label(path) + "expected a number, got " + show(node));
          return FAILED;
        }
      } else {
        problems.add(label(path) + "expected a number, got " + show(node));
        return FAILED;
      }
      return raw == float.class || raw == Float.class ? (Object) (float) d : (Object) d;
    }
    try {
      Object value = mapper.readerFor(type).readValue(node);
      if (value == null) {
        problems.add(label(path) + "missing value");
        return FAILED;
      }
      return value;
    } catch (IOException | IllegalArgumentException e) {
      String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
          ? jpe.getOriginalMessage()
          : e.getMessage();
      problems.add(label(path) + "cannot read " + describe(node) + " as " + raw.getSimpleName() + ": " + message);
      return FAILED;
    }
  }

  private static Object bindInteger(JsonNode node, Class<?> raw, String path, List<String> problems) {
    long value;
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      value = node.longValue();
    } else if (node.isTextual()) {
      try {
        value = Long.parseLong(node.asText().trim());
      } catch (NumberFormatException e) {
        problems.add(label(path) + "expected an integer, got " + show(node));
        return FAILED;
      }
    } else {
      problems.add(label(path) + "expected an integer, got " + show(node));
      return FAILED;
    }
    if (raw == long.class || raw == Long.class) {
      return value;
    }
    if (raw == short.class || raw == Short.class) {
      if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
        problems.add(label(path) + value + " is out of range");
        return FAILED;
      }
      return (short) value;
    }
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      problems.add(label(path) + value + " is out of range (at most " + Integer.MAX_VALUE + ")");
      return FAILED;
    }
    return (int) value;
  }

  private static Object bindEnum(JsonNode node, Class<?> raw, String path, List<String> problems) {
    Object[] constants = raw.getEnumConstants();
    List<String> names = new ArrayList<>();
    for (Object c : constants) {
      names.add(((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    if (node.isTextual()) {
      String wanted = node.asText().trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (int i = 0; i < constants.length; i++) {
        if (names.get(i).equals(wanted)) {
          return constants[i];
        }
      }
    }
    problems.add(label(path) + show(node) + " is not one of: " + String.join(", ", names));
    return FAILED;
  }

  private static String keys(RecordComponent[] components) {
    List<String> keys = new ArrayList<>();
    for (RecordComponent c : components) {
      keys.add(ConfigMapper.key(c.getName()));
    }
    return keys.stream().collect(Collectors.joining(", ", "(", ")"));
  }

  /** A short description of a node's kind, never its value. */
  static String describe(JsonNode node) {
    if (node.isObject()) return "a mapping";
    if (node.isArray()) return "a list";
    if (node.isBoolean()) return "a boolean";
    if (node.isNumber()) return "a number";
    if (node.isNull()) return "nothing";
    return "a string";
  }

  /** A scalar's value for a message, quoted; a mapping or list by its kind. */
  private static String show(JsonNode node) {
    if (node.isContainerNode()) {
      return describe(node);
    }
    String text = node.asText();
    if (text.length() > 60) {
      text = text.substring(0, 57) + "...";
    }
    return "'" + text + "'";
  }

  private static boolean nullMarked(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
      if (c.isAnnotationPresent(NullMarked.class)) {
        return true;
      }
    }
    AnnotatedElement pkg = type.getPackage();
    return pkg != null && pkg.isAnnotationPresent(NullMarked.class);
  }
}

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
package org.csv2.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csv2.api.ConfigurationException;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.Secret;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PluginConfig} for plugin tests, so that a plugin's configuration record is bound the way
 * the engine binds it without depending on csv2-core.
 *
 * <p>Rules, as {@link PluginConfig#bind} documents them: keys are the kebab-case form of the
 * component names ({@code authUrl} is {@code auth-url}); an unknown key is an error that names the
 * known keys; durations accept {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d} and
 * ISO-8601 ({@code PT10S}); {@link Secret} components take strings; nested records, lists, sets,
 * maps, enums (case-insensitive, {@code -} for {@code _}), {@link Path}s, numbers and booleans bind
 * too, and any other type goes through Jackson. A missing key (or a null value) binds as null; a
 * missing primitive is an error. (The engine is stricter in one way: in {@code @NullMarked} code
 * it also requires every component that is not {@code @Nullable}, a collection or a map.)
 *
 * <p>Every problem is reported at once in one {@link ConfigurationException}, each with its full
 * path, such as {@code clouds[0].config.instance-types.families[0]: ...}; problems thrown by the
 * record's compact constructor are included. A value bound to a {@link Secret} never appears in a
 * message, and {@link #toString()} shows only the keys.
 *
 * <pre>{@code
 * MyConfig c = TestPluginConfig.of(Map.of("auth-url", "https://keystone:5000/v3"), "clouds[0].config")
 *     .bind(MyConfig.class);
 * CloudDriver d = new MyCloudDriverProvider().create(TestPluginConfig.of(raw, "clouds[0].config"), context);
 * }</pre>
 *
 * <p><b>Thread safety:</b> immutable.
 */
public final class TestPluginConfig implements PluginConfig {
  private static final Object FAILED = new Object();
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final String DURATION_FORMS = "use 500ms, 10s, 5m, 2h, 1d or ISO-8601 such as PT10S";
  private static final PropertyNamingStrategies.NamingBase NAMING =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.KEBAB_CASE;
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .propertyNamingStrategy(NAMING)
          .build();

  private final Map<String, Object> raw;
  private final String path;

  private TestPluginConfig(Map<String, Object> raw, String path) {
    this.raw = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(raw, "raw")));
    this.path = Objects.requireNonNull(path, "path");
  }

  /**
   * A configuration subtree from plain maps, lists and scalars.
   *
   * @param raw the keys and values, as YAML would give them (null values are allowed and mean absent)
   * @param path the subtree's path for messages, such as {@code clouds[0].config} or {@code
   *     state-store.config}
   * @return the configuration
   */
  public static TestPluginConfig of(Map<String, Object> raw, String path) {
    return new TestPluginConfig(raw, path);
  }

  /**
   * The kebab-case key of a record component, as the engine spells it.
   *
   * @param component the component's name, such as {@code authUrl}
   * @return the key, such as {@code auth-url}
   */
  public static String key(String component) {
    return NAMING.translate(component);
  }

  @Override
  public <T extends Record> T bind(Class<T> type) {
    Objects.requireNonNull(type, "type");
    JsonNode node;
    try {
      node = MAPPER.valueToTree(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          List.of(path + ": cannot read the raw values (use maps, lists, strings, numbers and booleans): "
              + firstLine(e.getMessage())));
    }
    List<String> problems = new ArrayList<>();
    Object value = bindRecord(node, type, path, problems);
    if (!problems.isEmpty() || value == FAILED) {
      throw new ConfigurationException(problems.isEmpty() ? List.of(path + ": invalid value") : problems);
    }
    return type.cast(value);
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public Map<String, Object> raw() {
    return raw;
  }

  /** The path and the keys only: the values may hold secrets. */
  @Override
  public String toString() {
    return "TestPluginConfig[" + path + ", keys=" + new TreeSet<>(raw.keySet()) + "]";
  }

  private static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String label(String path) {
    return path.isEmpty() ? "" : path + ": ";
  }

  private Object bindValue(JsonNode node, JavaType type, String path, List<String> problems) {
    Class<?> rawType = type.getRawClass();
    if (rawType.isRecord()) {
      return bindRecord(node, rawType, path, problems);
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
      // a typed name such as CloudName: bound from its one value
      Object value = bindValue(node, MAPPER.constructType(components[0].getGenericType()), path, problems);
      return value == FAILED ? FAILED : construct(type, components, new Object[] {value}, path, problems);
    }
    List<String> known = new ArrayList<>();
    for (RecordComponent c : components) {
      known.add(key(c.getName()));
    }
    if (!node.isObject()) {
      problems.add(label(path) + "expected a mapping with keys (" + String.join(", ", known) + "), got " + describe(node));
      return FAILED;
    }
    int before = problems.size();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        problems.add(child(path, key) + ": unknown key; known keys: " + String.join(", ", known));
      }
    }
    @Nullable Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      String at = child(path, known.get(i));
      JsonNode value = node.get(known.get(i));
      if (value == null || value.isNull() || value.isMissingNode()) {
        if (c.getType().isPrimitive()) {
          problems.add(at + ": missing required value");
        }
        args[i] = c.getType().isPrimitive() ? defaultPrimitive(c.getType()) : null;
      } else {
        Object bound = bindValue(value, MAPPER.constructType(c.getGenericType()), at, problems);
        args[i] = bound == FAILED ? null : bound;
      }
    }
    if (problems.size() > before) {
      return FAILED;
    }
    return construct(type, components, args, path, problems);
  }

  private static Object defaultPrimitive(Class<?> t) {
    if (t == boolean.class) {
      return false;
    }
    if (t == char.class) {
      return '\0';
    }
    if (t == byte.class) {
      return (byte) 0;
    }
    if (t == short.class) {
      return (short) 0;
    }
    if (t == int.class) {
      return 0;
    }
    if (t == long.class) {
      return 0L;
    }
    if (t == float.class) {
      return 0f;
    }
    return 0d;
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
      problems.add(label(path) + "cannot create " + type.getName() + " (" + e + ")");
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
      String at = path + "[" + i + "]";
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
    Class<?> rawType = type.getRawClass();
    if (SortedSet.class.isAssignableFrom(rawType)) {
      return Collections.unmodifiableSortedSet(new TreeSet<>(out));
    }
    if (Set.class.isAssignableFrom(rawType)) {
      return Collections.unmodifiableSet(new LinkedHashSet<>(out));
    }
    if (!rawType.isAssignableFrom(List.class) && !Collection.class.equals(rawType)) {
      problems.add(label(path) + "cannot bind a list to " + rawType.getName() + "; declare List or Set");
      return FAILED;
    }
    return Collections.unmodifiableList(out);
  }

  private Object bindMap(JsonNode node, JavaType type, String path, List<String> problems) {
    if (!node.isObject()) {
      problems.add(label(path) + "expected a mapping, got " + describe(node));
      return FAILED;
    }
    Map<Object, Object> out = new LinkedHashMap<>();
    boolean failed = false;
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String at = child(path, e.getKey());
      Object key = bindScalar(TextNode.valueOf(e.getKey()), type.getKeyType(), at, problems);
      if (e.getValue().isNull()) {
        problems.add(at + ": empty value; give a value or remove the key");
        failed = true;
        continue;
      }
      Object value = bindValue(e.getValue(), type.getContentType(), at, problems);
      if (key == FAILED || value == FAILED) {
        failed = true;
      } else {
        out.put(key, value);
      }
    }
    return failed ? FAILED : Collections.unmodifiableMap(out);
  }

  private Object bindScalar(JsonNode node, JavaType type, String path, List<String> problems) {
    Class<?> rawType = type.getRawClass();
    if (rawType == Secret.class) {
      if (node.isValueNode()) {
        return Secret.of(node.asText());
      }
      problems.add(label(path) + "expected a secret (a string), got " + describe(node));
      return FAILED;
    }
    if (rawType == String.class) {
      if (node.isValueNode()) {
        return node.asText();
      }
      problems.add(label(path) + "expected a string, got " + describe(node));
      return FAILED;
    }
    if (rawType == Object.class) {
      return MAPPER.convertValue(node, Object.class);
    }
    if (rawType == Duration.class) {
      if (!node.isTextual()) {
        problems.add(label(path) + show(node) + " is not a duration: " + DURATION_FORMS);
        return FAILED;
      }
      try {
        return duration(node.asText());
      } catch (IllegalArgumentException e) {
        problems.add(label(path) + e.getMessage());
        return FAILED;
      }
    }
    if (rawType == Path.class) {
      if (!node.isTextual()) {
        problems.add(label(path) + "expected a file path, got " + describe(node));
        return FAILED;
      }
      try {
        return Path.of(node.asText());
      } catch (InvalidPathException e) {
        problems.add(label(path) + show(node) + " is not a valid path: " + e.getReason());
        return FAILED;
      }
    }
    if (rawType.isEnum()) {
      return bindEnum(node, rawType, path, problems);
    }
    if (rawType == boolean.class || rawType == Boolean.class) {
      String text = node.asText().trim();
      if (node.isBoolean()) {
        return node.booleanValue();
      }
      if (node.isTextual() && ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text))) {
        return Boolean.parseBoolean(text);
      }
      problems.add(label(path) + "expected true or false, got " + show(node));
      return FAILED;
    }
    if (rawType == int.class || rawType == Integer.class || rawType == long.class || rawType == Long.class
        || rawType == short.class || rawType == Short.class) {
      return bindInteger(node, rawType, path, problems);
    }
    if (rawType == double.class || rawType == Double.class || rawType == float.class || rawType == Float.class) {
      double d;
      try {
        if (node.isNumber()) {
          d = node.doubleValue();
        } else if (node.isTextual()) {
          d = Double.parseDouble(node.asText().trim());
        } else {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        problems.add(label(path) + "expected a number, got " + show(node));
        return FAILED;
      }
      return rawType == float.class || rawType == Float.class ? (Object) (float) d : (Object) d;
    }
    try {
      Object value = MAPPER.readerFor(type).readValue(node);
      if (value == null) {
        problems.add(label(path) + "missing value");
        return FAILED;
      }
      return value;
    } catch (IOException | IllegalArgumentException e) {
      String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
      problems.add(label(path) + "cannot read " + describe(node) + " as " + rawType.getSimpleName() + ": "
          + firstLine(message));
      return FAILED;
    }
  }

  private static Object bindInteger(JsonNode node, Class<?> rawType, String path, List<String> problems) {
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
    if (rawType == long.class || rawType == Long.class) {
      return value;
    }
    long min = rawType == short.class || rawType == Short.class ? Short.MIN_VALUE : Integer.MIN_VALUE;
    long max = rawType == short.class || rawType == Short.class ? Short.MAX_VALUE : Integer.MAX_VALUE;
    if (value < min || value > max) {
      problems.add(label(path) + value + " is out of range (at most " + max + ")");
      return FAILED;
    }
    return rawType == short.class || rawType == Short.class ? (Object) (short) value : (Object) (int) value;
  }

  private static Object bindEnum(JsonNode node, Class<?> rawType, String path, List<String> problems) {
    Object[] constants = rawType.getEnumConstants();
    List<String> names = new ArrayList<>();
    for (Object c : constants) {
      names.add(((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    if (node.isTextual()) {
      int i = names.indexOf(node.asText().trim().toLowerCase(Locale.ROOT).replace('_', '-'));
      if (i >= 0) {
        return constants[i];
      }
    }
    problems.add(label(path) + show(node) + " is not one of: " + String.join(", ", names));
    return FAILED;
  }

  private static Duration duration(String text) {
    String t = text.trim();
    Matcher m = SHORT_DURATION.matcher(t.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      try {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      } catch (NumberFormatException | ArithmeticException e) {
        throw new IllegalArgumentException("'" + text + "' is too large a duration");
      }
    }
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        Duration d = Duration.parse(t);
        if (d.isNegative()) {
          throw new IllegalArgumentException("'" + text + "' is negative; durations must not be");
        }
        return d;
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("'" + text + "' is not a duration: " + DURATION_FORMS);
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a duration: " + DURATION_FORMS);
  }

  /** A short description of a node's kind, never its value. */
  private static String describe(JsonNode node) {
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    if (node.isNumber()) {
      return "a number";
    }
    return "a string";
  }

  /** A scalar's value for a message, quoted and shortened; a mapping or list by its kind. Never used for secrets. */
  private static String show(JsonNode node) {
    if (node.isContainerNode()) {
      return describe(node);
    }
    String text = node.asText();
    return "'" + (text.length() > 60 ? text.substring(0, 57) + "..." : text) + "'";
  }

  private static String firstLine(@Nullable String s) {
    if (s == null) {
      return "invalid value";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}

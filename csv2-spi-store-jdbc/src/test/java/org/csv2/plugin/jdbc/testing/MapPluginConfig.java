package org.csv2.plugin.jdbc.testing;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csv2.api.ConfigurationException;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.Secret;

/**
 * A {@link PluginConfig} over a plain map for tests, binding the way the engine's binder does:
 * kebab-case keys, strict (an unknown key is an error), {@code 10s}-style durations, strings as
 * {@link Secret}s. Missing keys bind as null.
 */
public final class MapPluginConfig implements PluginConfig {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final Map<String, Object> raw;
  private final String path;

  private MapPluginConfig(Map<String, Object> raw, String path) {
    this.raw = Map.copyOf(raw);
    this.path = path;
  }

  /**
   * A {@code state-store.config} subtree.
   *
   * @param raw the keys and values
   * @return the configuration
   */
  public static MapPluginConfig of(Map<String, Object> raw) {
    return new MapPluginConfig(raw, "state-store.config");
  }

  /**
   * A configuration of url, user and password (either may be null), plus further keys.
   *
   * @param url the JDBC URL
   * @param user the user or null
   * @param password the password or null
   * @param more further keys
   * @return the configuration
   */
  public static MapPluginConfig jdbc(String url, String user, String password, Map<String, Object> more) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", url);
    if (user != null) {
      m.put("user", user);
    }
    if (password != null) {
      m.put("password", password);
    }
    m.putAll(more);
    return of(m);
  }

  @Override
  public <T extends Record> T bind(Class<T> type) {
    RecordComponent[] components = type.getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    List<String> problems = new ArrayList<>();
    Map<String, Object> left = new LinkedHashMap<>(raw);
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      String key = kebab(c.getName());
      Object v = left.remove(key);
      try {
        values[i] = v == null ? null : convert(v, c.getType());
      } catch (RuntimeException e) {
        problems.add(path + "." + key + ": " + e.getMessage());
      }
    }
    left.keySet().forEach(k -> problems.add(path + "." + k + ": unknown key"));
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    try {
      Constructor<T> ctor = type.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return ctor.newInstance(values);
    } catch (InvocationTargetException e) {
      throw new ConfigurationException(List.of(path + ": " + e.getCause().getMessage()));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object convert(Object v, Class<?> type) {
    String s = String.valueOf(v);
    if (type == String.class) {
      return s;
    }
    if (type == Secret.class) {
      return Secret.of(s);
    }
    if (type == Integer.class || type == int.class) {
      return v instanceof Number n ? n.intValue() : Integer.parseInt(s);
    }
    if (type == Boolean.class || type == boolean.class) {
      return Boolean.parseBoolean(s);
    }
    if (type == Duration.class) {
      Matcher m = DURATION.matcher(s.toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new IllegalArgumentException("'" + s + "' is not a duration such as 10s");
      }
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    throw new IllegalArgumentException("cannot bind type " + type);
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public Map<String, Object> raw() {
    return raw;
  }
}

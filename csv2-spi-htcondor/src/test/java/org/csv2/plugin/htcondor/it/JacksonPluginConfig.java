package org.csv2.plugin.htcondor.it;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.csv2.api.ConfigurationException;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.Secret;

/**
 * A test-only {@link PluginConfig} that binds like csv2-core's (one strict Jackson mapper,
 * kebab-case keys, {@code 10s}-style durations, {@link Secret} from strings), so the driver's config
 * record is tested without depending on csv2-core.
 */
final class JacksonPluginConfig implements PluginConfig {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final ObjectMapper MAPPER = mapper();

  private final Map<String, Object> raw;
  private final String path;

  JacksonPluginConfig(Map<String, Object> raw, String path) {
    this.raw = new LinkedHashMap<>(raw);
    this.path = path;
  }

  static JacksonPluginConfig of(Map<String, Object> raw) {
    return new JacksonPluginConfig(raw, "it.config");
  }

  private static ObjectMapper mapper() {
    SimpleModule m = new SimpleModule("csv2-test");
    m.addDeserializer(Secret.class, new StdDeserializer<Secret>(Secret.class) {
      private static final long serialVersionUID = 1L;

      @Override
      public Secret deserialize(JsonParser p, DeserializationContext c) throws IOException {
        return Secret.of(p.getValueAsString());
      }
    });
    m.addDeserializer(Duration.class, new StdDeserializer<Duration>(Duration.class) {
      private static final long serialVersionUID = 1L;

      @Override
      public Duration deserialize(JsonParser p, DeserializationContext c) throws IOException {
        String text = p.getValueAsString();
        Matcher x = DURATION.matcher(text == null ? "" : text.strip());
        if (!x.matches()) {
          throw JsonMappingException.from(p, "not a duration like 10s, 5m, 2h: " + text);
        }
        long n = Long.parseLong(x.group(1));
        return switch (x.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
    });
    return new ObjectMapper()
        .registerModule(m)
        .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  @Override
  public <T extends Record> T bind(Class<T> type) {
    try {
      return MAPPER.convertValue(raw, type);
    } catch (IllegalArgumentException e) {
      Throwable cause = e.getCause() instanceof JsonMappingException ? e.getCause() : e;
      String where = cause instanceof JsonMappingException jme
          ? jme.getPath().stream()
              .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining())
          : "";
      String why = cause instanceof JsonMappingException jme ? jme.getOriginalMessage() : cause.getMessage();
      throw new ConfigurationException(List.of(path + where + ": " + firstLine(why)));
    }
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public Map<String, Object> raw() {
    return Map.copyOf(raw);
  }
}

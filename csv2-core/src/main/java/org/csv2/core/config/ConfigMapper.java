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

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.time.Duration;
import org.csv2.spi.Secret;

/**
 * The one canonical Jackson mapper of csv2's configuration: YAML through SnakeYAML, strict about
 * unknown keys, duplicate keys and nulls for primitives, kebab-case names, and csv2's duration and
 * {@link Secret} forms. {@link RecordBinder} uses it for scalars and for the tree.
 */
final class ConfigMapper {
  /** The naming strategy: component {@code authUrl} is key {@code auth-url}. */
  static final PropertyNamingStrategies.NamingBase NAMING =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.KEBAB_CASE;

  /** The mapper. Thread-safe once configured. */
  static final ObjectMapper MAPPER = create();

  private ConfigMapper() {}

  private static ObjectMapper create() {
    SimpleModule module = new SimpleModule("csv2-config");
    module.addDeserializer(Duration.class, new DurationDeserializer());
    module.addDeserializer(Secret.class, new SecretDeserializer());
    YAMLFactory factory = YAMLFactory.builder().build();
    factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return YAMLMapper.builder(factory)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .propertyNamingStrategy(NAMING)
        .addModule(module)
        .build();
  }

  /**
   * The YAML key of a record component.
   *
   * @param component the component's name
   * @return its kebab-case key
   */
  static String key(String component) {
    return NAMING.translate(component);
  }

  private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
    private static final long serialVersionUID = 1L;

    DurationDeserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.hasToken(JsonToken.VALUE_STRING)) {
        return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
      }
      try {
        return Durations.parse(p.getText());
      } catch (IllegalArgumentException e) {
        return (Duration) ctxt.handleWeirdStringValue(Duration.class, p.getText(), Durations.FORMS);
      }
    }
  }

  private static final class SecretDeserializer extends StdScalarDeserializer<Secret> {
    private static final long serialVersionUID = 1L;

    SecretDeserializer() {
      super(Secret.class);
    }

    @Override
    public Secret deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != null && p.currentToken().isScalarValue()) {
        return Secret.of(p.getText());
      }
      throw ctxt.weirdStringException("****", Secret.class, "a secret must be a string");
    }
  }
}

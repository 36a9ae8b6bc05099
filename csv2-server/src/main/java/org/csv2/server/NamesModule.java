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
package org.csv2.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.function.Function;
import org.csv2.model.AliasName;
import org.csv2.model.CloudName;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.InstanceId;
import org.csv2.model.VmId;

/**
 * The model's typed names ({@code GroupName}, {@code CloudName}, ...) as plain JSON strings, both
 * ways, so that the API's bodies read like the YAML configuration's values. An invalid name is a 400
 * naming the rule it breaks (the record's own message).
 */
final class NamesModule extends SimpleModule {
  private static final long serialVersionUID = 1L;

  NamesModule() {
    super("csv2-names");
    name(GroupName.class, GroupName::of);
    name(CloudName.class, CloudName::of);
    name(AliasName.class, AliasName::of);
    name(FlavorName.class, FlavorName::of);
    name(VmId.class, VmId::of);
    name(InstanceId.class, InstanceId::of);
  }

  private <T> void name(Class<T> type, Function<String, T> parse) {
    addSerializer(
        type,
        new JsonSerializer<T>() {
          @Override
          public void serialize(T value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.toString());
          }
        });
    addDeserializer(
        type,
        new JsonDeserializer<T>() {
          @Override
          public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            if (text == null) {
              return ctxt.reportInputMismatch(type, "expected a string");
            }
            return parse.apply(text);
          }
        });
    addKeyDeserializer(
        type,
        new KeyDeserializer() {
          @Override
          public Object deserializeKey(String key, DeserializationContext ctxt) {
            return parse.apply(key);
          }
        });
    addKeySerializer(
        type,
        new JsonSerializer<T>() {
          @Override
          public void serialize(T value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeFieldName(value.toString());
          }
        });
  }
}

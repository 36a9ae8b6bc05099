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
package org.csv2.plugin.openstack;

import com.fasterxml.jackson.annotation.JsonRootName;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.openstack4j.openstack.common.Auth.Type;
import org.openstack4j.openstack.identity.v3.domain.KeystoneAuth;

/**
 * A Keystone v3 application-credential auth request, which OpenStack4j 3.12 does not offer. It is
 * a {@link KeystoneAuth} of type CREDENTIALS, so that OpenStack4j keeps it with the token and sends
 * it again when it re-authenticates after a 401. Serialised as
 * {@code {"auth":{"identity":{"methods":["application_credential"],"application_credential":{...}}}}}.
 */
@JsonRootName("auth")
@JsonSerialize(using = ApplicationCredentialAuth.Writer.class)
final class ApplicationCredentialAuth extends KeystoneAuth {
  private static final long serialVersionUID = 1L;

  private final @Nullable String id;
  private final @Nullable String name;
  private final @Nullable String user;
  private final @Nullable String userDomain;
  private final @Nullable String userDomainId;
  private final String secret;

  ApplicationCredentialAuth(
      @Nullable String id,
      @Nullable String name,
      @Nullable String user,
      @Nullable String userDomain,
      @Nullable String userDomainId,
      String secret) {
    super(Type.CREDENTIALS);
    this.id = id;
    this.name = name;
    this.user = user;
    this.userDomain = userDomain;
    this.userDomainId = userDomainId;
    this.secret = secret;
  }

  @Override
  public String getUsername() {
    return user == null ? "" : user;
  }

  @Override
  public String getPassword() {
    return "";
  }

  @Override
  public String getId() {
    return userDomainId == null ? "" : userDomainId;
  }

  @Override
  public String getName() {
    return userDomain == null ? "" : userDomain;
  }

  @Override
  public String toString() {
    return "ApplicationCredentialAuth[id=" + id + ", name=" + name + ", user=" + user + ", secret=****]";
  }

  /** Writes the Keystone request body (inside the {@code auth} root the mapper adds). */
  static final class Writer extends StdSerializer<ApplicationCredentialAuth> {
    private static final long serialVersionUID = 1L;

    Writer() {
      super(ApplicationCredentialAuth.class);
    }

    @Override
    public void serialize(ApplicationCredentialAuth a, JsonGenerator g, SerializerProvider provider)
        throws IOException {
      g.writeStartObject();
      g.writeObjectFieldStart("identity");
      g.writeArrayFieldStart("methods");
      g.writeString("application_credential");
      g.writeEndArray();
      g.writeObjectFieldStart("application_credential");
      if (a.id != null) {
        g.writeStringField("id", a.id);
      } else {
        g.writeStringField("name", a.name);
        g.writeObjectFieldStart("user");
        g.writeStringField("name", a.user);
        g.writeObjectFieldStart("domain");
        if (a.userDomainId != null) {
          g.writeStringField("id", a.userDomainId);
        } else {
          g.writeStringField("name", a.userDomain);
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeStringField("secret", a.secret);
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
    }
  }
}

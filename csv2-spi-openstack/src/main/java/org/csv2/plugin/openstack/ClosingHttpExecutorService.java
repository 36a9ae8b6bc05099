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

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import okhttp3.Response;
import org.openstack4j.api.exceptions.ConnectionException;
import org.openstack4j.connectors.okhttp.HttpCommand;
import org.openstack4j.connectors.okhttp.HttpResponseImpl;
import org.openstack4j.core.transport.ClientConstants;
import org.openstack4j.core.transport.ExecutionOptions;
import org.openstack4j.core.transport.HttpExecutorService;
import org.openstack4j.core.transport.HttpRequest;
import org.openstack4j.core.transport.HttpResponse;
import org.openstack4j.openstack.internal.OSAuthenticator;
import org.openstack4j.openstack.internal.OSClientSession;

/**
 * OpenStack4j's OkHttp connector ({@code HttpExecutorServiceImpl} of openstack4j-okhttp 3.12)
 * without its connection leaks (issue 20, item 9: "A connection ... was leaked. Did you forget to
 * close a response body?"):
 *
 * <ul>
 *   <li>on a 401 it authenticates again and repeats the request without closing the first
 *       response: closed here before the retry;
 *   <li>a reply whose entity cannot be read (a malformed or overflowing number, a wrong type) is
 *       also closed here should reading it throw.
 * </ul>
 *
 * Registered as the {@link HttpExecutorService} in {@code META-INF/services}; OpenStack4j takes the
 * first one its {@link java.util.ServiceLoader} finds, and this module's entry comes before the
 * connector's in the module's class path and in the shaded jar. Everything else is the connector's
 * own ({@link HttpCommand}, {@link HttpResponseImpl}).
 *
 * <p><b>Thread safety:</b> stateless.
 */
public final class ClosingHttpExecutorService implements HttpExecutorService {
  /** The header OpenStack4j sets on its own authentication requests (never retried). */
  private static final String AUTH_COMMAND = "OS4J-Auth-Command";

  /** Created by {@link java.util.ServiceLoader}. */
  public ClosingHttpExecutorService() {}

  @Override
  public <R> HttpResponse execute(HttpRequest<R> request) {
    try {
      return invoke(HttpCommand.create(request));
    } catch (Exception e) {
      throw new ConnectionException(e.getMessage(), 0, e);
    }
  }

  private <R> HttpResponse invoke(HttpCommand<R> command) throws Exception {
    Response response = command.execute();
    if (command.getRetries() == 0
        && response.code() == 401
        && !command.getRequest().getHeaders().containsKey(AUTH_COMMAND)) {
      response.close();
      OSAuthenticator.reAuthenticate();
      command.getRequest().getHeaders().put(ClientConstants.HEADER_X_AUTH_TOKEN, OSClientSession.getCurrent().getTokenId());
      return invoke(command.incrementRetriesAndReturn());
    }
    return new Closing(HttpResponseImpl.wrap(response));
  }

  @Override
  public String getExecutorDisplayName() {
    return "OKHttp Connector (csv2: responses closed on retry and on unreadable entities)";
  }

  /** The connector's response, closed when reading its entity fails. */
  private record Closing(HttpResponseImpl delegate) implements HttpResponse {
    @Override
    public <T> T getEntity(Class<T> type) {
      try {
        return delegate.getEntity(type);
      } catch (RuntimeException | Error e) {
        closeQuietly(e);
        throw e;
      }
    }

    @Override
    public <T> T getEntity(Class<T> type, ExecutionOptions<T> options) {
      try {
        return delegate.getEntity(type, options);
      } catch (RuntimeException | Error e) {
        closeQuietly(e);
        throw e;
      }
    }

    @Override
    public <T> T readEntity(Class<T> type) {
      try {
        return delegate.readEntity(type);
      } catch (RuntimeException | Error e) {
        closeQuietly(e);
        throw e;
      }
    }

    private void closeQuietly(Throwable failure) {
      try {
        delegate.close();
      } catch (IOException | RuntimeException e) {
        failure.addSuppressed(e);
      }
    }

    @Override
    public int getStatus() {
      return delegate.getStatus();
    }

    @Override
    public String getContentType() {
      return delegate.getContentType();
    }

    @Override
    public String getStatusMessage() {
      return delegate.getStatusMessage();
    }

    @Override
    public InputStream getInputStream() {
      return delegate.getInputStream();
    }

    @Override
    public String header(String name) {
      return delegate.header(name);
    }

    @Override
    public Map<String, String> headers() {
      return delegate.headers();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }
}

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

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.csv2.api.StateStoreException;
import org.csv2.model.ApiToken;
import org.csv2.model.User;
import org.csv2.spi.StateStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is asking, and may they: session cookies for browsers, bearer tokens for the command line,
 * CSRF checks on every state-changing request that a cookie authenticates, and the sign-in rate
 * limit.
 *
 * <p><b>Thread safety:</b> safe for concurrent use.
 */
final class Auth {
  static final String CSRF_FIELD = "_csrf";
  static final String CSRF_HEADER = "X-CSRF-Token";
  /** Before sign-in there is no session: the sign-in form's token is a double-submit cookie. */
  static final String PRE_CSRF_COOKIE = "csv2_csrf";

  private static final Logger log = LoggerFactory.getLogger(Auth.class);

  private final StateStore store;
  private final Clock clock;
  private final Sessions sessions;
  private final SignInLimiter limiter;
  private final Passwords passwords;
  private final boolean secureCookies;

  Auth(StateStore store, Clock clock, int bcryptCost, boolean secureCookies) {
    this.store = store;
    this.clock = clock;
    this.sessions = new Sessions(clock);
    this.limiter = new SignInLimiter(clock);
    this.passwords = new Passwords(bcryptCost);
    this.secureCookies = secureCookies;
  }

  static void ensureInitialAdmin(StateStore store, String name, String password, int cost) {
    if (!store.users().isEmpty()) {
      return;
    }
    if (!User.validName(name)) {
      throw new IllegalArgumentException("initial admin name is invalid: use 1-64 letters, digits, '.', '_', '@' or '-'");
    }
    Passwords p = new Passwords(cost);
    try {
      store.saveUser(User.of(name, p.hash(password), true, Set.of()), 0);
      log.info("created the initial admin {}", name);
    } catch (ApiException e) {
      throw new IllegalArgumentException("initial admin password: " + e.getMessage(), e);
    } catch (StateStoreException e) {
      if (e.reason() != StateStoreException.Reason.CONFLICT) {
        throw e;
      }
      // another server created it first
    }
  }

  Passwords passwords() {
    return passwords;
  }

  Sessions sessions() {
    return sessions;
  }

  Clock clock() {
    return clock;
  }

  /** The principal of a request: bearer token first, then the session cookie. */
  Principal principal(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null) {
      if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw ApiException.unauthorized();
      }
      return tokenPrincipal(header.substring(7).trim()).orElseThrow(ApiException::unauthorized);
    }
    String id = ctx.cookie(Sessions.COOKIE);
    if (id == null || id.length() > 64) {
      return Principal.ANONYMOUS;
    }
    Optional<Sessions.Session> s = sessions.find(id);
    if (s.isEmpty()) {
      return Principal.ANONYMOUS;
    }
    Optional<User> u = store.user(s.get().user());
    if (u.isEmpty()) {
      sessions.close(id);
      return Principal.ANONYMOUS;
    }
    return new Principal(u.get(), s.get());
  }

  private Optional<Principal> tokenPrincipal(String presented) {
    Optional<String[]> parts = Tokens.parse(presented);
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    Optional<ApiToken> token = store.token(parts.get()[0]);
    if (token.isEmpty() || !Tokens.matches(parts.get()[1], token.get()) || !token.get().validAt(clock.instant())) {
      return Optional.empty();
    }
    return store.user(token.get().user()).map(u -> new Principal(u, null));
  }

  /**
   * Refuses a state-changing request authenticated by a session cookie that does not carry the
   * session's CSRF token (form field or header). Token-authenticated requests carry no ambient
   * credential and need none.
   */
  void checkCsrf(Context ctx, Principal p) {
    Sessions.Session s = p.session();
    if (s == null) {
      return;
    }
    String sent = ctx.header(CSRF_HEADER);
    if (sent == null && isForm(ctx)) {
      sent = ctx.formParam(CSRF_FIELD);
    }
    if (sent == null || !equal(sent, s.csrf())) {
      throw ApiException.forbidden("the request carries no valid CSRF token: reload the page and try again");
    }
  }

  /** The sign-in form's CSRF check (double-submit cookie, as there is no session yet). */
  void checkPreCsrf(Context ctx) {
    String cookie = ctx.cookie(PRE_CSRF_COOKIE);
    String sent = ctx.formParam(CSRF_FIELD);
    if (cookie == null || sent == null || !equal(cookie, sent)) {
      throw ApiException.forbidden("the request carries no valid CSRF token: reload the page and try again");
    }
  }

  /** The token the sign-in form carries, set as a cookie if the browser has none. */
  String preCsrf(Context ctx) {
    String cookie = ctx.cookie(PRE_CSRF_COOKIE);
    if (cookie != null && cookie.length() == 43) {
      return cookie;
    }
    String token = Sessions.random();
    ctx.cookie(cookie(PRE_CSRF_COOKIE, token, -1));
    return token;
  }

  static boolean isForm(Context ctx) {
    String type = ctx.contentType();
    return type != null
        && (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data"));
  }

  private static boolean equal(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Checks a name and password, rate-limited per client address and per name.
   *
   * @return the user, or empty when they do not match
   * @throws ApiException 429 when too many attempts failed lately
   */
  Optional<User> signIn(String address, String name, String password) {
    String key = name.length() > 64 ? name.substring(0, 64) : name;
    Duration wait = limiter.retryAfter(address, key);
    if (!wait.isZero()) {
      throw new ApiException(
          429, "Too many requests", "too many failed sign-ins: try again in " + Math.max(1, wait.toSeconds()) + " s");
    }
    Optional<User> u = User.validName(name) ? store.user(name) : Optional.empty();
    boolean ok;
    if (u.isPresent()) {
      ok = passwords.verify(password, u.get().passwordHash());
    } else {
      passwords.verifyDecoy(password);
      ok = false;
    }
    if (!ok) {
      limiter.failed(address, key);
      log.info("failed sign-in for a user name from {}", address);
      return Optional.empty();
    }
    return u;
  }

  /** Opens a session and sets its cookie. */
  Sessions.Session startSession(Context ctx, User user) {
    Sessions.Session s = sessions.open(user.name());
    ctx.cookie(cookie(Sessions.COOKIE, s.id(), (int) Sessions.IDLE.toSeconds()));
    return s;
  }

  void endSession(Context ctx, Sessions.@Nullable Session s) {
    if (s != null) {
      sessions.close(s.id());
    }
    ctx.cookie(cookie(Sessions.COOKIE, "", 0));
  }

  private Cookie cookie(String name, String value, int maxAge) {
    return new Cookie(name, value, "/", maxAge, secureCookies, 0, true, null, null, SameSite.STRICT);
  }
}

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

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The real servers started by {@code scripts/testenv up}, as described by its properties file, for
 * integration tests ({@code *IT}).
 *
 * <p>The file is found through the system property {@code CSV2_TESTENV}, then the environment
 * variable {@code CSV2_TESTENV}, then {@value #DEFAULT_FILE}. Integration tests never skip: when the
 * file, a key or a server is missing they fail with {@code test environment not running: run
 * scripts/testenv up (missing ...)}. The keys are the constants of this class; docs/testing.md
 * describes each.
 *
 * <pre>{@code
 * TestEnvironment env = TestEnvironment.load();
 * env.requireListening("PostgreSQL", TestEnvironment.POSTGRESQL_URL);
 * Connection c = DriverManager.getConnection(env.get(TestEnvironment.POSTGRESQL_URL),
 *     env.get(TestEnvironment.POSTGRESQL_USER), env.get(TestEnvironment.POSTGRESQL_PASSWORD));
 * }</pre>
 *
 * <p><b>Thread safety:</b> immutable once loaded.
 */
public final class TestEnvironment {
  /** Where {@code scripts/testenv up} writes the file when {@code CSV2_TESTENV_HOME} is not set. */
  public static final String DEFAULT_FILE = "/var/cache/csv2-testenv/testenv.properties";

  /** The system property, then environment variable, that points at the file. */
  public static final String LOCATION_KEY = "CSV2_TESTENV";

  /** The cache folder. */
  public static final String TESTENV_HOME = "testenv.home";
  /** The trixie chroot that HTCondor and moto run in. */
  public static final String CHROOT_DIR = "chroot.dir";
  /** A command prefix that runs a command as root in the chroot; see {@link #command}. */
  public static final String CONDOR_COMMAND_PREFIX = "condor.command.prefix";
  /** A command prefix that runs a command as the unprivileged submitter; see {@link #command}. */
  public static final String CONDOR_SUBMIT_PREFIX = "condor.submit.prefix";
  /** The owner of submitted jobs. */
  public static final String CONDOR_SUBMIT_USER = "condor.submit.user";
  /** The collector, {@code host:port}; see {@link #requireListeningHostPort}. */
  public static final String CONDOR_COLLECTOR = "condor.collector";
  /** The machine name HTCondor uses. */
  public static final String CONDOR_HOSTNAME = "condor.hostname";
  /** The helper scripts' folder, a path inside the chroot. */
  public static final String CONDOR_HELPERS_DIR = "condor.helpers.dir";
  /** The pool's log folder, a host path. */
  public static final String CONDOR_LOG_DIR = "condor.log.dir";
  /** moto's endpoint, for the AWS SDK's {@code endpointOverride}. */
  public static final String MOTO_ENDPOINT = "moto.endpoint";
  /** POST here to drop all moto state. */
  public static final String MOTO_RESET_URL = "moto.reset-url";
  /** moto's region. */
  public static final String MOTO_REGION = "moto.region";
  /** moto's access key id. */
  public static final String MOTO_ACCESS_KEY = "moto.access-key";
  /** moto's secret key. */
  public static final String MOTO_SECRET_KEY = "moto.secret-key";
  /** The MariaDB test database's JDBC URL. */
  public static final String MARIADB_URL = "mariadb.url";
  /** The MariaDB user. */
  public static final String MARIADB_USER = "mariadb.user";
  /** The MariaDB user's password. */
  public static final String MARIADB_PASSWORD = "mariadb.password";
  /** A MariaDB JDBC URL with no database selected, for {@code CREATE DATABASE}. */
  public static final String MARIADB_ADMIN_URL = "mariadb.admin-url";
  /** The prefix every per-test MariaDB database name must start with. */
  public static final String MARIADB_TEST_DATABASE_PREFIX = "mariadb.test-database-prefix";
  /** The PostgreSQL test database's JDBC URL. */
  public static final String POSTGRESQL_URL = "postgresql.url";
  /** The PostgreSQL role. */
  public static final String POSTGRESQL_USER = "postgresql.user";
  /** The PostgreSQL role's password. */
  public static final String POSTGRESQL_PASSWORD = "postgresql.password";
  /** A PostgreSQL JDBC URL to connect to for {@code CREATE DATABASE}. */
  public static final String POSTGRESQL_ADMIN_URL = "postgresql.admin-url";
  /** The prefix every per-test PostgreSQL database name must start with. */
  public static final String POSTGRESQL_TEST_DATABASE_PREFIX = "postgresql.test-database-prefix";

  private static final int CONNECT_TIMEOUT_MILLIS = 2000;

  private final Path file;
  private final Properties properties;

  private TestEnvironment(Path file, Properties properties) {
    this.file = file;
    this.properties = properties;
  }

  /**
   * Loads the properties file named by the system property or environment variable {@value
   * #LOCATION_KEY}, or else {@value #DEFAULT_FILE}.
   *
   * @return the environment
   * @throws AssertionError "test environment not running: ..." when the file is missing or unreadable
   */
  public static TestEnvironment load() {
    String location = System.getProperty(LOCATION_KEY);
    if (location == null || location.isBlank()) {
      location = System.getenv(LOCATION_KEY);
    }
    if (location == null || location.isBlank()) {
      location = DEFAULT_FILE;
    }
    return load(Path.of(location));
  }

  /**
   * Loads a given properties file.
   *
   * @param file the file
   * @return the environment
   * @throws AssertionError "test environment not running: ..." when the file is missing or unreadable
   */
  public static TestEnvironment load(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw missing("properties file " + file);
    }
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (IOException e) {
      throw missing("readable properties file " + file + ": " + e);
    }
    return new TestEnvironment(file, properties);
  }

  /**
   * The failure every integration test reports when the environment is not there; throw it.
   *
   * @param what what is missing, such as {@code moto at http://127.0.0.1:5055 (Connection refused)}
   * @return {@code test environment not running: run scripts/testenv up (missing <what>)}
   */
  public static AssertionError missing(String what) {
    return new AssertionError("test environment not running: run scripts/testenv up (missing " + what + ")");
  }

  /**
   * The properties file this environment was read from.
   *
   * @return the file
   */
  public Path file() {
    return file;
  }

  /**
   * A non-blank value, trimmed.
   *
   * @param key the key, such as {@link #MOTO_ENDPOINT}
   * @return the value
   * @throws AssertionError "test environment not running: ..." naming the key and the file when it is
   *     absent or blank
   */
  public String get(String key) {
    String value = properties.getProperty(key);
    if (value == null || value.isBlank()) {
      throw missing("key " + key + " in " + file);
    }
    return value.trim();
  }

  /**
   * A value that must be an integer.
   *
   * @param key the key
   * @return the value
   * @throws AssertionError when it is absent, blank or not an integer
   */
  public int getInt(String key) {
    String value = get(key);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw missing("an integer for " + key + " in " + file + " (got '" + value + "')");
    }
  }

  /**
   * A value that is a path.
   *
   * @param key the key, such as {@link #CHROOT_DIR}
   * @return the path
   * @throws AssertionError when it is absent or blank
   */
  public Path getPath(String key) {
    return Path.of(get(key));
  }

  /**
   * A command prefix such as {@link #CONDOR_COMMAND_PREFIX} split on whitespace, followed by {@code args}.
   *
   * @param prefixKey the key of the prefix
   * @param args the command and its arguments
   * @return the full command line
   */
  public List<String> command(String prefixKey, String... args) {
    List<String> command = new ArrayList<>(Arrays.asList(get(prefixKey).split("\\s+")));
    command.addAll(Arrays.asList(args));
    return command;
  }

  /**
   * Fails the test unless something accepts TCP connections at {@code host:port} within 2 s.
   *
   * @param what the server's name for the message, such as {@code moto}
   * @param host the host
   * @param port the port
   */
  public void requireListening(String what, String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
    } catch (IOException e) {
      throw missing(what + " at " + host + ":" + port + " (" + e.getMessage() + ")");
    }
  }

  /**
   * Fails the test unless the server of a {@code jdbc:...} or {@code http://...} URL accepts connections.
   *
   * @param what the server's name for the message, such as {@code MariaDB}
   * @param urlKey the key of the URL, such as {@link #MARIADB_URL} or {@link #MOTO_ENDPOINT}
   */
  public void requireListening(String what, String urlKey) {
    String url = get(urlKey);
    URI uri;
    try {
      uri = URI.create(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
    } catch (IllegalArgumentException e) {
      throw missing("a valid URL in " + urlKey + "=" + url + " in " + file);
    }
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw missing("host and port in " + urlKey + "=" + url + " in " + file);
    }
    requireListening(what, uri.getHost(), uri.getPort());
  }

  /**
   * Fails the test unless {@code host:port} (as in {@link #CONDOR_COLLECTOR}) accepts connections.
   *
   * @param what the server's name for the message, such as {@code condor collector}
   * @param hostPortKey the key of the {@code host:port} value
   */
  public void requireListeningHostPort(String what, String hostPortKey) {
    String hostPort = get(hostPortKey);
    int colon = hostPort.lastIndexOf(':');
    int port;
    try {
      port = colon < 0 ? -1 : Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0) {
      throw missing("host:port in " + hostPortKey + "=" + hostPort + " in " + file);
    }
    requireListening(what, hostPort.substring(0, colon), port);
  }

  /**
   * Fails the test unless the chroot ({@link #CHROOT_DIR}) exists and has /proc mounted
   * ({@code scripts/testenv down} unmounts it).
   *
   * @return the chroot
   */
  public Path requireChroot() {
    Path dir = getPath(CHROOT_DIR);
    if (!Files.isDirectory(dir)) {
      throw missing("chroot " + dir);
    }
    if (!Files.exists(dir.resolve("proc/self"))) {
      throw missing("mounted " + dir.resolve("proc"));
    }
    return dir;
  }

  /**
   * The outcome of {@link #run}.
   *
   * @param command the command that ran
   * @param exitCode its exit code
   * @param stdout what it wrote to stdout
   * @param stderr what it wrote to stderr
   */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** Copies the command. */
    public Result {
      command = List.copyOf(command);
      Objects.requireNonNull(stdout, "stdout");
      Objects.requireNonNull(stderr, "stderr");
    }

    /**
     * The stdout, or a test failure naming the command, its exit code and stderr.
     *
     * @return the stdout of a command that exited with 0
     */
    public String stdoutOrFail() {
      if (exitCode != 0) {
        fail("command " + command + " exited with " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
      }
      return stdout;
    }
  }

  /**
   * Runs a command, feeding it {@code stdin}, and fails the test if it takes longer than {@code timeout}.
   *
   * @param command the command line, such as one from {@link #command}
   * @param stdin what to write to its stdin, or null for nothing
   * @param timeout how long it may take
   * @return its exit code and output
   */
  public static Result run(List<String> command, @Nullable String stdin, Duration timeout) {
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    }
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // the command does not read stdin; its exit code tells the rest
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        fail("command " + command + " did not finish within " + timeout);
      }
      return new Result(command, process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new AssertionError("interrupted while running " + command, e);
    } catch (Exception e) {
      throw new AssertionError("cannot read the output of " + command + ": " + e, e);
    }
  }

  private static String readAll(InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file only: the values hold passwords. */
  @Override
  public String toString() {
    return "TestEnvironment[" + file + "]";
  }
}

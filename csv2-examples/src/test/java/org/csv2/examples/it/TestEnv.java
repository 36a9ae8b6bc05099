package org.csv2.examples.it;

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
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real servers started by {@code scripts/testenv up}, as described by its properties file.
 *
 * <p>The file is found through the system property {@code CSV2_TESTENV}, then the environment variable
 * {@code CSV2_TESTENV}, then {@value #DEFAULT_FILE}. Integration tests never skip: when the file, a key or
 * a server is missing they fail with "test environment not running: run scripts/testenv up (missing ...)".
 *
 * <p>Identical copies live in the {@code .it} test package of csv2-spi-store-jdbc, csv2-spi-ec2 and
 * csv2-spi-htcondor (only the package line differs); change them together. See docs/testing.md.
 */
final class TestEnv {

    static final String DEFAULT_FILE = "/var/cache/csv2-testenv/testenv.properties";
    static final String LOCATION_KEY = "CSV2_TESTENV";

    private final Path file;
    private final Properties properties;

    private TestEnv(Path file, Properties properties) {
        this.file = file;
        this.properties = properties;
    }

    /** Loads the properties file, failing the test if it is not there. */
    static TestEnv load() {
        String location = System.getProperty(LOCATION_KEY);
        if (location == null || location.isBlank()) {
            location = System.getenv(LOCATION_KEY);
        }
        if (location == null || location.isBlank()) {
            location = DEFAULT_FILE;
        }
        Path file = Path.of(location);
        if (!Files.isRegularFile(file)) {
            throw missing("properties file " + file);
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw missing("readable properties file " + file + ": " + e);
        }
        return new TestEnv(file, properties);
    }

    /** The failure every test reports when the environment is not there. */
    static AssertionError missing(String what) {
        return new AssertionError("test environment not running: run scripts/testenv up (missing " + what + ")");
    }

    /** A non-blank value, or the test fails. */
    String get(String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw missing("key " + key + " in " + file);
        }
        return value.trim();
    }

    /** A command prefix such as {@code condor.command.prefix} split on whitespace, followed by {@code args}. */
    List<String> command(String prefixKey, String... args) {
        List<String> command = new ArrayList<>(Arrays.asList(get(prefixKey).split("\\s+")));
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** Fails the test unless something accepts TCP connections at {@code host:port} within 2 s. */
    void requireListening(String what, String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
        } catch (IOException e) {
            throw missing(what + " at " + host + ":" + port + " (" + e.getMessage() + ")");
        }
    }

    /** Fails the test unless the server of a {@code jdbc:...} or {@code http://...} URL accepts connections. */
    void requireListening(String what, String urlKey) {
        String url = get(urlKey);
        URI uri = URI.create(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw missing("host and port in " + urlKey + "=" + url + " in " + file);
        }
        requireListening(what, uri.getHost(), uri.getPort());
    }

    /** Fails the test unless {@code host:port} (as in {@code condor.collector}) accepts connections. */
    void requireListeningHostPort(String what, String hostPortKey) {
        String hostPort = get(hostPortKey);
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw missing("host:port in " + hostPortKey + "=" + hostPort + " in " + file);
        }
        requireListening(what, hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** Fails the test unless the chroot exists and has /proc mounted (scripts/testenv down unmounts it). */
    Path requireChroot() {
        Path dir = Path.of(get("chroot.dir"));
        if (!Files.isDirectory(dir)) {
            throw missing("chroot " + dir);
        }
        if (!Files.exists(dir.resolve("proc/self"))) {
            throw missing("mounted " + dir.resolve("proc"));
        }
        return dir;
    }

    /** The outcome of {@link #run}. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** The stdout, or a test failure naming the command, its exit code and stderr. */
        String stdoutOrFail() {
            if (exitCode != 0) {
                fail("command " + command + " exited with " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            return stdout;
        }
    }

    /** Runs a command, feeding it {@code stdin} (may be null), and fails the test if it takes longer than {@code timeout}. */
    static Result run(List<String> command, String stdin, Duration timeout) {
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
}

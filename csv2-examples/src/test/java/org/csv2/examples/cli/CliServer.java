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
package org.csv2.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csv2.examples.Csv2Cli;
import picocli.CommandLine;

/**
 * A real {@code csv2 serve --quickstart} in a child JVM on a free loopback port, its world still
 * after a fixed number of cycles (so that outputs can be compared with golden files), an admin
 * with an API token in a profile under a temporary {@code csv2.home}, and {@link #run} to execute
 * {@code csv2 ...} in this JVM against it. One per test class: start it in {@code @BeforeAll}.
 */
public final class CliServer implements AutoCloseable {
  static final String PASSWORD = "correct-horse-battery";
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  private static final Path GOLDEN = Path.of("src/test/resources/org/csv2/examples/cli/golden");

  final Path home;
  final Path log;
  final URI uri;
  final String token;
  private final Process process;

  /** The outcome of one command. */
  public record Result(int exit, String out, String err) {}

  private CliServer(Path home, Path log, URI uri, String token, Process process) {
    this.home = home;
    this.log = log;
    this.uri = uri;
    this.token = token;
    this.process = process;
  }

  /**
   * Starts the server, makes an admin token and stores it in the profile {@code default} (without
   * a group: tests give -g).
   *
   * @param cycles how many cycles the quickstart world runs before it stands still
   * @return the running server
   * @throws Exception when it does not start within a minute
   */
  public static CliServer start(int cycles) throws Exception {
    return serve(Files.createTempDirectory("csv2-cli-test"), "--quickstart", "--cycles", Integer.toString(cycles));
  }

  /**
   * Starts {@code csv2 serve ARGS --port 0} with its working directory in {@code home} (for a
   * server over a store the test prepared, e.g. {@code --config FILE --attach}), as {@link
   * #start(int)} does.
   *
   * @param home the temporary directory the server works in and that {@link #close} deletes
   * @param serveArgs the arguments after {@code serve}
   * @return the running server
   * @throws Exception when it does not start within a minute
   */
  public static CliServer serve(Path home, String... serveArgs) throws Exception {
    Path pw = home.resolve("admin.pass");
    Files.writeString(pw, PASSWORD + "\n");
    Path log = home.resolve("server.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(
        java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), Csv2Cli.class.getName(), "serve"));
    cmd.addAll(List.of(serveArgs));
    cmd.addAll(List.of("--port", "0", "--admin-password-file", pw.toString()));
    // its own working directory: the quickstart store (csv2-data/) of one test class or an earlier
    // run never leaks into another
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectError(log.toFile());
    pb.environment().remove("CSV2_ADMIN_PASSWORD");
    Process p = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
      try {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("csv2 server on ")) {
            return line;
          }
        }
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    String line;
    try {
      line = first.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IllegalStateException("csv2 serve did not start; its log: " + Files.readString(log), e);
    }
    if (line == null) {
      p.destroyForcibly();
      throw new IllegalStateException("csv2 serve stopped; its log: " + Files.readString(log));
    }
    // drain the rest of its output so it never blocks on a full pipe
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // discard
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "csv2-serve-stdout");
    drain.setDaemon(true);
    drain.start();
    URI uri = Csv2Client.baseUri(line.substring("csv2 server on ".length()).split(" ")[0]);
    String token = adminToken(uri);
    System.setProperty("csv2.home", home.toString());
    CliServer s = new CliServer(home, log, uri, token, p);
    Result r = s.run("defaults", "set", "--server-url", uri.toString(), "--token", token);
    assertThat(r.exit()).as(r.toString()).isZero();
    return s;
  }

  /** Signs in as the admin through the sign-in form and makes an API token (as a person would on My settings). */
  private static String adminToken(URI uri) throws Exception {
    HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    String login = http.send(HttpRequest.newBuilder(uri.resolve("/login")).build(), HttpResponse.BodyHandlers.ofString()).body();
    String form = "_csrf=" + csrf(login) + "&name=admin&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&next=/settings";
    http.send(HttpRequest.newBuilder(uri.resolve("/login")).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    String settings = http.send(HttpRequest.newBuilder(uri.resolve("/settings")).build(), HttpResponse.BodyHandlers.ofString()).body();
    HttpResponse<String> t = http.send(
        HttpRequest.newBuilder(uri.resolve("/api/v1/me/tokens")).header("Content-Type", "application/json")
            .header("X-CSRF-Token", csrf(settings)).POST(HttpRequest.BodyPublishers.ofString("{\"label\":\"cli tests\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(t.statusCode()).as(t.body()).isEqualTo(201);
    return Csv2Client.JSON.readTree(t.body()).path("token").asText();
  }

  private static String csrf(String html) {
    Matcher m = CSRF.matcher(html);
    if (!m.find()) {
      throw new IllegalStateException("no CSRF token in the page: " + html);
    }
    return m.group(1);
  }

  /**
   * Runs {@code csv2 ARGS} in this JVM against the server.
   *
   * @param args the arguments after {@code csv2}
   * @return exit code, standard output and standard error
   */
  public Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Csv2Cli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  /**
   * Compares the standard output with a golden file (the server's port replaced by PORT); with
   * {@code -Dcsv2.golden.update=true} writes the file instead.
   *
   * @param name the golden file's name under src/test/resources/org/csv2/examples/cli/golden
   * @param r the command's result (it must have succeeded)
   */
  public void golden(String name, Result r) {
    assertThat(r.exit()).as("exit code of %s", r).isZero();
    String actual = normalise(r.out());
    Path f = GOLDEN.resolve(name);
    try {
      if (Boolean.getBoolean("csv2.golden.update") || !Files.exists(f)) {
        Files.createDirectories(f.getParent());
        Files.writeString(f, actual);
        if (!Boolean.getBoolean("csv2.golden.update")) {
          throw new AssertionError("golden file " + f + " was missing: written; look at it and commit it");
        }
        return;
      }
      assertThat(actual).as("output against golden file %s (rerun with -Dcsv2.golden.update=true after a wanted change)", f)
          .isEqualTo(Files.readString(f));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The output without what changes from run to run: the server's port, and the random part of VM
   * names (the engine draws them); rows that differ only by it are then sorted, and so are the
   * elements of a JSON array.
   */
  String normalise(String s) {
    String t = s.replace(uri.getHost() + ":" + uri.getPort(), uri.getHost() + ":PORT").replace(home.toString(), "HOME");
    boolean random = RANDOM_NAME.matcher(t).find();
    t = RANDOM_NAME.matcher(t).replaceAll("--quickstart--R");
    if (t.startsWith("$ csv2 ")) {
      return t; // a transcript: its order is the test's
    }
    String trimmed = t.strip();
    if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
      try {
        com.fasterxml.jackson.databind.JsonNode n = canonical(Csv2Client.JSON.readTree(t));
        if (n.isArray() && random) {
          List<String> items = new ArrayList<>();
          n.forEach(e -> items.add(e.toString()));
          items.sort(null);
          com.fasterxml.jackson.databind.node.ArrayNode sorted = Csv2Client.JSON.createArrayNode();
          for (String i : items) {
            sorted.add(Csv2Client.JSON.readTree(i));
          }
          n = sorted;
        }
        return Csv2Client.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + System.lineSeparator();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (!random) {
      return t;
    }
    List<String> lines = new ArrayList<>(List.of(t.split("\\R", -1)));
    // the header line stays first; the rows are sorted
    List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
    rows.removeIf(String::isEmpty);
    rows.sort(null);
    return lines.get(0) + System.lineSeparator() + String.join(System.lineSeparator(), rows) + System.lineSeparator();
  }

  /** JSON with its object keys sorted (the server's maps have no fixed order) and measured latencies blanked. */
  private static com.fasterxml.jackson.databind.JsonNode canonical(com.fasterxml.jackson.databind.JsonNode n) {
    if (n.isObject()) {
      com.fasterxml.jackson.databind.node.ObjectNode o = Csv2Client.JSON.createObjectNode();
      java.util.TreeMap<String, com.fasterxml.jackson.databind.JsonNode> sorted = new java.util.TreeMap<>();
      n.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
      sorted.forEach((k, v) -> o.set(k, k.equals("latency") && !v.isNull() ? Csv2Client.JSON.getNodeFactory().textNode("LATENCY") : canonical(v)));
      return o;
    }
    if (n.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode a = Csv2Client.JSON.createArrayNode();
      n.forEach(e -> a.add(canonical(e)));
      return a;
    }
    return n;
  }

  private static final Pattern RANDOM_NAME = Pattern.compile("--quickstart--[0-9a-z]{10}\\b");

  /** Stops the server (for the tests of a stopped server). */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.clearProperty("csv2.home");
    try (var files = Files.walk(home)) {
      files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(f -> f.toFile().delete());
    }
  }

  @Override
  public String toString() {
    return "csv2 serve at " + uri + " (log " + log + ")";
  }
}

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

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reservation's whole life through REST and through the command line, against a real {@code
 * csv2 serve --quickstart} whose world keeps cycling (120 simulated seconds per real second; one
 * server for the class): the user searches, books, sees the cluster STARTING then RUNNING, is
 * warned by mail (the server's SMTP {@code NotificationSink}, GreenMail on loopback), extends it
 * and sees it ENDED; then {@code csv2 reservation search|create|list|extend|cancel} on the same
 * world. Times are the world's (its virtual clock), read from the status.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReservationCyclingTest {
  @RegisterExtension
  static final GreenMailExtension SMTP =
      new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
          .withPerMethodLifecycle(false); // one mail server for the class, started before the csv2 server

  static CliServer server;
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    server = CliServer.serve(Files.createTempDirectory("csv2-resv-cycling"), "--quickstart", "--speed", "120",
        "--smtp-relay", "127.0.0.1:" + SMTP.getSmtp().getPort(), "--smtp-from", "csv2@example.org", "--mail-domain", "example.org");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri.resolve(path)).header("Authorization", "Bearer " + server.token)
        .timeout(Duration.ofSeconds(30));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The world's time: the newest status snapshot (one cycle old at most). */
  static Instant worldNow() throws Exception {
    CliServer.Result r = server.run("status", "-g", "atlas", "--json");
    assertThat(r.exit()).as(r.toString()).isZero();
    return Instant.parse(Csv2Client.JSON.readTree(r.out()).path("at").asText());
  }

  static JsonNode reservation(long id) throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/reservations/" + id, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Csv2Client.JSON.readTree(r.body());
  }

  static List<String> mails() throws Exception {
    List<String> out = new ArrayList<>();
    for (MimeMessage m : SMTP.getReceivedMessages()) {
      out.add(Arrays.toString(m.getAllRecipients()) + " " + m.getSubject());
    }
    return out;
  }

  @Test
  void searchBookStartRunWarnExtendAndEndThroughRest() throws Exception {
    Instant start = worldNow().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(20));
    Instant end = start.plus(Duration.ofMinutes(70));
    String size = "\"cores\":4,\"ramMiB\":8000,\"count\":2,\"start\":\"" + start + "\",\"end\":\"" + end + "\"";

    HttpResponse<String> search = send("POST", "/api/v1/groups/atlas/reservations/search", "{" + size + "}");
    assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
    assertThat(search.body()).contains("\"cloud\":\"arbutus\"").contains("\"fits\":true");

    HttpResponse<String> booked = send("POST", "/api/v1/groups/atlas/reservations", "{\"cloud\":\"arbutus\"," + size + "}");
    assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
    JsonNode b = Csv2Client.JSON.readTree(booked.body());
    assertThat(b.path("state").asText()).isEqualTo("CONFIRMED");
    long id = b.path("id").asLong();

    // the states as the user sees them, polled far more often than the world cycles (every 250 ms)
    Set<String> seen = new LinkedHashSet<>();
    Instant runningAt = null;
    Instant extendedEnd = end.plus(Duration.ofMinutes(10));
    boolean extended = false;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (System.nanoTime() < deadline) {
      JsonNode r = reservation(id);
      String state = r.path("state").asText();
      seen.add(state);
      if (runningAt == null && state.equals("RUNNING")) {
        runningAt = worldNow();
      }
      if (!extended && !r.path("warnedAt").isNull() && !r.path("warnedAt").isMissingNode()) {
        HttpResponse<String> ext = send("POST", "/api/v1/reservations/" + id + "/extend", "{\"end\":\"" + extendedEnd + "\"}");
        assertThat(ext.statusCode()).as(ext.body()).isEqualTo(200);
        assertThat(Instant.parse(Csv2Client.JSON.readTree(ext.body()).path("end").asText())).isEqualTo(extendedEnd);
        extended = true;
      }
      if (state.equals("ENDED") || state.equals("FAILED")) {
        break;
      }
      Thread.sleep(40);
    }
    JsonNode last = reservation(id);
    assertThat(last.path("state").asText()).as("states seen %s; %s; log %s", seen, last, server.log).isEqualTo("ENDED");
    assertThat(List.copyOf(seen)).as("the order the user saw").containsSubsequence("CONFIRMED", "STARTING", "RUNNING", "ENDED");
    assertThat(runningAt).as("RUNNING by its start (one cycle of slack for reading the world's time)")
        .isBeforeOrEqualTo(start.plusSeconds(30));
    assertThat(extended).as("warned (warnedAt set) and extended").isTrue();
    assertThat(Instant.parse(last.path("end").asText())).isEqualTo(extendedEnd);
    assertThat(last.path("vms").size()).isGreaterThanOrEqualTo(2);

    assertThat(SMTP.waitForIncomingEmail(20_000, 3)).as("mails: %s", mails()).isTrue();
    assertThat(mails()).as("the owner (admin) is told by mail: started, ending (the warning), ended")
        .anyMatch(m -> m.startsWith("[admin@example.org]") && m.contains("reservation " + id) && m.contains("runs on arbutus"))
        .anyMatch(m -> m.contains("reservation " + id + " ends at " + end))
        .anyMatch(m -> m.contains("reservation " + id + " ended"));
  }

  @Test
  void searchCreateListExtendCancelThroughTheCommandLine() throws Exception {
    Instant start = worldNow().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofHours(3));
    CliServer.Result found = server.run("reservation", "search", "-g", "atlas", "--cores", "2", "--ram", "4000", "--count", "1",
        "--start", start.toString(), "--duration", "1h", "--json");
    assertThat(found.exit()).as(found.toString()).isZero();
    assertThat(found.out()).contains("\"cloud\" : \"arbutus\"").contains("\"fits\" : true");

    CliServer.Result created = server.run("reservation", "create", "-g", "atlas", "-cn", "cern", "--cores", "2", "--ram", "4000",
        "--count", "1", "--start", start.toString(), "--duration", "1h", "--json");
    assertThat(created.exit()).as(created.toString()).isZero();
    JsonNode c = Csv2Client.JSON.readTree(created.out());
    assertThat(c.path("state").asText()).isEqualTo("CONFIRMED");
    long id = c.path("id").asLong();

    CliServer.Result list = server.run("reservation", "list", "-g", "atlas", "--json");
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out()).contains("\"id\" : " + id);

    CliServer.Result ext = server.run("reservation", "extend", "--id", Long.toString(id), "--by", "1h", "--json");
    assertThat(ext.exit()).as(ext.toString()).isZero();
    assertThat(Instant.parse(Csv2Client.JSON.readTree(ext.out()).path("end").asText())).isEqualTo(start.plus(Duration.ofHours(2)));

    CliServer.Result cancel = server.run("reservation", "cancel", "--id", Long.toString(id), "--json");
    assertThat(cancel.exit()).as(cancel.toString()).isZero();
    assertThat(Csv2Client.JSON.readTree(cancel.out()).path("state").asText()).as("cancelled before it booted").isEqualTo("ENDED");

    CliServer.Result tooBig = server.run("reservation", "create", "-g", "atlas", "-cn", "cern", "--cores", "16", "--ram", "16000",
        "--count", "1", "--start", start.toString(), "--duration", "1h");
    assertThat(tooBig.exit()).as(tooBig.toString()).isNotZero();
    assertThat(tooBig.err()).as("cern's largest flavor is m1.xlarge (8 cores)")
        .contains("no flavor of cern holds one VM of 16 cores and 16000 MiB").contains("m1.xlarge");
  }
}

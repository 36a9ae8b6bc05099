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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.csv2.api.CloudException;
import org.csv2.api.CloudException.Reason;
import org.csv2.model.BootRequest;
import org.csv2.model.FlavorName;
import org.csv2.model.GroupName;
import org.csv2.model.Instance;
import org.csv2.model.InstanceId;
import org.csv2.model.InstanceState;
import org.csv2.model.UserData;
import org.csv2.model.VmDefaults;
import org.csv2.model.VmId;
import org.csv2.spi.CloudDriver;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every failure mapping of the driver, each driven by a failure script of the sample server: the
 * reason, that the message names the cloud, and that no secret leaks into it.
 */
class OpenStackFailureMappingTest {
  private static final String CLOUD = "sample-cloud";
  private static final String SERVERS = "/servers$";
  private static OpenStackSampleServer server;
  private CloudDriver driver;

  @BeforeAll
  static void startServer() {
    server = new OpenStackSampleServer().start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void newDriver() {
    server.reset();
    driver = driver(SampleConfigs.password(server));
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  private static CloudDriver driver(Map<String, Object> raw) {
    return new OpenStackCloudDriverProvider()
        .create(TestPluginConfig.of(raw, "clouds[0].config"), new TestPluginContext(java.time.Clock.systemUTC(), "t1", CLOUD));
  }

  private static BootRequest request(String flavor, String image, int count) {
    List<VmId> names = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(VmId.of("g1--" + CLOUD + "--t1--vm" + i));
    }
    return new BootRequest(
        GroupName.of("g1"), FlavorName.of(flavor), image, names, UserData.ofText("#cloud-config\n"),
        Map.of(), VmDefaults.NONE, 0);
  }

  private static final String TINY = "m1.tiny";
  private static final String CIRROS = "cirros-0.3.2-x86_64-disk";

  private static CloudException failure(Runnable call, Reason reason) {
    CloudException e = catchThrowableOfType(CloudException.class, call::run);
    assertThat(e).as("a CloudException").isNotNull();
    assertThat(e.reason()).as("reason of: %s", e.getMessage()).isEqualTo(reason);
    assertThat(e.getMessage())
        .contains("cloud " + CLOUD)
        .doesNotContain(OpenStackSampleServer.PASSWORD)
        .doesNotContain(OpenStackSampleServer.APP_SECRET);
    assertThat(e.retryable()).isEqualTo(reason.retryable());
    return e;
  }

  private static long tokenRequests() {
    return server.requests().stream().filter(r -> r.equals("POST /identity/v3/auth/tokens")).count();
  }

  @Test
  void anExpiredTokenIsRenewedOnceAndTheCallSucceeds() {
    assertThat(driver.flavors()).isNotEmpty();
    long before = tokenRequests();
    server.expireTokens();
    assertThat(driver.flavors()).hasSize(6);
    assertThat(tokenRequests()).as("re-authentications").isEqualTo(before + 1);
    // the renewed token is kept: the next call does not authenticate again
    driver.capacity();
    assertThat(tokenRequests()).isEqualTo(before + 1);
  }

  @Test
  void anExpiredTokenIsRenewedWithAnApplicationCredentialToo() {
    CloudDriver app = driver(SampleConfigs.applicationCredential(server));
    try {
      assertThat(app.images()).isNotEmpty();
      server.expireTokens();
      assertThat(app.images()).isNotEmpty();
      assertThat(server.authBodies()).hasSize(2);
      assertThat(server.authBodies().get(1).path("auth").path("identity").path("application_credential")
              .path("id").asText())
          .isEqualTo(OpenStackSampleServer.APP_ID);
    } finally {
      app.close();
    }
  }

  @Test
  void aTokenRefusedTwiceIsAnAuthenticationFailure() {
    driver.flavors();
    server.failNext("GET", "/flavors/detail", 401, "{\"error\":{\"code\":401,\"message\":\"expired\"}}");
    server.failNext("GET", "/flavors/detail", 401, "{\"error\":{\"code\":401,\"message\":\"expired\"}}");
    failure(driver::flavors, Reason.AUTHENTICATION);
  }

  @Test
  void aTokenRefusedTwiceOnDeleteIsAnAuthenticationFailureFromTheActionResponse() {
    driver.flavors();
    server.failNext("DELETE", "/servers/", 401, "{\"error\":{\"code\":401,\"message\":\"expired\"}}");
    server.failNext("DELETE", "/servers/", 401, "{\"error\":{\"code\":401,\"message\":\"expired\"}}");
    failure(() -> driver.terminate(InstanceId.of("f5dc173b-6804-445a-a6d8-c705dad5b5eb")), Reason.AUTHENTICATION);
  }

  @Test
  void aWrongPasswordIsAnAuthenticationFailureWithoutThePasswordInTheMessage() {
    Map<String, Object> raw = SampleConfigs.password(server);
    raw.put("password", "wrong-password-123");
    CloudDriver bad = driver(raw);
    CloudException e = failure(bad::flavors, Reason.AUTHENTICATION);
    assertThat(e.getMessage()).doesNotContain("wrong-password-123");
  }

  @Test
  void aQuotaRefusalIsQuotaExceededWithNovasMessage() {
    server.failNext("POST", SERVERS, 403, "{\"forbidden\":{\"message\":\"Quota exceeded for cores: Requested 1,"
        + " but already used 20 of 20 cores\",\"code\":403}}");
    CloudException e = failure(() -> driver.boot(request(TINY, CIRROS, 1)), Reason.QUOTA_EXCEEDED);
    assertThat(e.getMessage()).contains("Quota exceeded for cores: Requested 1, but already used 20 of 20 cores");
  }

  @Test
  void a413IsQuotaExceeded() {
    server.failNext("POST", SERVERS, 413, "{\"overLimit\":{\"message\":\"Quota exceeded for instances:"
        + " Requested 1, but already used 10 of 10 instances\",\"code\":413}}");
    failure(() -> driver.boot(request(TINY, CIRROS, 1)), Reason.QUOTA_EXCEEDED);
    server.failNext("POST", SERVERS, 413, "{\"overLimit\":{\"message\":\"Over limit\",\"code\":413}}");
    failure(() -> driver.boot(request(TINY, CIRROS, 1)), Reason.QUOTA_EXCEEDED);
  }

  @Test
  void noValidHostInABootReplyIsCapacityUnavailable() {
    server.failNext("POST", SERVERS, 400, "{\"badRequest\":{\"message\":\"" + OpenStackSampleServer.NO_VALID_HOST
        + "\",\"code\":400}}");
    CloudException e = failure(() -> driver.boot(request(TINY, CIRROS, 1)), Reason.CAPACITY_UNAVAILABLE);
    assertThat(e.getMessage()).contains("No valid host was found");
  }

  @Test
  void noValidHostInAFaultAfterBootIsAnErrorInstanceWithTheFault() {
    server.buildListings(1);
    server.nextBootFails(OpenStackSampleServer.NO_VALID_HOST);
    Instance booted = driver.boot(request(TINY, CIRROS, 1)).get(0);
    assertThat(booted.state()).isEqualTo(InstanceState.PENDING);
    Instance listed = driver.instances().stream().filter(i -> i.id().equals(booted.id())).findFirst().orElseThrow();
    assertThat(listed.state()).isEqualTo(InstanceState.ERROR);
    assertThat(listed.fault()).contains("No valid host was found");
  }

  @Test
  void serverErrorsAreUnavailableAndRetryable() {
    server.failNext("GET", "/servers/detail", 500, "{\"computeFault\":{\"message\":\"boom\",\"code\":500}}");
    failure(driver::instances, Reason.UNAVAILABLE);
    server.failNext("GET", "/limits", 503, "{\"computeFault\":{\"message\":\"busy\",\"code\":503}}");
    failure(driver::capacity, Reason.UNAVAILABLE);
    server.failNext("DELETE", "/servers/", 500, "{\"computeFault\":{\"message\":\"boom\",\"code\":500}}");
    failure(() -> driver.terminate(InstanceId.of("f5dc173b-6804-445a-a6d8-c705dad5b5eb")), Reason.UNAVAILABLE);
    server.failNext("DELETE", "/servers/", 409, "{\"conflictingRequest\":{\"message\":\"Cannot 'delete' instance"
        + " while it is in task_state rebuilding\",\"code\":409}}");
    failure(() -> driver.terminate(InstanceId.of("f5dc173b-6804-445a-a6d8-c705dad5b5eb")), Reason.UNAVAILABLE);
  }

  @Test
  void aRefusedConnectionIsUnavailable() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Map<String, Object> raw = SampleConfigs.password(server);
    raw.put("auth-url", "http://127.0.0.1:" + port + "/identity/v3");
    CloudDriver dead = driver(raw);
    failure(dead::flavors, Reason.UNAVAILABLE);
  }

  @Test
  void aReadTimeoutIsUnavailable() {
    Map<String, Object> raw = SampleConfigs.password(server);
    raw.put("read-timeout", "300ms");
    CloudDriver slow = driver(raw);
    slow.flavors();
    server.hangNext("GET", "/servers/detail", Duration.ofSeconds(5));
    CloudException e = failure(slow::instances, Reason.UNAVAILABLE);
    assertThat(e).hasStackTraceContaining("SocketTimeoutException");
  }

  @Test
  void aBadRequestIsAnInvalidRequestWithOpenStacksMessage() {
    server.failNext("POST", SERVERS, 400, "{\"badRequest\":{\"message\":\"Invalid key_name provided.\",\"code\":400}}");
    CloudException e = failure(() -> driver.boot(request(TINY, CIRROS, 1)), Reason.INVALID_REQUEST);
    assertThat(e.getMessage()).contains("Invalid key_name provided.");
  }

  @Test
  void anUnknownFlavorIsAnInvalidRequestNamingIt() {
    CloudException e = failure(() -> driver.boot(request("m9.huge", CIRROS, 1)), Reason.INVALID_REQUEST);
    assertThat(e.getMessage()).contains("m9.huge").contains("m1.tiny");
    assertThat(server.bootBodies()).as("nothing was booted").isEmpty();
  }

  @Test
  void anUnknownImageIsAnInvalidRequestNamingIt() {
    CloudException e = failure(() -> driver.boot(request(TINY, "centos-7-nonexistent", 1)), Reason.INVALID_REQUEST);
    assertThat(e.getMessage()).contains("centos-7-nonexistent");
    String uuid = "0f0f0f0f-1111-2222-3333-444444444444";
    e = failure(() -> driver.boot(request(TINY, uuid, 1)), Reason.INVALID_REQUEST);
    assertThat(e.getMessage()).contains(uuid);
  }

  @Test
  void anUnknownNetworkIsAnInvalidRequestNamingIt() {
    Map<String, Object> raw = SampleConfigs.password(server);
    raw.put("network", "no-such-net");
    CloudDriver d = driver(raw);
    CloudException e = failure(() -> d.boot(request(TINY, CIRROS, 1)), Reason.INVALID_REQUEST);
    assertThat(e.getMessage()).contains("no-such-net");
  }

  @Test
  void terminatingAServerThatIsGoneIsSuccess() {
    assertThatCode(() -> driver.terminate(InstanceId.of("00000000-0000-0000-0000-000000000000")))
        .doesNotThrowAnyException();
  }

  @Test
  void aFailureOfTheFirstBootOfABatchIsThrown() {
    server.failNext("POST", SERVERS, 500, "{\"computeFault\":{\"message\":\"boom\",\"code\":500}}");
    failure(() -> driver.boot(request(TINY, CIRROS, 3)), Reason.UNAVAILABLE);
    assertThat(server.requests().stream().filter(r -> r.startsWith("POST") && r.endsWith("/servers")))
        .as("no further POST after the first failed")
        .hasSize(1);
  }

  @Test
  void aFailureLaterInABatchReturnsTheServersAlreadyBooted() {
    server.failNth("POST", SERVERS, 2, 403,
        "{\"forbidden\":{\"message\":\"Quota exceeded for instances\",\"code\":403}}");
    List<Instance> booted = driver.boot(request(TINY, CIRROS, 3));
    // the first goes alone; the other two overlap (boot-concurrency), so the second POST to
    // arrive (and fail) may be vm1's or vm2's; and when it fails before the other's call has
    // started, that call is not sent at all: one or both of them are missing
    assertThat(booted).extracting(Instance::name)
        .contains(VmId.of("g1--" + CLOUD + "--t1--vm0"))
        .hasSizeBetween(1, 2);
    assertThat(driver.instances()).extracting(Instance::id)
        .containsExactlyInAnyOrderElementsOf(booted.stream().map(Instance::id).toList());
  }

  // ---- DELETEs: the status is read by NovaDelete, never OpenStack4j's ActionResponse ----

  private static final String DELETE_SERVER = "/servers/[^/]+$";

  private InstanceId bootOne() {
    return driver.boot(request(TINY, CIRROS, 1)).get(0).id();
  }

  private java.util.Set<InstanceId> listed() {
    return driver.instances().stream().map(Instance::id).collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void aServerDeleteAnsweredWithA5xxIsUnavailableAndTheServerIsStillThere() {
    InstanceId id = bootOne();
    for (int status : new int[] {500, 502, 503, 504}) {
      server.failNext("DELETE", DELETE_SERVER, status,
          "{\"computeFault\":{\"message\":\"nova-api is overloaded " + status + "\",\"code\":" + status + "}}");
      CloudException e = failure(() -> driver.terminate(id), Reason.UNAVAILABLE);
      assertThat(e.getMessage()).contains("HTTP " + status).contains("nova-api is overloaded " + status)
          .doesNotContain("build state");
      assertThat(listed()).as("not deleted after HTTP %s", status).contains(id);
    }
    driver.terminate(id);
    assertThat(listed()).doesNotContain(id);
  }

  @Test
  void aServerDeleteAnswered429IsUnavailableWithRetryAfterAndTheServerIsStillThere() {
    InstanceId id = bootOne();
    server.failNext("DELETE", DELETE_SERVER, 429,
        "{\"overLimit\":{\"message\":\"This request was rate-limited.\",\"code\":429,\"retryAfter\":\"30\"}}",
        Map.of("Retry-After", "30"));
    CloudException e = failure(() -> driver.terminate(id), Reason.UNAVAILABLE);
    assertThat(e.getMessage()).contains("HTTP 429").contains("This request was rate-limited.")
        .contains("Retry-After: 30");
    assertThat(listed()).contains(id);
  }

  @Test
  void anHtmlErrorPageOfAProxyIsUnavailableWithItsTextNotItsMarkup() {
    InstanceId id = bootOne();
    for (int status : new int[] {500, 502, 503}) {
      String reason = status == 500 ? "Internal Server Error" : status == 502 ? "Bad Gateway" : "Service Unavailable";
      server.failNext("DELETE", DELETE_SERVER, status, OpenStackSampleServer.htmlErrorPage(status, reason),
          Map.of("Content-Type", "text/html; charset=utf-8"));
      CloudException e = failure(() -> driver.terminate(id), Reason.UNAVAILABLE);
      assertThat(e.getMessage()).contains("HTTP " + status).contains("HTML page").contains(status + " " + reason)
          .contains("No server is available to handle this request.")
          .doesNotContain("<").doesNotContain("font-family").doesNotContain("build state");
    }
    // a proxy that sends its page as JSON (it says application/json but is not)
    server.failNext("DELETE", DELETE_SERVER, 503, OpenStackSampleServer.htmlErrorPage(503, "Service Unavailable"));
    CloudException e = failure(() -> driver.terminate(id), Reason.UNAVAILABLE);
    assertThat(e.getMessage()).contains("503 Service Unavailable").doesNotContain("<");
    assertThat(listed()).contains(id);
  }

  @Test
  void aServerDeleteAnswered404IsAlreadyGone() {
    InstanceId id = bootOne();
    server.failNext("DELETE", DELETE_SERVER, 404,
        "{\"itemNotFound\":{\"message\":\"Instance could not be found.\",\"code\":404}}");
    assertThatCode(() -> driver.terminate(id)).doesNotThrowAnyException();
    assertThat(driver.terminateEach(List.of(InstanceId.of("00000000-0000-0000-0000-000000000000")))).isEmpty();
  }

  @Test
  void terminateEachReportsTheServersA503OrA429LeftRunningAndOnlyThose() {
    for (int status : new int[] {503, 429}) {
      server.reset();
      List<InstanceId> ids = driver.boot(request(TINY, CIRROS, 6)).stream().map(Instance::id).toList();
      assertThat(ids).hasSize(6);
      server.failNth("DELETE", DELETE_SERVER, 2, status, "{\"computeFault\":{\"message\":\"busy\",\"code\":" + status + "}}");
      Map<InstanceId, CloudException> failed = driver.terminateEach(ids);
      assertThat(failed).as("a refused delete is never a success (HTTP %s)", status).isNotEmpty();
      assertThat(failed.values()).extracting(CloudException::reason).containsOnly(Reason.UNAVAILABLE);
      java.util.Set<InstanceId> after = listed();
      for (InstanceId id : ids) {
        assertThat(after.contains(id)).as("%s still there exactly when reported (HTTP %s)", id, status)
            .isEqualTo(failed.containsKey(id));
      }
    }
  }

  @Test
  void anImageDeleteAnswered503OrHtmlIsUnavailableAndTheImageIsStillThere() {
    String imageId = server.images().keySet().iterator().next();
    server.failNext("DELETE", "/images/" + imageId + "$", 503,
        "{\"message\":\"The server is currently unavailable.\",\"code\":\"503 Service Unavailable\",\"title\":\"Service Unavailable\"}");
    CloudException e = failure(() -> driver.deleteImage(imageId), Reason.UNAVAILABLE);
    assertThat(e.getMessage()).contains("HTTP 503").contains("The server is currently unavailable.");
    server.failNext("DELETE", "/images/" + imageId + "$", 502, OpenStackSampleServer.htmlErrorPage(502, "Bad Gateway"),
        Map.of("Content-Type", "text/html"));
    e = failure(() -> driver.deleteImage(imageId), Reason.UNAVAILABLE);
    assertThat(e.getMessage()).contains("HTTP 502").contains("502 Bad Gateway").doesNotContain("<");
    server.failNext("DELETE", "/images/" + imageId + "$", 429, "", Map.of("Retry-After", "12"));
    e = failure(() -> driver.deleteImage(imageId), Reason.UNAVAILABLE);
    assertThat(e.getMessage()).contains("HTTP 429").contains("Retry-After: 12");
    assertThat(server.images()).containsKey(imageId);
    driver.deleteImage(imageId);
    assertThat(server.images()).doesNotContainKey(imageId);
    assertThatCode(() -> driver.deleteImage(imageId)).as("404: already gone").doesNotThrowAnyException();
  }

  @Test
  void aKeyPairDeleteAnswered503Or429IsUnavailableAndTheKeyPairIsStillThere() {
    driver.importKeyPair("opp-k", org.csv2.testkit.SshKeys.rsaPublicKey("opp@example"));
    server.failNext("DELETE", "/os-keypairs/opp-k$", 503,
        "{\"computeFault\":{\"message\":\"Service Unavailable\",\"code\":503}}");
    CloudException e = failure(() -> driver.deleteKeyPair("opp-k"), Reason.UNAVAILABLE);
    assertThat(e.getMessage()).contains("HTTP 503");
    server.failNext("DELETE", "/os-keypairs/opp-k$", 429,
        "{\"overLimit\":{\"message\":\"This request was rate-limited.\",\"code\":429}}", Map.of("Retry-After", "5"));
    e = failure(() -> driver.deleteKeyPair("opp-k"), Reason.UNAVAILABLE);
    assertThat(e.getMessage()).contains("rate-limited").contains("Retry-After: 5");
    server.failNext("DELETE", "/os-keypairs/opp-k$", 504, OpenStackSampleServer.htmlErrorPage(504, "Gateway Time-out"),
        Map.of("Content-Type", "text/html"));
    e = failure(() -> driver.deleteKeyPair("opp-k"), Reason.UNAVAILABLE);
    assertThat(e.getMessage()).contains("504 Gateway Time-out").doesNotContain("<");
    assertThat(server.keyPairs()).containsKey("opp-k");
    driver.deleteKeyPair("opp-k");
    assertThat(server.keyPairs()).doesNotContainKey("opp-k");
    assertThatCode(() -> driver.deleteKeyPair("opp-k")).as("404: already gone").doesNotThrowAnyException();
  }
}

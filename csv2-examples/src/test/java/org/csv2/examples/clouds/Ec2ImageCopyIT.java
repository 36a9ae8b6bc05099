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
package org.csv2.examples.clouds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.csv2.api.ops.ImageTransfer;
import org.csv2.core.images.ImageCache;
import org.csv2.core.images.ImageTransfers;
import org.csv2.core.store.InMemoryStateStore;
import org.csv2.model.CloudName;
import org.csv2.model.Image;
import org.csv2.plugin.ec2.Ec2CloudDriverProvider;
import org.csv2.spi.CloudDriver;
import org.csv2.testkit.TestEnvironment;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Issue 17: a transfer between two EC2 clouds of one account (moto, us-east-1 to eu-west-1) is
 * carried out by the cloud's own {@code CopyImage}: no byte passes through csv2's cache, the copy
 * is listed on the target, and the transfer is DONE with the copy's id. Between clouds that cannot
 * copy from each other (other credentials) the service falls back to download and upload, which
 * EC2 offers neither of, and says so. Fails (never skips) when moto is not running.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class Ec2ImageCopyIT {
  private static final CloudName EAST = CloudName.of("moto-east");
  private static final CloudName WEST = CloudName.of("moto-west");
  private static final CloudName OTHER = CloudName.of("moto-other-account");

  @TempDir Path cacheDir;

  private TestEnvironment env;
  private final Map<CloudName, CloudDriver> drivers = new LinkedHashMap<>();
  private ImageTransfers transfers;

  @BeforeEach
  void reset() throws Exception {
    env = TestEnvironment.load();
    env.requireListening("moto", "moto.endpoint");
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(env.get("moto.reset-url"))).timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("moto reset").isEqualTo(200);
  }

  @AfterEach
  void close() {
    if (transfers != null) {
      transfers.close();
    }
    drivers.values().forEach(CloudDriver::close);
  }

  private CloudDriver driver(CloudName name, String region, String accessKey) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("region", region);
    raw.put("endpoint", env.get("moto.endpoint"));
    raw.put("access-key-id", accessKey);
    raw.put("secret-access-key", env.get("moto.secret-key"));
    raw.put("image-name", "amzn2-ami-ecs-hvm-2.0.*-x86_64-ebs");
    raw.put("image-owners", List.of("amazon"));
    raw.put("call-timeout", "20s");
    CloudDriver d = new Ec2CloudDriverProvider().create(
        TestPluginConfig.of(raw, "clouds[0].config"), new TestPluginContext(Clock.systemUTC(), "copyit", name.value()));
    drivers.put(name, d);
    return d;
  }

  private ImageTransfer carryOut(InMemoryStateStore store, ImageTransfer asked) throws InterruptedException {
    ImageTransfer t = transfers.submit(asked);
    transfers.poll();
    for (int i = 0; i < 600 && store.transfer(t.id()).orElseThrow().state().active(); i++) {
      Thread.sleep(100);
    }
    return store.transfer(t.id()).orElseThrow();
  }

  @Test
  void aTransferBetweenRegionsOfOneAccountIsTheCloudsOwnCopy() throws Exception {
    CloudDriver east = driver(EAST, "us-east-1", env.get("moto.access-key"));
    CloudDriver west = driver(WEST, "eu-west-1", env.get("moto.access-key"));
    CloudDriver other = driver(OTHER, "eu-west-1", "AKIDOTHERACCOUNT");
    assertThat(west.copySource(east)).as("one account: west copies from east's region").contains("us-east-1");
    assertThat(other.copySource(east)).as("other credentials: no copy").isEmpty();
    Image source = east.images().get(0);

    InMemoryStateStore store = new InMemoryStateStore(Clock.systemUTC());
    transfers = new ImageTransfers(store, Clock.systemUTC(), "copyit", c -> Optional.ofNullable(drivers.get(c)),
        new ImageCache(cacheDir, 1L << 30), 2, 1);
    ImageTransfer done = carryOut(store, ImageTransfer.fromCloud(
        "csv2-copy-it-worker", null, EAST, source.id(), WEST, "raw", "it", Clock.systemUTC().instant()));

    assertThat(done.state()).as("transfer %s", done).isEqualTo(ImageTransfer.State.DONE);
    assertThat(done.message()).contains("copied by the cloud from region us-east-1");
    assertThat(west.images()).as("the copy is listed on the target")
        .anySatisfy(i -> assertThat(i.id() + " " + i.name()).isEqualTo(done.targetImageId() + " csv2-copy-it-worker"));
    try (Ec2Client sdk = Ec2Client.builder()
        .endpointOverride(URI.create(env.get("moto.endpoint"))).region(Region.of("eu-west-1"))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(env.get("moto.access-key"), env.get("moto.secret-key"))))
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      assertThat(sdk.describeImages(b -> b.imageIds(done.targetImageId())).images())
          .as("CopyImage made the AMI in eu-west-1, behind the driver's back").singleElement()
          .satisfies(i -> assertThat(i.description()).contains("copied by csv2 from us-east-1/" + source.id()));
    }
    try (Stream<Path> cached = Files.list(cacheDir)) {
      assertThat(cached).as("no byte went through csv2's cache").isEmpty();
    }

    ImageTransfer refused = carryOut(store, ImageTransfer.fromCloud(
        "csv2-copy-it-other", null, EAST, source.id(), OTHER, "raw", "it", Clock.systemUTC().instant()));
    assertThat(refused.state()).as("no copy, and EC2 takes no uploads").isEqualTo(ImageTransfer.State.FAILED);
    assertThat(refused.message()).contains("cloud moto-other-account takes no image uploads");
  }
}

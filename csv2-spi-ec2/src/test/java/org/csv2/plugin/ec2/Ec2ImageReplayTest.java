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
package org.csv2.plugin.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.csv2.api.CloudException;
import org.csv2.model.Image;
import org.csv2.model.KeyPair;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.ImageCapability;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The EC2 driver's image and key-pair verbs against replayed EC2 replies: the real ImportKeyPair
 * sample and AWS error codes, and what moto cannot be made to do (a tag call failing after
 * CopyImage succeeded, throttling). The verbs' working path runs against moto in
 * Ec2CloudDriverContractIT.
 */
class Ec2ImageReplayTest {
  private static final String COPY_REPLY =
      """
      <CopyImageResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
        <requestId>60bc441d-fa2c-494d-b155-5d6a3EXAMPLE</requestId>
        <imageId>ami-4d3c2b1a</imageId>
      </CopyImageResponse>
      """;
  private static final String TAGS_REPLY =
      """
      <CreateTagsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
        <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId><return>true</return>
      </CreateTagsResponse>
      """;
  private static final String DEREGISTER_REPLY =
      """
      <DeregisterImageResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
        <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId><return>true</return>
      </DeregisterImageResponse>
      """;

  private final Ec2ReplayServer server = new Ec2ReplayServer();
  private CloudDriver driver;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
    server.close();
  }

  private CloudDriver driver() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("region", "us-east-1");
    raw.put("endpoint", server.endpoint());
    raw.put("access-key-id", "AKIDEXAMPLE");
    raw.put("secret-access-key", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    raw.put("max-attempts", 1);
    raw.put("call-timeout", "5s");
    driver = new Ec2CloudDriverProvider()
        .create(TestPluginConfig.of(raw, "clouds[0].config"), new TestPluginContext(Clock.systemUTC(), "e1", "replay"));
    return driver;
  }

  @Test
  void declaresCopyDeleteAndKeyPairsButNoImageBytes() {
    assertThat(driver().imageCapabilities()).containsExactlyInAnyOrder(
        ImageCapability.COPY, ImageCapability.DELETE, ImageCapability.KEY_PAIR_IMPORT, ImageCapability.KEY_PAIR_DELETE);
  }

  @Test
  void importKeyPairSendsTheKeyAndReadsTheSamplesFingerprint() {
    server.answer("ImportKeyPair", Ec2ReplayServer.sample("libcloud/import_key_pair.xml"));
    String key = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC me@example";
    KeyPair k = driver().importKeyPair("keypair", key);
    assertThat(k).isEqualTo(new KeyPair("keypair", "00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00"));
    Map<String, String> sent = server.requests("ImportKeyPair").get(0);
    assertThat(sent).containsEntry("KeyName", "keypair");
    assertThat(new String(Base64.getDecoder().decode(sent.get("PublicKeyMaterial")), StandardCharsets.UTF_8)).isEqualTo(key);
  }

  @Test
  void aDuplicateKeyPairIsAnInvalidRequestAndDeletingAMissingOneIsSuccess() {
    server.answer("ImportKeyPair", 400, Ec2ReplayServer.error("InvalidKeyPair.Duplicate", "The keypair 'k' already exists."));
    server.answer("DeleteKeyPair", 400, Ec2ReplayServer.error("InvalidKeyPair.NotFound", "The key pair 'k' does not exist"));
    CloudDriver d = driver();
    assertThatThrownBy(() -> d.importKeyPair("k", "ssh-rsa AAAA x"))
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.reason()).isEqualTo(CloudException.Reason.INVALID_REQUEST);
          assertThat(e.getMessage()).contains("replay", "ImportKeyPair");
        });
    assertThatCode(() -> d.deleteKeyPair("k")).doesNotThrowAnyException();
  }

  @Test
  void copyImageBetweenRegionsTagsTheCopySoItIsListed() {
    server.answer("CopyImage", COPY_REPLY);
    server.answer("CreateTags", TAGS_REPLY);
    Image copy = driver().copyImage("ami-1a2b3c4d", "eu-west-1", "worker-v7");
    assertThat(copy).isEqualTo(new Image("ami-4d3c2b1a", "worker-v7"));
    assertThat(server.requests("CopyImage").get(0))
        .containsEntry("SourceImageId", "ami-1a2b3c4d")
        .containsEntry("SourceRegion", "eu-west-1")
        .containsEntry("Name", "worker-v7");
    assertThat(server.requests("CreateTags").get(0))
        .containsEntry("ResourceId.1", "ami-4d3c2b1a")
        .containsEntry("Tag.1.Key", Ec2CloudDriver.IMAGE_TAG)
        .containsEntry("Tag.1.Value", "worker-v7");
  }

  @Test
  void aCopyWhoseTaggingFailsIsDeregisteredSoNoUnlistedCopyRemains() {
    server.answer("CopyImage", COPY_REPLY);
    server.answer("CreateTags", 503, Ec2ReplayServer.error("RequestLimitExceeded", "Request limit exceeded."));
    server.answer("DeregisterImage", DEREGISTER_REPLY);
    assertThatThrownBy(() -> driver().copyImage("ami-1a2b3c4d", null, "worker-v7"))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.retryable()).isTrue());
    assertThat(server.requests("DeregisterImage")).singleElement().satisfies(r -> assertThat(r).containsEntry("ImageId", "ami-4d3c2b1a"));
  }

  @Test
  void copyingAnUnknownImageIsNotFoundAndDeregisteringOneIsSuccess() {
    server.answer("CopyImage", 400, Ec2ReplayServer.error("InvalidAMIID.NotFound", "The image id '[ami-00000000]' does not exist"));
    server.answer("DeregisterImage", 400, Ec2ReplayServer.error("InvalidAMIID.NotFound", "The image id '[ami-00000000]' does not exist"));
    CloudDriver d = driver();
    assertThatThrownBy(() -> d.copyImage("ami-00000000", null, "x"))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.reason()).isEqualTo(CloudException.Reason.NOT_FOUND));
    assertThatCode(() -> d.deleteImage("ami-00000000")).doesNotThrowAnyException();
  }
}

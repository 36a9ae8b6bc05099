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
package org.csv2.plugin.ec2.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csv2.plugin.ec2.Ec2CloudDriverProvider;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.PluginContext;
import org.csv2.testkit.TestEnvironment;
import org.csv2.testkit.TestPluginConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** moto of {@code scripts/testenv up}: the driver configuration that points at it, a raw client, and reset. */
final class Moto {
  /** Amazon-owned images moto ships; the newest by name is what a name pattern resolves to. */
  static final String IMAGE_NAME = "amzn2-ami-ecs-hvm-2.0.*-x86_64-ebs";

  private final TestEnvironment env = TestEnvironment.load();

  /** Fails the test unless moto answers; then wipes its state. */
  void reset() {
    env.requireListening("moto", "moto.endpoint");
    HttpRequest request = HttpRequest.newBuilder(URI.create(env.get("moto.reset-url")))
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw TestEnvironment.missing("a moto that resets (POST " + request.uri() + " -> " + response.statusCode() + ")");
      }
    } catch (IOException e) {
      throw TestEnvironment.missing("moto at " + request.uri() + " (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while resetting moto", e);
    }
  }

  /** The driver configuration a csv2 deployment would write for moto. */
  Map<String, Object> config() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("region", env.get("moto.region"));
    raw.put("endpoint", env.get("moto.endpoint"));
    raw.put("access-key-id", env.get("moto.access-key"));
    raw.put("secret-access-key", env.get("moto.secret-key"));
    raw.put("image-name", IMAGE_NAME);
    raw.put("image-owners", List.of("amazon"));
    raw.put("instance-types", Map.of("families", List.of("t3")));
    raw.put("vcpu-quota", 64);
    raw.put("call-timeout", "20s");
    return raw;
  }

  CloudDriver driver(Map<String, Object> raw, PluginContext context) {
    return new Ec2CloudDriverProvider().create(TestPluginConfig.of(raw, "clouds[0].config"), context);
  }

  /** A plain SDK client for looking behind the driver's back. */
  Ec2Client client() {
    return Ec2Client.builder()
        .endpointOverride(URI.create(env.get("moto.endpoint")))
        .region(Region.of(env.get("moto.region")))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(env.get("moto.access-key"), env.get("moto.secret-key"))))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}

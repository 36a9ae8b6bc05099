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

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.csv2.api.ConfigurationException;
import org.csv2.spi.CloudDriver;
import org.csv2.spi.CloudDriverProvider;
import org.csv2.spi.Csv2Api;
import org.csv2.spi.PluginConfig;
import org.csv2.spi.PluginContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;

/**
 * The {@code ec2} cloud driver: Amazon EC2 (or an EC2-compatible endpoint) through the AWS SDK for
 * Java v2 with its URL-connection HTTP client.
 *
 * <p>Configuration keys are listed in {@code docs/ec2.md}; for example:
 *
 * <pre>{@code
 * clouds:
 *   - name: aws-east
 *     driver: ec2
 *     config:
 *       region: us-east-1
 *       access-key-id: AKIA...
 *       secret-access-key: ${AWS_SECRET_ACCESS_KEY}
 *       subnet-id: subnet-0abc
 *       security-groups: [sg-0123]
 *       image-name: "al2023-ami-2023.*-x86_64"
 *       image-owners: [amazon]
 *       instance-types: { families: [m5, c5], max-vcpus: 16 }
 *       vcpu-quota: 256
 *       price-table: /etc/csv2/ec2-prices.json.gz
 * }</pre>
 *
 * <p><b>Thread safety:</b> stateless; {@link #create} may be called from any thread. It reads the
 * price table but does not call the cloud.
 */
public final class Ec2CloudDriverProvider implements CloudDriverProvider {
  /** The name used in YAML: {@code driver: ec2}. */
  public static final String NAME = "ec2";

  /** Creates the provider; cheap, no I/O. */
  public Ec2CloudDriverProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String apiVersion() {
    return Csv2Api.VERSION;
  }

  @Override
  public CloudDriver create(PluginConfig config, PluginContext context) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(context, "context");
    Ec2Config c = config.bind(Ec2Config.class).validate(config.path());
    PriceTable prices = priceTable(c, config.path());
    return new Ec2CloudDriver(c, context, client(c, context), prices);
  }

  static PriceTable priceTable(Ec2Config c, String path) {
    if (c.priceTable() == null) {
      return PriceTable.EMPTY;
    }
    String where = (path.isEmpty() ? "" : path + ".") + "price-table";
    try {
      return PriceTable.load(
          Path.of(c.priceTable()), c.priceTableFormat(), c.priceRegionValue(), c.priceOs());
    } catch (IOException e) {
      throw new ConfigurationException(List.of(where + ": cannot read " + c.priceTable() + ": " + e));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(List.of(where + ": " + e.getMessage()));
    }
  }

  static Ec2Client client(Ec2Config c, PluginContext context) {
    Ec2ClientBuilder builder =
        Ec2Client.builder()
            .region(Region.of(Objects.requireNonNull(c.region(), "region")))
            .credentialsProvider(credentials(c))
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(c.connectTimeout())
                    .socketTimeout(c.callTimeout()))
            .overrideConfiguration(
                o ->
                    o.apiCallTimeout(c.callTimeout())
                        .retryStrategy(r -> r.maxAttempts(c.maxAttempts()))
                        // one record the SDK cannot read leaves out that record only
                        .addExecutionInterceptor(new UnreadableRecords(context)));
    if (c.endpoint() != null) {
      builder.endpointOverride(URI.create(c.endpoint()));
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(Ec2Config c) {
    if (c.accessKeyId() != null && c.secretAccessKey() != null) {
      return StaticCredentialsProvider.create(
          c.sessionToken() != null
              ? AwsSessionCredentials.builder()
                  .accessKeyId(c.accessKeyId())
                  .secretAccessKey(c.secretAccessKey().reveal())
                  .sessionToken(c.sessionToken().reveal())
                  .expirationTime(c.sessionExpiresAt())
                  .build()
              : AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey().reveal()));
    }
    if (c.profile() != null) {
      return ProfileCredentialsProvider.builder().profileName(c.profile()).build();
    }
    return DefaultCredentialsProvider.builder().build();
  }
}

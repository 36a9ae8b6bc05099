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

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.csv2.testkit.TestEnvironment;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;

/**
 * Proves that moto (the EC2 mock of {@code scripts/testenv up}) answers the AWS SDK v2 the way the EC2 plugin
 * will call it: endpoint override, static credentials, the URL-connection HTTP client, DescribeInstanceTypes.
 * Read-only: it does not reset moto, whose state other tests may be using.
 */
class MotoSmokeIT {

    private final TestEnvironment env = TestEnvironment.load();

    @Test
    void describeInstanceTypesAnswers() {
        env.requireListening("moto", "moto.endpoint");
        try (Ec2Client ec2 = Ec2Client.builder()
                .endpointOverride(URI.create(env.get("moto.endpoint")))
                .region(Region.of(env.get("moto.region")))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(env.get("moto.access-key"), env.get("moto.secret-key"))))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            Map<String, InstanceTypeInfo> types = ec2
                    .describeInstanceTypes(r -> r.instanceTypes(InstanceType.T3_MICRO, InstanceType.M5_LARGE))
                    .instanceTypes().stream()
                    .collect(Collectors.toMap(InstanceTypeInfo::instanceTypeAsString, Function.identity()));

            assertEquals(2, types.size(), "instance types returned: " + types.keySet());
            assertEquals(2, types.get("t3.micro").vCpuInfo().defaultVCpus());
            assertEquals(1024L, types.get("t3.micro").memoryInfo().sizeInMiB());
            assertEquals(2, types.get("m5.large").vCpuInfo().defaultVCpus());
            assertEquals(8192L, types.get("m5.large").memoryInfo().sizeInMiB());
        }
    }
}

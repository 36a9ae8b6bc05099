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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.csv2.api.ConfigurationException;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Price tables, read from the real public catalogs in {@code ../shared/data/catalogs}. */
class PriceTableTest {
  @TempDir Path tmp;

  private static Path catalog(String name) {
    return Ec2ReplayServer.sharedData().resolve("catalogs").resolve(name);
  }

  @Test
  void ec2InstancesInfoArrayGzipIsReadForRegionAndOs() throws IOException {
    Path file = catalog("aws/ec2instances-info-instances-2017-11-12.json.gz");
    PriceTable linux = PriceTable.load(file, "auto", "us-east-1", "linux");
    assertThat(linux.price("m1.small")).hasValue(0.044);
    assertThat(linux.price("c4.large")).hasValue(0.1);
    assertThat(linux.price("p2.xlarge")).hasValue(0.9);
    assertThat(linux.size()).isEqualTo(88);
    PriceTable windows = PriceTable.load(file, "ec2instances-info", "eu-west-1", "windows");
    assertThat(windows.price("m1.small")).hasValue(0.075);
    assertThat(windows.price("t2.micro")).hasValue(0.0172);
    assertThat(windows.price("no.such")).isEmpty();
  }

  @Test
  void ec2InstancesInfoSingleInstanceObjectIsRead() throws IOException {
    PriceTable t = PriceTable.load(catalog("aws/ec2instances-info-single-instance-x2iedn.32xlarge.json.gz"), "auto", "us-east-1", "linux");
    assertThat(t.price("x2iedn.32xlarge")).hasValue(26.676);
    assertThat(t.size()).isEqualTo(1);
  }

  @Test
  void libcloudPricingIsReadAndZeroMeansNotOffered() throws IOException {
    Path file = catalog("multicloud/libcloud-pricing-2023-08-06.json.gz");
    PriceTable linux = PriceTable.load(file, "auto", "us-east-1", "linux");
    assertThat(linux.price("m5.large")).hasValue(0.102);
    assertThat(linux.price("c5.large")).as("0.0 in the file").isEmpty();
    assertThat(linux.size()).isEqualTo(606);
    assertThat(PriceTable.load(file, "libcloud", "us-east-1", "windows").price("c1.medium")).hasValue(0.13);
    assertThat(PriceTable.load(file, "libcloud", "us-east-1", "suse").price("a1.xlarge")).hasValue(0.1644);
  }

  @Test
  void csvWithHeaderCommentsAndGzipIsRead() throws IOException {
    String text = "# prices of 2025-03\ntype,price\n\nm5.large, 0.096\r\nc5.xlarge,0.17\nt3.nano,0\n";
    PriceTable plain = PriceTable.load(Files.writeString(tmp.resolve("p.csv"), text), "auto", "us-east-1", "linux");
    assertThat(plain.price("m5.large")).hasValue(0.096);
    assertThat(plain.price("c5.xlarge")).hasValue(0.17);
    assertThat(plain.price("t3.nano")).as("0 means not offered").isEmpty();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    Path gz = Files.write(tmp.resolve("p.csv.gz"), bytes.toByteArray());
    assertThat(PriceTable.load(gz, "csv", "us-east-1", "linux").price("m5.large")).hasValue(0.096);
  }

  @Test
  void malformedCsvNamesFileAndLine() throws IOException {
    Path file = Files.writeString(tmp.resolve("bad.csv"), "m5.large,0.096\nc5.xlarge,cheap\n");
    assertThatThrownBy(() -> PriceTable.load(file, "auto", "us-east-1", "linux"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.csv:2")
        .hasMessageContaining("cheap");
    Path three = Files.writeString(tmp.resolve("three.csv"), "m5.large,0.096,extra\n");
    assertThatThrownBy(() -> PriceTable.load(three, "csv", "us-east-1", "linux")).hasMessageContaining("three.csv:1");
  }

  @Test
  void aRegionWithoutPricesIsAnError() {
    Path file = catalog("aws/ec2instances-info-instances-2017-11-12.json.gz");
    assertThatThrownBy(() -> PriceTable.load(file, "auto", "mars-north-1", "linux"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mars-north-1");
  }

  @Test
  void theProviderReportsABadTableAsAConfigurationErrorWithItsPath() throws IOException {
    Path file = Files.writeString(tmp.resolve("broken.json"), "{\"compute\": {\"ec2_linux\": [1, 2]}}");
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("region", "us-east-1");
    raw.put("price-table", file.toString());
    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> new Ec2CloudDriverProvider().create(TestPluginConfig.of(raw, "clouds[0].config"), TestPluginContext.of("c1")));
    assertThat(e).isNotNull();
    assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p)
        .startsWith("clouds[0].config.price-table:")
        .contains("broken.json"));
  }
}

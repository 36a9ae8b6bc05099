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
package org.csv2.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.csv2.model.Flavor;
import org.csv2.model.Resources;
import org.junit.jupiter.api.Test;

/** The catalog readers parse the real files of shared/data. */
class CatalogsTest {
  private final Path data = SharedData.locate();

  @Test
  void ec2CatalogGivesSpecsAndTheLinuxOnDemandPricePerRegion() {
    Map<String, List<Flavor>> byRegion = Catalogs.ec2ByRegion(data);
    assertThat(byRegion).containsKeys("us-east-1", "eu-west-1", "ca-central-1");
    assertThat(byRegion.get("us-east-1")).hasSize(88);
    Flavor small = byRegion.get("us-east-1").stream().filter(f -> f.name().value().equals("m1.small")).findFirst().orElseThrow();
    // m1.small: 1 vCPU, 1.7 GiB, one 160 GB disk, $0.044/h on-demand Linux in us-east-1 (2017)
    assertThat(small.resources()).isEqualTo(new Resources(1, 1741, 160, 0, 0));
    assertThat(small.pricePerHour()).isCloseTo(0.044, within(1e-9));
    assertThat(byRegion.values()).allMatch(l -> l.stream().allMatch(f -> f.pricePerHour() > 0));
  }

  @Test
  void libcloudFillsRegionsThe2017FileDoesNotPrice() {
    Map<String, Map<String, Double>> ec2 = Catalogs.libcloudTable(data, "ec2_linux");
    assertThat(ec2).containsKey("c4.large");
    assertThat(ec2.get("c4.large")).containsKey("us-east-1");
    // ca-central-1 has 36 priced types in the 2017 file; libcloud's table adds more
    assertThat(Catalogs.ec2ByRegion(data).get("ca-central-1")).hasSizeGreaterThan(36);
  }

  @Test
  void rackspaceFlavorsArePricedById() {
    List<Flavor> rs = Catalogs.rackspace(data);
    // 8 flavors, the 256 MB one has no price in rackspacenovaus and is left out
    assertThat(rs).hasSize(7);
    Flavor gb1 = rs.stream().filter(f -> f.name().value().equals("1GB-slice")).findFirst().orElseThrow();
    assertThat(gb1.resources()).isEqualTo(new Resources(1, 1024, 40, 0, 0));
    assertThat(gb1.pricePerHour()).isCloseTo(0.06, within(1e-9));
    assertThat(Catalogs.flatTable(data, "rackspacenovaus")).containsEntry("8", 1.2);
  }
}

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

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The breakdown accounts for every provisioned core-hour of a short replay, in its buckets. */
class ReplayBreakdownTest {
  @Test
  void theBucketsAddUpToTheProvisionedCoreHours() {
    PrintStream was = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      ReplayBreakdown.main(new String[] {"300", "default"});
    } finally {
      System.setOut(was);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    Matcher head = Pattern.compile("used (\\d+) core-h, provisioned (\\d+)").matcher(out);
    Matcher total = Pattern.compile("sampled total (\\d+) core-h").matcher(out);
    assertThat(head.find()).as(out).isTrue();
    assertThat(total.find()).as(out).isTrue();
    double provisioned = Double.parseDouble(head.group(2));
    double sampled = Double.parseDouble(total.group(1));
    assertThat(provisioned).isPositive();
    // sampled every 10 s cycle: within one cycle per VM of the simulation's own accounting
    assertThat(sampled).isBetween(provisioned * 0.95, provisioned * 1.05);
    assertThat(out).contains("busy").contains("starting (boot + register)").contains("VMs booted by cores:");
  }
}

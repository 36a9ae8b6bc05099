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
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.csv2.api.CloudException;
import org.csv2.model.Flavor;
import org.csv2.model.Instance;
import org.csv2.spi.CloudDriver;
import org.csv2.testkit.Hostile;
import org.csv2.testkit.MutableClock;
import org.csv2.testkit.TestPluginConfig;
import org.csv2.testkit.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * Fuzzing as a test (issue 20): the EC2 XML replies of {@code ../shared/data/ec2-samples}
 * (DescribeInstances of libcloud and jclouds, DescribeSpotPriceHistory of jclouds) and the
 * DescribeInstanceTypes reply of {@link Ec2ReplayTest}, one leaf element of one record (instance,
 * instance type, spot price) given a hostile text or removed, served to the real driver by {@link
 * Ec2ReplayServer}. Seeded, bounded, no shrinking (every failing case is collected and described
 * by the record and element it changed). The driver reads the reply, at most without the mutated
 * record, and never refuses it whole: what the AWS SDK cannot read (a character XML forbids, such
 * as U+0000, a number, boolean or time element that is not one) {@link UnreadableRecords} takes
 * out of the reply first; a refusal would be a {@link CloudException} naming the cloud, never
 * another exception. Every record that was not touched is read exactly as before; a record left
 * out is named in the context's rejections. The one exception: a record whose key now names another record is the
 * same key listed twice, and the driver keeps the first.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class Ec2ReplyFuzzTest {
  /**
   * Cases of each property. Each case is one call to the loopback server (a few ms; a driver of
   * its own for the cached replies), so the three properties take seconds; figures in
   * docs/testing.md.
   */
  static final int EXAMPLES = 60;

  private static final long SEED = 20_261_204L;


  private final Ec2ReplayServer server = new Ec2ReplayServer();
  private final MutableClock clock = MutableClock.at(Instant.parse("2025-03-01T12:00:00Z"));
  private final List<CloudDriver> drivers = new ArrayList<>();

  @AfterEach
  void stop() {
    drivers.forEach(CloudDriver::close);
    server.close();
  }

  @Test
  void aMutatedInstanceNeverHidesTheOthers() {
    List<Document> samples =
        List.of(parse(Ec2ReplayServer.sample("libcloud/describe_instances.xml")),
            parse(Ec2ReplayServer.sample("jclouds/describe_instances_latest.xml")));
    server.answer("DescribeInstanceTypes", Ec2ReplayTest.INSTANCE_TYPES);
    TestPluginContext context = context();
    CloudDriver driver = driver(context, Map.of());
    List<Map<String, Instance>> before = new ArrayList<>();
    for (Document d : samples) {
      server.answer("DescribeInstances", print(d));
      before.add(driver.instances().stream().collect(Collectors.toMap(i -> i.id().value(), Function.identity())));
    }
    assertThat(before).allSatisfy(b -> assertThat(b).hasSize(2));
    assertThat(context.rejections()).isEmpty();
    int[] outcomes = fuzz(EXAMPLES, samples, "instancesSet", "instanceId", (sample, touched) -> {
      server.answer("DescribeInstances", sample);
      int rejectedBefore = context.rejections().size();
      List<Instance> read = driver.instances();
      Map<String, Instance> byId = new LinkedHashMap<>();
      read.forEach(i -> assertThat(byId.put(i.id().value(), i)).as("instance %s listed once", i.id()).isNull());
      return check(before.get(touched.sample()), byId, touched, context.rejections().size() - rejectedBefore);
    });
    report("DescribeInstances", EXAMPLES, outcomes);
  }

  @Test
  void aMutatedInstanceTypeNeverHidesTheOthers() {
    server.answer("DescribeInstanceTypes", Ec2ReplayTest.INSTANCE_TYPES);
    Map<String, Flavor> before = byName(driver(context(), Map.of()).flavors());
    assertThat(before).hasSize(4);
    List<Document> samples = List.of(parse(Ec2ReplayTest.INSTANCE_TYPES));
    int[] outcomes = fuzz(EXAMPLES, samples, "instanceTypeSet", "instanceType", (sample, touched) -> {
      // a driver of its own per case: the instance types are cached for flavor-refresh, and a
      // reply the SDK cannot read at all would otherwise be answered from the cache
      TestPluginContext context = context();
      server.answer("DescribeInstanceTypes", sample);
      Map<String, Flavor> read = byName(driver(context, Map.of()).flavors());
      return check(before, read, touched, context.rejections().size());
    });
    report("DescribeInstanceTypes", EXAMPLES, outcomes);
  }

  @Test
  void aMutatedSpotPriceChangesTheFlavorOfItsTypeAtMost() {
    server.answer("DescribeInstanceTypes", Ec2ReplayTest.INSTANCE_TYPES);
    Document sample = parse(Ec2ReplayServer.sample("jclouds/describe_spot_price_history.xml"));
    server.answer("DescribeSpotPriceHistory", print(sample));
    Map<String, Flavor> before = byName(driver(context(), SPOT).flavors());
    assertThat(before).containsKeys("m1.large", "t1.micro");
    assertThat(before.get("m1.large").properties()).containsEntry("spot-price", "0.119");
    int[] outcomes = fuzz(EXAMPLES, List.of(sample), "spotPriceHistorySet", "instanceType", (mutated, touched) -> {
      TestPluginContext context = context();
      server.answer("DescribeSpotPriceHistory", mutated);
      Map<String, Flavor> read = byName(driver(context, SPOT).flavors());
      // a price record changes at most the flavor of its type (and of the type it now names)
      assertThat(read.keySet()).as("flavors").isEqualTo(before.keySet());
      before.forEach((type, flavor) -> {
        if (!type.equals(touched.key()) && !type.equals(touched.newKey())) {
          assertThat(read.get(type)).as("flavor of untouched type %s", type).isEqualTo(flavor);
        }
      });
      // the one record that counts (Linux/UNIX) without its type, price or zone is named
      boolean counted = touched.key().equals("m1.large");
      if (counted && touched.removed() && List.of("instanceType", "spotPrice", "availabilityZone").contains(touched.leaf())) {
        assertThat(context.rejections()).as("the price record left out is named").isNotEmpty();
        return 1;
      }
      return 0;
    });
    report("DescribeSpotPriceHistory", EXAMPLES, outcomes);
  }

  private static final Map<String, Object> SPOT = Map.of("market", "spot");

  /**
   * Which record of which sample a case mutated, which leaf, and the text it got (null when the
   * leaf was removed).
   */
  record Touched(int sample, String key, boolean keyHit, String leaf, @Nullable String value) {
    boolean removed() {
      return value == null;
    }

    /** The key the record has now, when its key element got a new text; else null. */
    @Nullable String newKey() {
      return keyHit && value != null ? value.trim() : null;
    }
  }

  /** Reads a mutated reply and checks it; returns 0 if read whole, 1 if the touched record was left out. */
  interface Case {
    int run(String mutatedReply, Touched touched);
  }

  /**
   * Runs the property: one leaf element of one {@code item} of the set element {@code set} in one
   * sample gets a hostile text or is removed.
   *
   * @return the outcomes: read whole, read without the touched record, refused whole
   */
  private static int[] fuzz(int examples, List<Document> samples, String set, String keyElement, Case check) {
    int[] outcomes = new int[3];
    List<String> failures = new ArrayList<>();
    long[] slowest = new long[1];
    long started = System.nanoTime();
    // no shrinking: a failing case is described by what it did to which record, and every
    // failure is collected, so one run names them all
    qt().withFixedSeed(SEED)
        .withExamples(examples)
        .withShrinkCycles(0)
        .forAll(integers().between(0, samples.size() - 1), integers().between(0, 999_999), Hostile.text(), integers().between(0, 9))
        .checkAssert((s, roll, value, removeRoll) -> {
          int recordRoll = roll % 1000;
          int leafRoll = roll / 1000;
          Document doc = (Document) samples.get(s).cloneNode(true);
          List<Element> records = records(doc, set);
          Element record = records.get(recordRoll % records.size());
          String key = text(record, keyElement);
          List<Element> leaves = new ArrayList<>();
          leaves(record, leaves);
          Element leaf = leaves.get(leafRoll % leaves.size());
          boolean keyHit = leaf.getParentNode() == record && leaf.getLocalName().equals(keyElement);
          boolean removed = removeRoll == 0;
          // a reply is UTF-8 bytes on the wire: a lone surrogate cannot be sent, it arrives as '?'
          value = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
          String what = "record " + key + ", element " + leaf.getLocalName()
              + (removed ? " removed" : " set to '" + head(value) + "'");
          if (removed) {
            leaf.getParentNode().removeChild(leaf);
          } else {
            leaf.setTextContent(value);
          }
          String reply;
          try {
            reply = print(doc);
          } catch (AssertionError e) {
            failures.add(what + ": " + head(String.valueOf(e.getCause())));
            return;
          }
          long t0 = System.nanoTime();
          try {
            outcomes[check.run(reply, new Touched(s, key, keyHit, leaf.getLocalName(), removed ? null : value))]++;
          } catch (CloudException e) {
            if (!String.valueOf(e.getMessage()).contains("cloud replay")) {
              failures.add(what + ": a refused reply does not name the cloud: " + head(e.getMessage()));
            }
            outcomes[2]++;
          } catch (RuntimeException | AssertionError e) {
            failures.add(what + ": " + head(String.valueOf(e)));
          } finally {
            slowest[0] = Math.max(slowest[0], System.nanoTime() - t0);
          }
        });
    System.out.printf("%s fuzz: %d cases in %d ms, the slowest %d ms%n", set, examples,
        (System.nanoTime() - started) / 1_000_000, slowest[0] / 1_000_000);
    assertThat(failures).as("cases that failed (seed %d)", SEED).isEmpty();
    return outcomes;
  }

  /**
   * Every record not touched reads exactly as before; the touched one is read or left out, and
   * left out only when named in the rejections. A record whose key got a new text may be read
   * under that key; if that key is another record's, the two are one key listed twice, and the
   * driver keeps the first (so that other record may then read differently).
   */
  private static <T> int check(Map<String, T> before, Map<String, T> read, Touched touched, int rejected) {
    String newKey = touched.newKey();
    before.forEach((key, value) -> {
      if (!key.equals(touched.key()) && !key.equals(newKey)) {
        assertThat(read.get(key)).as("untouched record %s", key).isEqualTo(value);
      }
    });
    Set<String> extra = new HashSet<>(read.keySet());
    extra.removeAll(before.keySet());
    if (newKey != null) {
      extra.remove(newKey);
    }
    assertThat(extra).as("records read that were not there").isEmpty();
    boolean touchedRead = read.containsKey(touched.key()) || (newKey != null && read.containsKey(newKey));
    if (!touchedRead || (newKey != null && !newKey.equals(touched.key()) && before.containsKey(newKey))) {
      assertThat(rejected).as("the record left out (%s) is named", touched.key()).isPositive();
      return 1;
    }
    return 0;
  }

  private static void report(String reply, int examples, int[] outcomes) {
    System.out.printf("%s fuzz: %d read whole, %d read without the bad record, %d refused%n",
        reply, outcomes[0], outcomes[1], outcomes[2]);
    // every mutation touches one record: the driver leaves that record out at most (UnreadableRecords
    // takes out what the AWS SDK cannot read), never refuses the whole reply
    assertThat(outcomes[2]).as("mutations of one record that made the whole reply unreadable").isZero();
  }

  private static List<Element> records(Document doc, String set) {
    List<Element> out = new ArrayList<>();
    var sets = doc.getElementsByTagNameNS("*", set);
    for (int i = 0; i < sets.getLength(); i++) {
      for (Node n = sets.item(i).getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && "item".equals(e.getLocalName())) {
          out.add(e);
        }
      }
    }
    return out;
  }

  private static void leaves(Element e, List<Element> out) {
    boolean child = false;
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) {
        child = true;
        leaves(c, out);
      }
    }
    if (!child) {
      out.add(e);
    }
  }

  private static String text(Element record, String name) {
    for (Node n = record.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && name.equals(c.getLocalName())) {
        return c.getTextContent().trim();
      }
    }
    throw new AssertionError("no " + name + " in a record of the sample");
  }

  private static String head(String text) {
    StringBuilder b = new StringBuilder();
    String.valueOf(text).codePoints().forEach(c -> {
      if (c < 0x20 || c > 0x7e) {
        // only printable ASCII: a report cut at the first odd character names nothing
        b.append(String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    String t = b.toString();
    return t.length() <= 300 ? t : t.substring(0, 300) + "...(" + t.length() + " chars)";
  }

  private static Map<String, Flavor> byName(List<Flavor> flavors) {
    return flavors.stream().collect(Collectors.toMap(f -> f.name().value(), Function.identity(), (a, b) -> a, LinkedHashMap::new));
  }

  private TestPluginContext context() {
    return new TestPluginContext(clock, "e1", "replay");
  }

  private CloudDriver driver(TestPluginContext context, Map<String, Object> extra) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("region", "us-east-1");
    raw.put("endpoint", server.endpoint());
    raw.put("access-key-id", "AKIDEXAMPLE");
    raw.put("secret-access-key", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    raw.put("max-attempts", 1);
    // short (the default is 30 s), but room for the first call of a JVM on a loaded machine
    raw.put("call-timeout", "3s");
    raw.putAll(extra);
    CloudDriver d = new Ec2CloudDriverProvider().create(TestPluginConfig.of(raw, "clouds[0].config"), context);
    drivers.add(d);
    return d;
  }

  static Document parse(String xml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    } catch (Exception e) {
      throw new AssertionError("sample not readable: " + e, e);
    }
  }

  static String print(Document doc) {
    try {
      var t = TransformerFactory.newInstance().newTransformer();
      t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      StringWriter out = new StringWriter();
      t.transform(new DOMSource(doc), new StreamResult(out));
      return out.toString();
    } catch (Exception e) {
      throw new AssertionError("cannot print a sample: " + e, e);
    }
  }
}

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
package org.csv2.plugin.htcondor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.csv2.model.Job;
import org.csv2.model.Worker;
import org.csv2.testkit.Hostile;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing as a test (issue 20): the real job and slot ads recorded from the test pool, one
 * attribute of one ad replaced by a hostile value (or removed). Seeded and bounded: the same
 * {@link #EXAMPLES} cases every run. Each property asserts that mapping never throws, that every
 * ad still gives a job or a named reason, and that no other ad's outcome changes.
 */
class AdFuzzTest {
  /** Cases per property; figures in docs/testing.md. */
  static final int EXAMPLES = 2000;

  private static final long SEED = 20_261_204L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-21T07:00:00Z");

  private static List<String> attributes(ArrayNode ads) {
    List<String> names = new ArrayList<>();
    ads.forEach(ad -> ad.fieldNames().forEachRemaining(n -> {
      if (!names.contains(n)) {
        names.add(n);
      }
    }));
    return names;
  }

  private static ArrayNode mutate(ArrayNode original, int adIndex, String attribute, JsonNode value, boolean remove) {
    ArrayNode copy = original.deepCopy();
    ObjectNode ad = (ObjectNode) copy.get(adIndex % copy.size());
    if (remove) {
      ad.remove(attribute);
    } else {
      ad.set(attribute, value);
    }
    return copy;
  }

  private static List<ClassAds.Ad> parse(ArrayNode ads) {
    try {
      return ClassAds.parse(ads.toString());
    } catch (ClassAds.MalformedOutput e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aMutatedJobAdNeverFailsTheOthers() throws Exception {
    ArrayNode real = (ArrayNode) JSON.readTree(Fixtures.resource("condor_q.json"));
    List<String> names = attributes(real);
    names.addAll(JobAds.ATTRIBUTES);
    JobAds mapper = new JobAds(null);
    List<JobAds.Outcome> before = parse(real).stream().map(a -> mapper.map(a, "s")).toList();
    qt().withFixedSeed(SEED)
        .withExamples(EXAMPLES)
        .forAll(integers().between(0, real.size() - 1), integers().between(0, names.size() - 1), Hostile.json(), integers().between(0, 9))
        .checkAssert((ad, name, value, removeRoll) -> {
          List<ClassAds.Ad> ads = parse(mutate(real, ad, names.get(name), value, removeRoll == 0));
          for (int i = 0; i < ads.size(); i++) {
            JobAds.Outcome o = mapper.map(ads.get(i), "s");
            assertThat(o.job() != null || o.skipped() != null).as("a job or a reason").isTrue();
            if (o.skipped() != null) {
              assertThat(o.skipped()).as("a reason, one line").isNotBlank();
            }
            if (i != ad) {
              assertThat(o).as("ad %d is not the mutated one", i).isEqualTo(before.get(i));
            }
            Job job = o.job();
            if (job != null) {
              assertThat(job.keepAlive() == null || job.keepAlive().getSeconds() <= JobAds.MAX_KEEP_ALIVE_SECONDS).isTrue();
              assertThat(job.request().cores()).isBetween(0, JobAds.MAX_CORES);
              assertThat(job.queuedSince().getEpochSecond()).isBetween(0L, JobAds.MAX_EPOCH_SECOND);
            }
          }
        });
  }

  @Test
  void aMutatedSlotAdLeavesOutItsStartdAtMost() throws Exception {
    ArrayNode real = (ArrayNode) JSON.readTree(Fixtures.resource("condor_status-running.json"));
    ArrayNode draining = (ArrayNode) JSON.readTree(Fixtures.resource("condor_status-draining.json"));
    real.addAll(draining);
    List<String> names = attributes(real);
    names.addAll(WorkerAds.ATTRIBUTES);
    String instance = "manual1";
    WorkerAds mapper = new WorkerAds(instance);
    WorkerAds.Result before = mapper.map(parse(real), NOW);
    qt().withFixedSeed(SEED)
        .withExamples(EXAMPLES)
        .forAll(integers().between(0, real.size() - 1), integers().between(0, names.size() - 1), Hostile.json(), integers().between(0, 9))
        .checkAssert((ad, name, value, removeRoll) -> {
          ArrayNode mutated = mutate(real, ad, names.get(name), value, removeRoll == 0);
          WorkerAds.Result after = mapper.map(parse(mutated), NOW);
          String startd = startd(real.get(ad));
          // a new Name or Machine moves the slot to another startd: that one changes, rightly
          boolean moves = names.get(name).equalsIgnoreCase("Name") || names.get(name).equalsIgnoreCase("Machine");
          for (Worker w : before.workers()) {
            if (!moves && !Objects.equals(w.name(), startd)) {
              assertThat(after.workers()).as("worker %s is not the mutated one's", w.name()).contains(w);
            }
          }
          assertThat(after.workers().size() + after.skipped()).isGreaterThanOrEqualTo(before.workers().size() - 1);
          after.problems().forEach(p -> assertThat(p.reason()).isNotBlank());
          for (Worker w : after.workers()) {
            assertThat(w.total().cores()).isNotNegative();
            assertThat(w.lastActivity().getEpochSecond()).isBetween(0L, WorkerAds.MAX_EPOCH_SECOND);
          }
        });
  }

  private static String startd(JsonNode ad) {
    return WorkerAds.startdName(ad.path("Name").asText(""), ad.path("Machine").asText(null));
  }
}

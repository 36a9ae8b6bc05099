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
package org.csv2.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.csv2.api.CloudException;
import org.csv2.api.CloudException.Reason;
import org.csv2.model.InstanceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The general burst ({@link BootBurst#each}) and the default {@link CloudDriver#terminateEach}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BootBurstTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void close() {
    pool.shutdownNow();
  }

  private static List<InstanceId> ids(int n) {
    List<InstanceId> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(InstanceId.of("i-" + i));
    }
    return ids;
  }

  @Test
  void everyItemHasItsOwnOutcomeInOrderAndOneFailureHidesNoSuccess() {
    List<BootBurst.Outcome<Integer, Integer>> out = BootBurst.each(List.of(1, 2, 3, 4, 5, 6, 7, 8), pool, i -> {
      if (i == 3) {
        throw new CloudException(Reason.INVALID_REQUEST, "three is locked");
      }
      return i * 10;
    }, BootBurst::cloudDown);
    assertThat(out).extracting(BootBurst.Outcome::item).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(out).filteredOn(BootBurst.Outcome::ok).extracting(BootBurst.Outcome::result)
        .containsExactly(10, 20, 40, 50, 60, 70, 80);
    assertThat(out.get(2).failure()).hasMessage("three is locked");
    assertThat(out.get(2).sent()).isTrue();
  }

  @Test
  void aFailureThatStopsLeavesTheRestUnsentAndSaysWhy() {
    AtomicInteger calls = new AtomicInteger();
    List<BootBurst.Outcome<Integer, Integer>> out = BootBurst.each(List.of(1, 2, 3, 4, 5), null, i -> {
      calls.incrementAndGet();
      if (i == 2) {
        throw new CloudException(Reason.UNAVAILABLE, "connection refused");
      }
      return i;
    }, BootBurst::cloudDown);
    assertThat(calls).hasValue(2);
    assertThat(out).extracting(BootBurst.Outcome::sent).containsExactly(true, true, false, false, false);
    assertThat(out.get(4).failure().reason()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(out.get(4).failure().getMessage()).contains("not sent", "connection refused");
  }

  @Test
  void aBugInTheCallIsAFailureNamingIt() {
    List<BootBurst.Outcome<String, String>> out = BootBurst.each(List.of("a"), pool, s -> {
      throw new IllegalStateException("oops");
    }, e -> false);
    assertThat(out.get(0).failure().reason()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(out.get(0).failure().getMessage()).contains("a", "IllegalStateException", "oops");
  }

  @Test
  void theDefaultTerminateEachReportsEachRefusalAndStopsWhenTheCloudIsDown() {
    List<InstanceId> asked = new ArrayList<>();
    CloudDriver driver = new MinimalDriver() {
      @Override
      public void terminate(InstanceId id) {
        asked.add(id);
        if (id.value().equals("i-1")) {
          throw new CloudException(Reason.INVALID_REQUEST, "i-1 is protected");
        }
        if (id.value().equals("i-3")) {
          throw new CloudException(Reason.AUTHENTICATION, "token expired");
        }
      }
    };
    Map<InstanceId, CloudException> refused = driver.terminateEach(ids(6));
    assertThat(asked).extracting(InstanceId::value).containsExactly("i-0", "i-1", "i-2", "i-3");
    assertThat(refused.keySet()).extracting(InstanceId::value).containsExactly("i-1", "i-3", "i-4", "i-5");
    assertThat(refused.get(InstanceId.of("i-1")).reason()).isEqualTo(Reason.INVALID_REQUEST);
    assertThat(refused.get(InstanceId.of("i-5")).reason()).isEqualTo(Reason.AUTHENTICATION);
  }

  /** Only what the test needs; the other verbs are never called. */
  private abstract static class MinimalDriver implements CloudDriver {
    @Override
    public List<org.csv2.model.Flavor> flavors() {
      return List.of();
    }

    @Override
    public List<org.csv2.model.Image> images() {
      return List.of();
    }

    @Override
    public org.csv2.model.CloudCapacity capacity() {
      return org.csv2.model.CloudCapacity.UNLIMITED;
    }

    @Override
    public List<org.csv2.model.Instance> boot(org.csv2.model.BootRequest request) {
      throw new UnsupportedOperationException("boot");
    }

    @Override
    public List<org.csv2.model.Instance> instances() {
      return List.of();
    }

    @Override
    public void close() {}
  }
}

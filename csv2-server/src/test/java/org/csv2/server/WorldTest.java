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
package org.csv2.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.csv2.core.store.InMemoryStateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link World#recently}: one computation per key for readers who ask together; a failure is not kept. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorldTest {
  private final World world = new World(new InMemoryStateStore(Clock.systemUTC()), null, null, Clock.systemUTC());

  @Test
  void readersAskingWhileTheAnswerIsComputedWaitForItInsteadOfComputingAgain() throws Exception {
    AtomicInteger computed = new AtomicInteger();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r);
      threads.add(t);
      return t;
    });
    try {
      Future<String> first = pool.submit(() -> world.recently("k", () -> {
        computed.incrementAndGet();
        inside.countDown();
        await(release);
        return "answer";
      }));
      inside.await();
      List<Future<String>> others = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        others.add(pool.submit(() -> world.recently("k", () -> {
          computed.incrementAndGet();
          return "computed again";
        })));
      }
      // the computation ends only once the seven others wait for it (parked), so none found it done
      while (threads.size() < 8 || threads.stream().filter(t -> t.getState() == Thread.State.WAITING).count() < 8) {
        Thread.sleep(10);
      }
      release.countDown();
      assertThat(first.get()).isEqualTo("answer");
      for (Future<String> f : others) {
        assertThat(f.get()).isEqualTo("answer");
      }
      assertThat(computed).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedComputationIsTheCallersAndIsNotKept() {
    assertThatThrownBy(() -> world.recently("k", () -> {
      throw ApiException.badRequest("no");
    })).isInstanceOf(ApiException.class).hasMessageContaining("no");
    assertThat(world.<String>recently("k", () -> "then")).isEqualTo("then");
  }

  private static void await(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

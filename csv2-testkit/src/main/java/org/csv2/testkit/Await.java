package org.csv2.testkit;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls a real server until it shows a change or a deadline passes. Real clouds and batch systems
 * are eventually consistent, so the kits poll with a bound instead of asserting on the first
 * answer.
 */
final class Await {
  static final Duration POLL = Duration.ofMillis(200);

  private Await() {}

  /**
   * Reads {@code probe} until {@code done} accepts its value.
   *
   * @return the accepted value
   * @throws AssertionError naming {@code what} and the last value when {@code timeout} passes
   */
  static <T> T until(Duration timeout, String what, Supplier<T> probe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = probe.get();
      if (done.test(value)) {
        return value;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError(
            "after " + timeout.toMillis() + " ms, still not " + what + "; last seen: " + value);
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while polling", e);
    }
  }
}

package dev.isolatedmounts.bench.material;

import org.junit.jupiter.api.Test;

/** Material for the Surefire reuseForks=false measurement: one trivial test per class. */
class Trivial14Test {
  @Test
  void trivial() {
    if (System.nanoTime() == 0) {
      throw new AssertionError();
    }
  }
}

package dev.isolatedmounts.sample.kvstore;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A plain (not isolated) class with a @Nested class: MavenReportTests compares how Surefire counts both. */
class NestedPlainTest {

  @Test
  void first() {}

  @Test
  void second() {}

  @Nested
  class Inner {
    @Test
    void third() {}
  }
}

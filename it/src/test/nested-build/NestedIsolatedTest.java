package dev.isolatedmounts.sample.kvstore;

import dev.isolatedmounts.Tmpfs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A isolated class with a @Nested class: MavenReportTests compares how Surefire counts both. */
@Tmpfs("/var/lib/kvstore")
class NestedIsolatedTest {

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

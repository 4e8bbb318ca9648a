package dev.isolatedmounts.sample.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.MountAssertions;
import dev.isolatedmounts.Tmpfs;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * Added to a copy of the sample project by the integration test MavenReportTests: isolated tests
 * with every outcome, each printing its own output, as Surefire's XML report should show them.
 */
@IsolatedMounts
@Tmpfs("/var/lib/kvstore")
class ReportedTest {

  @Test
  @Tag("reported")
  void printsAndPasses(TestReporter reporter) {
    System.out.println("stdout of printsAndPasses");
    System.err.println("stderr of printsAndPasses");
    reporter.publishEntry("entry", "of printsAndPasses");
    MountAssertions.assertThat(Path.of("/var/lib/kvstore")).isMountPoint();
  }

  @Test
  void failsWithValues() {
    System.out.println("stdout of failsWithValues");
    assertEquals(42, 41, "the answer");
  }

  @Test
  void throwsIo() throws IOException {
    System.err.println("stderr of throwsIo");
    throw new IOException("disk on fire");
  }

  @Test
  void isAborted() {
    assumeTrue(false, "not on this host");
  }

  @Nested
  @DisplayName("a nested class")
  class Inner {
    @Test
    void nestedPasses() {
      System.out.println("stdout of nestedPasses");
    }
  }
}

package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;

import dev.isolatedmounts.Tmpfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many isolated tests in a row leave nothing behind. The count is {@value #DEFAULT_COUNT} in the
 * ordinary build; {@code -Dit.load.count=200} (test-all.sh) runs the full load.
 */
@DisplayName("Under load, isolated tests leave nothing behind")
class LoadTests {

  static final int DEFAULT_COUNT = 10;
  private static final int WARM_UP = 3;

  @Test
  @DisplayName("one after the other: no child, mount, open file or temp directory left")
  void sequential(TestReporter reporter) throws IOException {
    runAndCheck(Map.of(), reporter);
  }

  @Test
  @DisplayName("with JUnit's parallel execution: no child, mount, open file or temp directory left")
  void parallel(TestReporter reporter) throws IOException {
    runAndCheck(Map.of("junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.mode.default", "concurrent"), reporter);
  }

  private static void runAndCheck(Map<String, String> configuration, TestReporter reporter)
      throws IOException {
    int count = Integer.getInteger("it.load.count", DEFAULT_COUNT);
    // Class loading and the first child open what later runs reuse (jars, selectors).
    System.setProperty("it.load.count.now", String.valueOf(WARM_UP));
    Fixtures.run(TrivialTestCase.class, configuration);
    Processes.awaitTraining();
    String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
    long fds = openFiles();

    System.setProperty("it.load.count.now", String.valueOf(count));
    long started = System.nanoTime();
    Fixtures.run(TrivialTestCase.class, configuration).testEvents().assertStatistics(stats ->
        stats.started(count).succeeded(count));
    long millis = (System.nanoTime() - started) / 1_000_000;
    reporter.publishEntry("isolated tests", count + " in " + millis + " ms");
    System.out.println("LoadTests: " + count + " isolated tests " + configuration + " in " + millis
        + " ms; open files " + fds + " -> " + openFiles());

    assertThat(ProcessHandle.current().descendants().filter(Processes::running)
        .map(p -> p.info().commandLine().orElse(String.valueOf(p.pid()))))
        .as("processes left").isEmpty();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).isEqualTo(mountinfo);
    assertThat(openFiles()).as("open files of this JVM").isLessThanOrEqualTo(fds);
    try (Stream<Path> temp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(temp.map(Path::getFileName).map(Path::toString)
          .filter(n -> n.startsWith("isolated-mounts-" + ProcessHandle.current().pid() + "-")))
          .as("child directories left").isEmpty();
    }
  }

  private static long openFiles() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  @Tmpfs(Fixtures.VAR_LIB)
  static class TrivialTestCase {
    static Stream<Integer> numbers() {
      return IntStream.rangeClosed(1, Integer.getInteger("it.load.count.now", 1)).boxed();
    }

    @ParameterizedTest
    @MethodSource("numbers")
    void writesToItsTmpfs(int n) throws IOException {
      Files.writeString(Path.of(Fixtures.VAR_LIB, "n"), String.valueOf(n));
    }
  }
}

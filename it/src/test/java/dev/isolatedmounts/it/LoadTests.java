package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;

import dev.isolatedmounts.Tmpfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
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
    Map<String, String> fds = openFiles();

    System.setProperty("it.load.count.now", String.valueOf(count));
    long started = System.nanoTime();
    Fixtures.run(TrivialTestCase.class, configuration).testEvents().assertStatistics(stats ->
        stats.started(count).succeeded(count));
    long millis = (System.nanoTime() - started) / 1_000_000;
    reporter.publishEntry("isolated tests", count + " in " + millis + " ms");
    System.out.println("LoadTests: " + count + " isolated tests " + configuration + " in " + millis
        + " ms; open files " + fds.size() + " -> " + openFiles().size());

    assertThat(ProcessHandle.current().descendants().filter(Processes::running)
        .map(p -> p.info().commandLine().orElse(String.valueOf(p.pid()))))
        .as("processes left").isEmpty();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).isEqualTo(mountinfo);
    assertThat(newOpenFiles(fds)).as("files this JVM opened during the run and still has open,"
        + " with what they are").isEmpty();
    try (Stream<Path> temp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(temp.map(Path::getFileName).map(Path::toString)
          .filter(n -> n.startsWith("isolated-mounts-" + ProcessHandle.current().pid() + "-")))
          .as("child directories left").isEmpty();
    }
  }

  /**
   * The files opened since {@code before} and still open. A child's pipes and socket may close a
   * moment after its test has ended (a child started ahead, ended as the run ends, is reaped by
   * threads of its own): a leak is what is still open after a few seconds.
   */
  private static Map<String, String> newOpenFiles(Map<String, String> before)
      throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Map<String, String> opened;
    do {
      opened = new TreeMap<>(openFiles());
      opened.entrySet().removeIf(fd -> fd.getValue().equals(before.get(fd.getKey())));
      if (opened.isEmpty()) {
        break;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    } while (System.nanoTime() < deadline);
    return opened;
  }

  /** This JVM's open file descriptors, each with what it is (a path, a pipe, a socket). */
  private static Map<String, String> openFiles() throws IOException {
    Map<String, String> fds = new TreeMap<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : entries.toList()) {
        try {
          fds.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
        } catch (IOException closedMeanwhile) {
          // the listing's own descriptor, or one closed while it was read
        }
      }
    }
    return fds;
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

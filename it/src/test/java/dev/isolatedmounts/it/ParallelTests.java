package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.Tmpfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/**
 * Under JUnit's parallel execution a test thread is a {@code ForkJoinPool} worker; should it wait
 * for its child in a way that pool compensates for, the pool would start another worker, and
 * another test, and another child: parallelism would no longer bound the children. Whether a run
 * gets there depends on timing (half of these runs did, before the fix); {@code ChildPoolTests}
 * shows the cause every time.
 */
@DisplayName("Under JUnit's parallel execution")
class ParallelTests {

  private static final int PARALLELISM = 2;
  private static final int STARTED_AHEAD = 1; // the default pool size
  private static final int TESTS = 20;

  /**
   * JUnit 6.1 can run tests on plain threads instead of a {@code ForkJoinPool}
   * ({@code worker_thread_pool}); JUnit 5 has only the pool, and ignores the key.
   */
  @ParameterizedTest(name = "executor service {0}")
  @ValueSource(strings = {"fork_join_pool", "worker_thread_pool"})
  @DisplayName("no more isolated tests run at once than its parallelism, nor more children than"
      + " those and the ones started ahead")
  void boundedByParallelism(String executorService) throws InterruptedException {
    ChildCounter children = new ChildCounter();
    EngineExecutionResults results;
    ThreadRecorder.POOL_THREADS.clear();
    try {
      results = Fixtures.run(ShortTestCase.class, Map.of(
          "junit.jupiter.execution.parallel.enabled", "true",
          "junit.jupiter.execution.parallel.mode.default", "concurrent",
          "junit.jupiter.execution.parallel.config.strategy", "fixed",
          "junit.jupiter.execution.parallel.config.fixed.parallelism",
          String.valueOf(PARALLELISM),
          "junit.jupiter.execution.parallel.config.executor-service", executorService));
    } finally {
      children.stop();
    }

    if (workerThreadPoolExists()) {
      assertThat(ThreadRecorder.POOL_THREADS).as("tests on ForkJoinPool threads")
          .containsOnly(executorService.equals("fork_join_pool"));
    }
    results.testEvents().assertStatistics(stats -> stats.started(TESTS).succeeded(TESTS));
    assertThat(mostAtOnce(results.testEvents().list()))
        .as("isolated tests running at once").isEqualTo(PARALLELISM);
    assertThat(children.most())
        .as("child JVMs alive at once").isBetween(PARALLELISM, PARALLELISM + STARTED_AHEAD);
  }

  private static boolean workerThreadPoolExists() {
    try {
      Class.forName("org.junit.platform.engine.support.hierarchical"
          + ".ParallelHierarchicalTestExecutorServiceFactory");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * Notes, in this JVM (an extension's callbacks run in the parent as well as in the child),
   * whether each test started on a {@code ForkJoinPool} thread.
   */
  static final class ThreadRecorder implements BeforeEachCallback {
    static final Set<Boolean> POOL_THREADS = ConcurrentHashMap.newKeySet();

    @Override
    public void beforeEach(ExtensionContext context) {
      POOL_THREADS.add(Thread.currentThread() instanceof ForkJoinWorkerThread);
    }
  }

  /** The most tests that had started and not yet finished, at any point of the run. */
  private static int mostAtOnce(List<Event> events) {
    int running = 0;
    int most = 0;
    for (Event event : events) {
      if (event.getType() == EventType.STARTED) {
        most = Math.max(most, ++running);
      } else if (event.getType() == EventType.FINISHED) {
        running--;
      }
    }
    return most;
  }

  /**
   * Counts this JVM's child JVMs every few milliseconds; those alive before it started (a child
   * another test's pool keeps waiting) are not counted.
   */
  private static final class ChildCounter {

    private final Set<Long> before = childJvms().collect(Collectors.toSet());
    private final AtomicInteger most = new AtomicInteger();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread sampler = new Thread(this::sample, "child-counter");

    ChildCounter() {
      sampler.setDaemon(true);
      sampler.start();
    }

    private void sample() {
      while (!stopped.get()) {
        int now = (int) childJvms().filter(pid -> !before.contains(pid)).count();
        most.accumulateAndGet(now, Math::max);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void stop() throws InterruptedException {
      stopped.set(true);
      sampler.join();
    }

    int most() {
      return most.get();
    }

    private static Stream<Long> childJvms() {
      // The JVM itself, not the unshare command and shell above it, whose arguments name it too.
      return ProcessHandle.current().descendants().filter(Processes::running)
          .filter(p -> p.info().command().orElse("").endsWith("/java"))
          .filter(p -> p.info().commandLine().orElse("").contains("internal.child.ChildMain"))
          .map(ProcessHandle::pid);
    }
  }

  /**
   * Short tests: a test thread then often takes a child that is still starting, and waits for
   * it, which is where a wait the pool compensates for would let more tests in.
   */
  @Tmpfs(Fixtures.VAR_LIB)
  @ExtendWith(ThreadRecorder.class)
  static class ShortTestCase {
    static IntStream numbers() {
      return IntStream.rangeClosed(1, TESTS);
    }

    @ParameterizedTest
    @MethodSource("numbers")
    void writesToItsTmpfs(int n) throws IOException {
      Files.writeString(Path.of(Fixtures.VAR_LIB, "n"), String.valueOf(n));
    }
  }
}

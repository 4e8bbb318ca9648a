package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.internal.linux.Syscalls;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ChildPool")
class ChildPoolTests {

  private static final LaunchSpec SPEC = new LaunchSpec(
      (NamespaceProbe.Supported) NamespaceProbe.probe(Optional.empty(), Syscalls.geteuid() == 0),
      Propagation.PRIVATE, false, false,
      ChildClassPath.of(System.getProperty("java.class.path"),
          ChildPoolTests.class.getClassLoader()),
      List.of(), Optional.empty());

  /**
   * JUnit's parallel execution runs tests on a ForkJoinPool that keeps this many threads
   * runnable: a wait the pool is told of (a managed block) makes it run another task meanwhile.
   * Each task here takes a child and ends it at once, so the next one takes a child that was
   * started a moment ago, and waits for it.
   */
  @Test
  @DisplayName("waiting for a child started ahead lets a ForkJoinPool run no other test meanwhile")
  void waitIsNotManaged() throws Exception {
    ForkJoinPool tests = new ForkJoinPool(1, ForkJoinPool.defaultForkJoinWorkerThreadFactory,
        null, false, 1, 16, 1, pool -> true, 30, TimeUnit.SECONDS);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    try (ChildPool pool = new ChildPool(1)) {
      List<Future<?>> submitted = IntStream.range(0, 20).<Future<?>>mapToObj(i -> tests.submit(() -> {
        most.accumulateAndGet(running.incrementAndGet(), Math::max);
        try (ChildProcess child = pool.take(SPEC)) {
          return child;
        } finally {
          running.decrementAndGet();
        }
      })).toList();
      for (Future<?> test : submitted) {
        test.get(2, TimeUnit.MINUTES);
      }
    } finally {
      tests.shutdownNow();
    }
    assertThat(most.get()).as("tasks running at once").isEqualTo(1);
  }

  @Test
  @DisplayName("ends a child that waited longer than its limit for a test, and starts a new one")
  void waitLimit() throws Exception {
    List<ProcessHandle> before = ProcessHandle.current().descendants().toList();
    try (ChildPool pool = new ChildPool(1, Duration.ofSeconds(2))) {
      pool.take(SPEC).close(); // and one starts for the next test
      assertThat(await(() -> !newChildJvms(before).isEmpty()))
          .as("the child started ahead is there").isTrue();
      assertThat(await(() -> newChildJvms(before).isEmpty()))
          .as("the child started ahead is gone after the limit").isTrue();

      try (ChildProcess next = pool.take(SPEC)) {
        assertThat(await(() -> !newChildJvms(before).isEmpty()))
            .as("the next test's child is there").isTrue();
      }
    }
  }

  /** Whether {@code condition} held within 30 s; a child JVM's process appears and ends late. */
  private static boolean await(BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  @Test
  @DisplayName("closed, leaves no child running, neither the waiting one nor one still starting")
  void closeEndsWaitingChildren() throws Exception {
    List<ProcessHandle> before = ProcessHandle.current().descendants().toList();
    try (ChildPool pool = new ChildPool(2)) {
      pool.take(SPEC).close(); // and two start for the next tests
    }
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .filter(p -> !before.contains(p)))
        .as("processes left").isEmpty();
  }

  /** The child JVMs below this one that were not there {@code before}. */
  private static List<ProcessHandle> newChildJvms(List<ProcessHandle> before) {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .filter(p -> !before.contains(p))
        .filter(p -> p.info().command().orElse("").endsWith("/java"))
        .toList();
  }
}

package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;

import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.wire.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("ChildPool")
class ChildPoolTests {

  private static final LaunchSpec SPEC = new LaunchSpec(
      HostNamespaces.supported(),
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
  @DisplayName("ends a child that waited longer than its limit for a test, not before")
  void waitLimit() throws Exception {
    List<ProcessHandle> before = directChildren();
    try (ChildPool pool = new ChildPool(1, Duration.ofSeconds(3))) {
      long taken = System.nanoTime();
      pool.take(SPEC).close(); // and one starts for the next test, its limit counting from now
      assertThat(await(() -> newAlive(before).size() == 1)).as("the child started ahead").isTrue();
      ProcessHandle ahead = newAlive(before).get(0);

      Thread.sleep(Math.max(0, 1500 - (System.nanoTime() - taken) / 1_000_000));
      assertThat(ahead.isAlive()).as("the child started ahead, halfway to its limit").isTrue();
      assertThat(await(() -> !ahead.isAlive())).as("the child started ahead, after its limit")
          .isTrue();

      try (ChildProcess next = pool.take(SPEC)) {
        assertThat(next.process().isAlive()).as("the next test's own child").isTrue();
      }
    }
  }

  @Test
  @DisplayName("leaves a child that a test took running past its limit")
  void takenChildOutlivesItsLimit() throws Exception {
    List<ProcessHandle> before = directChildren();
    try (ChildPool pool = new ChildPool(1, Duration.ofSeconds(2))) {
      pool.take(SPEC).close(); // and one starts for the next test
      assertThat(await(() -> newAlive(before).size() == 1)).as("the child started ahead").isTrue();
      ProcessHandle ahead = newAlive(before).get(0);
      try (ChildProcess taken = pool.take(SPEC)) {
        assertThat(taken.process()).as("the child taken is the one started ahead")
            .isEqualTo(ahead);
        Thread.sleep(4000);
        assertThat(taken.process().isAlive()).as("the taken child after twice its limit")
            .isTrue();
      }
    }
  }

  /**
   * "waiting": its JVM has started (and, half a second on, connected) and waits for a test;
   * "just started": the pool is closed right after the fork.
   */
  @ParameterizedTest(name = "closed while the child started ahead is {0}, ends it")
  @ValueSource(strings = {"waiting", "just started"})
  void closeEndsChildStartedAhead(String state) throws Exception {
    List<ProcessHandle> before = directChildren();
    try (ChildPool pool = new ChildPool(1)) {
      pool.take(SPEC).close(); // and one starts for the next test
      if (state.equals("waiting")) {
        assertThat(await(() -> newAlive(before).stream().flatMap(ProcessHandle::descendants)
            .anyMatch(p -> p.info().command().orElse("").endsWith("/java"))))
            .as("the JVM of the child started ahead").isTrue();
        Thread.sleep(500);
      }
    }
    assertThat(newAlive(before)).as("processes left").isEmpty();
  }

  /** As the kernel's out-of-memory killer, or a user's {@code pkill java}, may end it. */
  @Test
  @DisplayName("gives a test a child of its own if the one started ahead died while it waited")
  void deadChildIsReplaced() throws Exception {
    List<ProcessHandle> before = directChildren();
    try (ChildPool pool = new ChildPool(1)) {
      pool.take(SPEC).close(); // and one starts for the next test
      assertThat(await(() -> newAlive(before).stream().flatMap(ProcessHandle::descendants)
          .anyMatch(p -> p.info().command().orElse("").endsWith("/java"))))
          .as("the JVM of the child started ahead").isTrue();
      ProcessHandle ahead = newAlive(before).get(0);
      ahead.descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
          .forEach(ProcessHandle::destroyForcibly);
      assertThat(await(() -> !ahead.isAlive())).as("the child started ahead, ended").isTrue();

      try (ChildProcess taken = pool.take(SPEC)) {
        assertThat(taken.process()).as("the child taken").isNotEqualTo(ahead);
        assertThat(taken.process().isAlive()).as("the child taken is alive").isTrue();
      }
    }
    assertThat(newAlive(before)).as("processes left").isEmpty();
  }

  @Test
  @DisplayName("gives a test a child of its own if the one started ahead cannot be given it")
  void diedBeforeItsTest() throws Exception {
    List<ProcessHandle> before = directChildren();
    ChildPool.Starter aheadHangsUp = spec -> startingAhead()
        ? ChildProcess.start(spec, MisbehavingChildren.HangsUpBeforeItsTest.class.getName())
        : ChildProcess.start(spec, MisbehavingChildren.Passes.class.getName());
    try (ChildPool pool = new ChildPool(1, ChildPool.WAIT_LIMIT, aheadHangsUp)) {
      pool.take(SPEC).close(); // started when it came; the one for the next test hangs up
      ChildProcess ahead = pool.take(SPEC, 0);
      // Given its test only once it has hung up: before, the test would be given to it.
      assertThat(await(() -> Files.exists(ahead.socketDirectory().resolve(
          MisbehavingChildren.HUNG_UP)))).as("the child started ahead, hung up").isTrue();
      ChildRequest request = new ChildRequest("[engine:fake]/[test:t]", "t",
          new MountPlan(Propagation.PRIVATE, List.of()), Map.of(), Map.of(),
          Duration.ofSeconds(60), Duration.ofMinutes(2), ChildPoolTests.class.getClassLoader());
      try (ChildProcess child = pool.begun(SPEC, ahead, taken ->
          taken.begin(request, entries -> { }, file -> { }))) {
        assertThat(child).as("a child started for the test").isNotSameAs(ahead);
        assertThat(child.awaitResult().outcome()).isEqualTo(Outcome.SUCCESSFUL);
      }
      assertThat(ahead.exited()).as("the one that hung up, closed").isTrue();

      ChildProcess fresh = pool.take(SPEC, 0); // started when it came: its failure is its own
      assertThatExceptionOfType(ChildJvmException.class).isThrownBy(() -> pool.begun(SPEC,
          fresh, taken -> {
            throw new ChildJvmException("failed before its test");
          })).withMessage("failed before its test");
      assertThat(fresh.exited()).as("closed").isTrue();
    }
    assertThat(newAlive(before)).as("processes left").isEmpty();
  }

  @Test
  @DisplayName("starts a test's child anew if the one started ahead could not start")
  void failedStartIsRetried() throws Exception {
    List<ProcessHandle> before = directChildren();
    ChildPool.Starter aheadFails = spec -> {
      if (startingAhead()) {
        throw new IOException("could not start ahead");
      }
      return ChildProcess.start(spec);
    };
    try (ChildPool pool = new ChildPool(1, ChildPool.WAIT_LIMIT, aheadFails)) {
      pool.take(SPEC).close(); // started when it came, while the one for the next test failed
      try (ChildProcess taken = pool.take(SPEC)) {
        assertThat(taken.process().isAlive()).as("the child the second test took").isTrue();
      }
    }
    assertThat(newAlive(before)).as("processes left").isEmpty();
  }

  @Test
  @DisplayName("starts as many children ahead as its size, but no more than tests may come")
  void startsUpToItsSize() throws Exception {
    List<ProcessHandle> before = directChildren();
    for (int mayCome : List.of(Integer.MAX_VALUE, 2, 0)) {
      AtomicInteger ahead = new AtomicInteger();
      ChildPool.Starter counting = spec -> {
        if (startingAhead()) {
          ahead.incrementAndGet();
        }
        return ChildProcess.start(spec);
      };
      try (ChildPool pool = new ChildPool(3, ChildPool.WAIT_LIMIT, counting)) {
        pool.take(SPEC, mayCome).close();
        int expected = Math.min(3, mayCome);
        assertThat(await(() -> ahead.get() == expected)).as("started ahead, %s may come: %s",
            mayCome, ahead).isTrue();
        pool.take(SPEC, mayCome).close(); // takes one of them, and starts one in its place
        int then = mayCome == 0 ? 0 : expected + 1;
        assertThat(await(() -> ahead.get() == then)).as("started ahead after the second"
            + " test, %s may come: %s", mayCome, ahead).isTrue();
        Thread.sleep(500);
        assertThat(ahead).as("no more").hasValue(then);
      }
    }
    assertThat(newAlive(before)).as("processes left").isEmpty();
  }

  @Test
  @DisplayName("ends the children waiting beyond the tests that may still come, before it returns")
  void trim() throws Exception {
    List<ProcessHandle> before = directChildren();
    List<ChildProcess> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    ChildPool.Starter recording = spec -> {
      ChildProcess child = ChildProcess.start(spec);
      started.add(child);
      return child;
    };
    try (ChildPool pool = new ChildPool(3, ChildPool.WAIT_LIMIT, recording)) {
      ChildProcess first = pool.take(SPEC, Integer.MAX_VALUE);
      first.close();
      assertThat(await(() -> started.size() == 4)).as("started: %s", started).isTrue();
      // Started on several threads at once: in no particular order.
      List<ChildProcess> ahead = started.stream().filter(child -> child != first).toList();

      pool.trim(SPEC, 1);
      List<ChildProcess> left = ahead.stream().filter(child -> !child.exited()).toList();
      assertThat(left).as("started ahead and left waiting").hasSize(1);
      pool.trim(SPEC, 1);
      pool.trim(SPEC.withJvmOptions("-Dother.way=1"), 0); // no child waits that way
      assertThat(left.get(0).exited()).as("the one a test may still take").isFalse();

      try (ChildProcess taken = pool.take(SPEC, 0)) {
        assertThat(taken).as("the next test's child").isSameAs(left.get(0));
      }
      pool.trim(SPEC, 0);
      assertThat(started).as("none started after them").hasSize(4);
    }
    assertThat(newAlive(before)).as("processes left").isEmpty();
  }

  @Test
  @DisplayName("fails a test whose child cannot start either, with both failures")
  void failedStartFailsAgain() {
    ChildPool.Starter fails = spec -> {
      throw new IOException(startingAhead() ? "could not start ahead" : "could not start");
    };
    try (ChildPool pool = new ChildPool(1, ChildPool.WAIT_LIMIT, fails)) {
      assertThatIOException().isThrownBy(() -> pool.take(SPEC)).withMessage("could not start");
      // The second test takes the child started ahead, whose start failed: it is started again.
      assertThatIOException().isThrownBy(() -> pool.take(SPEC)).withMessage("could not start")
          .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
              .satisfies(ahead -> assertThat(ahead).hasMessage("could not start ahead")));
    }
  }

  private static boolean startingAhead() {
    return Thread.currentThread().getName().equals("isolated-mounts-prewarm");
  }

  /**
   * Killed, the child's namespace init and JVM would be reaped by the host's init, and the CPU
   * time its JVM spent starting and warming up (more than a tenth of a second) would never be
   * counted as this JVM's children's: what {@code time} and the benchmark report.
   */
  @Test
  @DisplayName("closed while the child started ahead waits, lets it exit: its CPU time is counted")
  void unusedChildIsReaped() throws Exception {
    List<ProcessHandle> before = directChildren();
    double childrenCpu;
    try (ChildPool pool = new ChildPool(1)) {
      pool.take(SPEC).close(); // and one starts for the next test
      assertThat(await(() -> newAlive(before).stream().flatMap(ProcessHandle::descendants)
          .anyMatch(p -> p.info().command().orElse("").endsWith("/java"))))
          .as("the JVM of the child started ahead").isTrue();
      Thread.sleep(1000); // it connects, warms up, and waits for a test
      childrenCpu = childrenCpuSeconds();
    }
    assertThat(newAlive(before)).as("processes left").isEmpty();
    assertThat(childrenCpuSeconds() - childrenCpu)
        .as("CPU seconds of this JVM's children that ended while the pool closed")
        .isGreaterThanOrEqualTo(0.05);
  }

  /** The timer ends a child on another thread: closing the pool meanwhile must wait for it. */
  @Test
  @DisplayName("closed while its timer ends a child, leaves no child running")
  void closeRacingTheTimer() throws Exception {
    List<ProcessHandle> before = directChildren();
    for (int round = 0; round < 40; round++) {
      try (ChildPool pool = new ChildPool(1, Duration.ofMillis(30))) {
        pool.take(SPEC).close(); // and one starts for the next test, to be ended after 30 ms
        Thread.sleep(round % 60);
      }
      assertThat(newAlive(before)).as("processes left after round %d", round).isEmpty();
    }
  }

  /** The CPU time of this JVM's children that it has reaped ({@code cutime + cstime}). */
  private static double childrenCpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // Fields 16 and 17 of proc(5), counted from the state, field 3; in clock ticks of 1/100 s.
    return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / 100.0;
  }

  private static List<ProcessHandle> directChildren() {
    return ProcessHandle.current().children().toList();
  }

  /** The processes started by this JVM, alive, that were not there {@code before}. */
  private static List<ProcessHandle> newAlive(List<ProcessHandle> before) {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
        .filter(p -> !before.contains(p)).toList();
  }

  /** Whether {@code condition} held within 30 s. */
  private static boolean await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}

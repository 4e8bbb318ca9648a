package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.Result;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("ChildProcess, with children that break the rules")
class ChildProcessTests {

  private static final NamespaceProbe.Supported NAMESPACES = HostNamespaces.supported();

  @Test
  @DisplayName("a child that plays by the rules: its result, and nothing left running")
  void passes() throws Exception {
    ChildProcess child = start(MisbehavingChildren.Passes.class);
    Result result;
    try (child) {
      result = child.await(request(MisbehavingChildren.Passes.class, Duration.ofSeconds(60)),
          entries -> {});
    }
    assertThat(result.outcome()).isEqualTo(Outcome.SUCCESSFUL);
  }

  @Test
  @DisplayName("waited for in parts: until its test method starts, until it ends, then until its"
      + " result; a child that reports without a method ends each part too")
  void methodStartAndEnd() throws Exception {
    try (ChildProcess child = start(MisbehavingChildren.StartsItsMethod.class)) {
      child.begin(request(MisbehavingChildren.StartsItsMethod.class, Duration.ofSeconds(60)),
          entries -> {}, file -> {});
      child.awaitMethodStart();
      long started = System.nanoTime();
      child.awaitMethodEnd();
      long methodEnded = System.nanoTime();
      Result result = child.awaitResult();
      long ended = System.nanoTime();
      assertThat(result.outcome()).isEqualTo(Outcome.SUCCESSFUL);
      // The child sleeps a second before each of the last two: no part waited for the next.
      assertThat(Duration.ofNanos(methodEnded - started)).as("the method")
          .isGreaterThan(Duration.ofMillis(300));
      assertThat(Duration.ofNanos(ended - methodEnded)).as("from the method's end to the result")
          .isGreaterThan(Duration.ofMillis(300));
    }
    try (ChildProcess child = start(MisbehavingChildren.Passes.class)) {
      child.begin(request(MisbehavingChildren.Passes.class, Duration.ofSeconds(60)),
          entries -> {}, file -> {});
      child.awaitMethodStart();
      child.awaitMethodEnd();
      assertThat(child.awaitResult().outcome()).isEqualTo(Outcome.SUCCESSFUL);
    }
  }

  @Test
  @DisplayName("interrupted while its child runs (JUnit's timeout): waits for the child's own"
      + " result, and keeps the interrupt for the caller")
  void interrupted() throws Exception {
    Class<?> main = MisbehavingChildren.ReportsAfterAnInterrupt.class;
    Interrupted waited = awaitInterrupted(main, request(main, Duration.ofSeconds(60)));
    assertThat(waited.result().outcome()).isEqualTo(Outcome.SUCCESSFUL);
    assertThat(waited.interruptKept()).isTrue();
  }

  /** What a wait interrupted at the child's first report entry came to. */
  private record Interrupted(Result result, boolean interruptKept) {}

  private static Interrupted awaitInterrupted(Class<?> main, ChildRequest request)
      throws Exception {
    Result result;
    try (ChildProcess child = start(main)) {
      result = child.await(request, entries -> Thread.currentThread().interrupt());
    } catch (Exception | Error e) {
      Thread.interrupted();
      throw e;
    }
    return new Interrupted(result, Thread.interrupted());
  }

  /** A developer stopped at a breakpoint: JUnit's timeout here must not end the session. */
  @Test
  @DisplayName("being debugged, not killed for an interrupt it does not answer within the grace")
  void debuggedAfterAnInterrupt() throws Exception {
    Class<?> main = MisbehavingChildren.ReportsLongAfterAnInterrupt.class;
    ChildRequest plain = request(main, Duration.ofSeconds(60));
    Interrupted waited = awaitInterrupted(main, new ChildRequest(plain.uniqueId(),
        plain.displayName(), plain.plan(), Map.of(), Map.of(), plain.connectTimeout(),
        plain.timeout(), plain.testClassLoader(), true, () -> ""));
    assertThat(waited.result().outcome()).isEqualTo(Outcome.SUCCESSFUL);
    assertThat(waited.interruptKept()).isTrue();
  }

  @Test
  @DisplayName("killed past its hard limit after it reported: its result stands")
  void reportedThenHung() throws Exception {
    Class<?> main = MisbehavingChildren.ReportsThenHangs.class;
    try (ChildProcess child = start(main)) {
      Result result = child.await(request(main, Duration.ofSeconds(60), Duration.ofSeconds(2)),
          entries -> { });
      assertThat(result.outcome()).isEqualTo(Outcome.SUCCESSFUL);
      assertThat(child.exited()).as("killed").isTrue();
    }
  }

  @Test
  @DisplayName("past its hard limit, killed and reported as such even when an interrupt cuts its"
      + " thread dump short; the interrupt is kept for the caller")
  void killedWhenTheDumpIsInterrupted() throws Exception {
    Duration limit = Duration.ofSeconds(2);
    try (ChildProcess child = start(MisbehavingChildren.Hangs.class)) {
      child.begin(request(MisbehavingChildren.Hangs.class, Duration.ofSeconds(60), limit),
          entries -> {}, file -> {});
      long begun = System.nanoTime();
      CompletableFuture<Throwable> waited = new CompletableFuture<>();
      CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
      Thread waiting = new Thread(() -> {
        try {
          child.awaitResult();
          waited.complete(null);
        } catch (Throwable t) {
          waited.complete(t);
        }
        interruptKept.complete(Thread.interrupted());
      });
      waiting.start();
      // The limit is seen within 50 ms; the dump then waits a second for the child to write it.
      // Interrupted until the wait ends: one that comes before the dump only starts a grace.
      Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(
          limit.toNanos() + 400_000_000L + begun - System.nanoTime())));
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (waiting.isAlive() && System.nanoTime() - until < 0) {
        waiting.interrupt();
        waiting.join(50);
      }
      assertThat(waited.get(10, TimeUnit.SECONDS)).isInstanceOf(ChildJvmException.class)
          .hasMessageContaining("] did not finish within 2s, the limit set by"
              + " isolatedmounts.timeout, so it and every process it started were killed");
      assertThat(interruptKept.get(10, TimeUnit.SECONDS)).isTrue();
      assertThat(child.process().onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
    }
  }

  @Test
  @DisplayName("ends its test when every thread of the common ForkJoinPool is busy")
  void withoutCommonPool() throws Exception {
    int workers = ForkJoinPool.getCommonPoolParallelism();
    CountDownLatch busy = new CountDownLatch(workers);
    CountDownLatch release = new CountDownLatch(1);
    for (int i = 0; i < workers; i++) {
      ForkJoinPool.commonPool().execute(() -> {
        busy.countDown();
        try {
          release.await(); // not a managed block: the pool adds no thread for it
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    try {
      assertThat(busy.await(10, TimeUnit.SECONDS)).as("every worker taken").isTrue();
      Result result = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
        try (ChildProcess child = start(MisbehavingChildren.Passes.class)) {
          return child.await(request(MisbehavingChildren.Passes.class, Duration.ofSeconds(60)),
              entries -> {});
        }
      });
      assertThat(result.outcome()).isEqualTo(Outcome.SUCCESSFUL);
    } finally {
      release.countDown();
    }
  }

  @Test
  @DisplayName("leaves a child that exited before it was sent its token to be reported by its exit")
  void exitedBeforeItsToken() throws Exception {
    Process exited = new ProcessBuilder("true").start();
    assertThat(exited.waitFor(10, TimeUnit.SECONDS)).isTrue();
    // Its stdin's reading end is closed: writing the token fails with a broken pipe, which must
    // not become the test's error (the exit status and stderr say more).
    ChildProcess.sendToken(exited, "token");
  }

  @Nested
  @DisplayName("fails the test, without hanging, when the child")
  class Fails {

    @Test
    @DisplayName("never connects: names the connect timeout and kills it")
    void neverConnects() {
      assertThat(failure(MisbehavingChildren.NeverConnects.class, Duration.ofSeconds(2)))
          .contains("] did not connect within 2s, the limit set by"
              + " isolatedmounts.connectTimeout, so it was killed; it wrote nothing to stderr");
    }

    @Test
    @DisplayName("presents the token from another process: dropped, as if it never connected")
    void forgedPid() {
      assertThat(failure(MisbehavingChildren.ForgesItsPid.class, Duration.ofSeconds(2)))
          .contains("did not connect within 2s");
    }

    @Test
    @DisplayName("connects a second time: refused, and the child's own error is shown")
    void connectsTwice() {
      assertThat(failure(MisbehavingChildren.ConnectsTwice.class, Duration.ofSeconds(60)))
          .contains("exited with status 1 before reporting a result")
          .contains("java.net.ConnectException: Connection refused");
    }

    @Test
    @DisplayName("sends a truncated frame")
    void truncated() {
      assertThat(failure(MisbehavingChildren.SendsATruncatedFrame.class, Duration.ofSeconds(60)))
          .contains("] broke the reporting protocol (truncated RESULT frame: expected 100 bytes"
              + " of payload, got 10) and exited with status 0;");
    }

    @Test
    @DisplayName("announces an oversized frame: refused before any allocation, the child killed")
    void oversized() {
      assertThat(failure(MisbehavingChildren.SendsAnOversizedFrame.class, Duration.ofSeconds(60)))
          .contains("] broke the reporting protocol (RESULT frame of 1073741824 bytes exceeds"
              + " the limit of 16777216 bytes) and exited with status 137 (128 + 9: killed by"
              + " SIGKILL)");
    }

    @Test
    @DisplayName("sends bytes that are no frame")
    void garbage() {
      assertThat(failure(MisbehavingChildren.SendsGarbage.class, Duration.ofSeconds(60)))
          .contains("] broke the reporting protocol (unknown frame type 0x47;");
    }

    @Test
    @DisplayName("hangs up without a result and does not exit")
    void hangsUp() {
      assertThat(failure(MisbehavingChildren.HangsUpWithoutAResult.class, Duration.ofSeconds(60)))
          .contains("] closed its connection without reporting a result and did not exit within"
              + " 2s, so it was killed; it exited with status 137 (128 + 9: killed by SIGKILL)"
              + " before reporting a result");
    }
  }

  private static String failure(Class<?> main, Duration connectTimeout) {
    return assertThatExceptionOfType(ChildJvmException.class).isThrownBy(() -> {
      try (ChildProcess child = start(main)) {
        child.await(request(main, connectTimeout), entries -> {});
      }
    }).actual().getMessage();
  }

  private static ChildProcess start(Class<?> main) throws IOException {
    return ChildProcess.start(new LaunchSpec(NAMESPACES, Propagation.PRIVATE, false, false,
        ChildClassPath.of(System.getProperty("java.class.path"),
            ChildProcessTests.class.getClassLoader()),
        List.of(), Optional.empty()), main.getName());
  }

  private static ChildRequest request(Class<?> main, Duration connectTimeout) {
    return request(main, connectTimeout, Duration.ofMinutes(2));
  }

  private static ChildRequest request(Class<?> main, Duration connectTimeout, Duration timeout) {
    return new ChildRequest("[engine:fake]/[test:" + main.getSimpleName() + "]",
        main.getSimpleName(), new MountPlan(Propagation.PRIVATE, List.of()), Map.of(), Map.of(),
        connectTimeout, timeout, ChildProcessTests.class.getClassLoader());
  }
}

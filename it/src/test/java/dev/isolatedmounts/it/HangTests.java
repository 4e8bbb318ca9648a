package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.internal.fork.ChildJvmException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

@DisplayName("A test that hangs ends, and leaves no process behind")
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class HangTests {

  @Nested
  @DisplayName("JUnit's own timeouts work in the child")
  class JUnitTimeouts {

    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {TimeoutAnnotatedTestCase.class, SeparateThreadTestCase.class})
    @DisplayName("@Timeout fails the test with the child's TimeoutException (held by JUnit's in"
        + " the parent when that fired before it came), with the line where the test was; with"
        + " threadMode = SEPARATE_THREAD too")
    void annotation(Class<?> testCase) {
      EngineExecutionResults results = Fixtures.run(testCase);
      results.testEvents().assertThatEvents()
          .haveExactly(1, event(test("sleeps"), finishedWithFailure(
              instanceOf(TimeoutException.class), message("sleeps() timed out after 1 second"))));

      Throwable failure = failure(results);
      Throwable childs = failure.getSuppressed().length == 1
          && failure.getSuppressed()[0] instanceof TimeoutException
          ? failure.getSuppressed()[0] : failure;
      assertThat(childs).as("the child's own TimeoutException, not the parent's interrupted wait")
          .isInstanceOf(TimeoutException.class).hasMessage("sleeps() timed out after 1 second");
      assertThat(frames(childs))
          .as("the frames of the exception and of all it holds")
          .anyMatch(frame -> frame.getClassName().endsWith(testCase.getSimpleName())
              && frame.getMethodName().equals("sleeps"));
    }

    @Test
    @DisplayName("@Timeout times the test method alone, as in-process: not the child's start, its"
        + " mounts, its @BeforeEach or @AfterEach methods or its exit")
    void methodAlone() {
      EngineExecutionResults results = Fixtures.run(SlowSetUpTestCase.class);

      results.testEvents().assertStatistics(s -> s.succeeded(3).failed(0));
    }

    @Test
    @DisplayName("@Timeout on a test that ignores interrupts: the child gets a grace to report,"
        + " then its threads are dumped into the test's output and it is killed")
    @ResourceLock(Resources.SYSTEM_OUT)
    void ignoredInterrupt() {
      String marker = Processes.uniqueSleep();
      System.setProperty("it.sleep", marker);
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      EngineExecutionResults results =
          runPrinting(IgnoringInterruptsTestCase.class, Map.of(), output);
      results.testEvents().assertThatEvents()
          .haveExactly(1, event(test("sleepsOn"), finishedWithFailure(
              instanceOf(TimeoutException.class),
              message("sleepsOn() timed out after 1 second"))));

      assertThat(failure(results).getSuppressed()).singleElement()
          .isInstanceOf(ChildJvmException.class).extracting(Throwable::getMessage).asString()
          .contains("was still running its test when this thread was interrupted (by JUnit's"
              + " timeout), and reported nothing within 5s after, as a"
              + " test that ignores interrupts does; so it and every process it started were"
              + " killed",
              "the test's output ends with the child's thread dump");
      assertThat(output.toString(StandardCharsets.UTF_8))
          .as("the thread dump, replayed as the test's output")
          .contains("Full thread dump", "HangTests$IgnoringInterruptsTestCase.sleepsOn");
      assertThat(Processes.sleeping(marker)).as("the background sleep %s", marker).isEmpty();
    }

    @Test
    @DisplayName("junit.jupiter.execution.timeout.default given to this run reaches the child")
    void configurationParameter() {
      Fixtures.run(SleepingTestCase.class,
              Map.of("junit.jupiter.execution.timeout.default", "1s"))
          .testEvents().assertThatEvents()
          .haveExactly(1, event(test("sleeps"), finishedWithFailure(
              instanceOf(TimeoutException.class), message("sleeps() timed out after 1 second"))));
    }
  }

  @Nested
  @DisplayName("isolatedmounts.timeout")
  class HardLimit {

    @Test
    @DisplayName("kills the child and what it started in the background, naming the limit;"
        + " the child's thread dump is in the test's output")
    @ResourceLock(Resources.SYSTEM_OUT)
    void killsEverything() {
      String marker = Processes.uniqueSleep();
      System.setProperty("it.sleep", marker);

      ByteArrayOutputStream output = new ByteArrayOutputStream();
      EngineExecutionResults results = runPrinting(SleepingTestCase.class,
          Map.of("isolatedmounts.timeout", "10s"), output);
      results
          .testEvents().assertThatEvents()
          .haveExactly(1, event(test("sleeps"), finishedWithFailure(
              instanceOf(ChildJvmException.class), message(m -> m.contains(
                  "did not finish within 10s, the limit set by isolatedmounts.timeout, so it and"
                      + " every process it started were killed")))));

      assertThat(output.toString(StandardCharsets.UTF_8))
          .as("the thread dump, replayed as the test's output")
          .contains("Full thread dump", "HangTests$SleepingTestCase.sleeps");
      assertThat(Processes.sleeping(marker)).as("the background sleep %s", marker).isEmpty();
    }

    @Test
    @DisplayName("must be a positive duration")
    void invalid() {
      Fixtures.run(SleepingTestCase.class, Map.of("isolatedmounts.timeout", "soon"))
          .testEvents().assertThatEvents()
          .haveExactly(1, event(test("sleeps"), finishedWithFailure(
              instanceOf(ExtensionConfigurationException.class), message(
                  "Configuration parameter isolatedmounts.timeout must be a positive duration"
                      + " such as \"60s\", \"2m\", \"1h30m\" or \"500ms\" (hours, minutes,"
                      + " seconds and milliseconds, each at most once, in that order), but was"
                      + " \"soon\""))));
    }
  }

  @Test
  @DisplayName("after a normal end, what the test started in the background is gone")
  void normalEnd() {
    String marker = Processes.uniqueSleep();
    System.setProperty("it.sleep", marker);

    Fixtures.run(BackgroundTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("leavesASleep"), finishedSuccessfully()));

    assertThat(Processes.sleeping(marker)).as("the background sleep %s", marker).isEmpty();
  }

  @IsolatedMounts
  static class SlowSetUpTestCase {

    @BeforeEach
    void slowSetUp() throws InterruptedException {
      Thread.sleep(1_500);
    }

    @AfterEach
    void slowTearDown() throws InterruptedException {
      Thread.sleep(1_500);
    }

    @Test
    @Timeout(1)
    void quick() {
    }

    @RepeatedTest(2)
    @Timeout(1)
    void quickAgain() {
    }
  }

  @IsolatedMounts
  static class SeparateThreadTestCase {
    @Test
    @Timeout(value = 1, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void sleeps() throws InterruptedException {
      Thread.sleep(60_000);
    }
  }

  @IsolatedMounts
  static class TimeoutAnnotatedTestCase {
    @Test
    @Timeout(1)
    void sleeps() throws InterruptedException {
      Thread.sleep(60_000);
    }
  }

  /** Runs a test case with this JVM's stdout, where the child's is replayed, going to output. */
  private static EngineExecutionResults runPrinting(Class<?> testCase,
      Map<String, String> configuration, ByteArrayOutputStream output) {
    PrintStream original = System.out;
    System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
    try {
      return Fixtures.run(testCase, configuration);
    } finally {
      System.setOut(original);
    }
  }

  private static Throwable failure(EngineExecutionResults results) {
    return results.testEvents().failed().stream().findFirst()
        .flatMap(event -> event.getPayload(TestExecutionResult.class))
        .flatMap(TestExecutionResult::getThrowable).orElseThrow();
  }

  private static List<StackTraceElement> frames(Throwable throwable) {
    List<StackTraceElement> frames = new ArrayList<>(List.of(throwable.getStackTrace()));
    for (Throwable suppressed : throwable.getSuppressed()) {
      frames.addAll(frames(suppressed));
    }
    if (throwable.getCause() != null) {
      frames.addAll(frames(throwable.getCause()));
    }
    return frames;
  }

  @IsolatedMounts
  static class IgnoringInterruptsTestCase {
    @Test
    @Timeout(1)
    void sleepsOn() throws IOException, InterruptedException {
      Processes.orphanSleep(System.getProperty("it.sleep"));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < end) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException ignored) {
          // what the test is about
        }
      }
    }
  }

  @IsolatedMounts
  static class SleepingTestCase {
    @Test
    void sleeps() throws IOException, InterruptedException {
      String marker = System.getProperty("it.sleep");
      if (marker != null) {
        Processes.orphanSleep(marker);
      }
      Thread.sleep(600_000);
    }
  }

  @IsolatedMounts
  static class BackgroundTestCase {
    @Test
    void leavesASleep() throws IOException, InterruptedException {
      String marker = System.getProperty("it.sleep");
      Processes.orphanSleep(marker);
      Processes.childSleep(marker); // and one still our own child
      assertThat(Processes.sleeping(marker)).hasSize(2);
    }
  }
}

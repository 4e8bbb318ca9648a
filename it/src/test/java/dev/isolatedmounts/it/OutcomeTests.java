package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isolatedmounts.IsolatedMounts;
import java.io.IOException;
import java.nio.file.FileSystemException;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.error.AssertJMultipleFailuresError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.MultipleFailuresError;
import org.opentest4j.TestAbortedException;

@DisplayName("An isolated test ends in the parent as it would in-process")
class OutcomeTests {

  @Test
  @DisplayName("success succeeds, in another JVM")
  void success() {
    System.setProperty("it.parent.pid", String.valueOf(ProcessHandle.current().pid()));

    Fixtures.run(PassingTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1));
  }

  @Test
  @DisplayName("an assertion failure stays an AssertionFailedError with expected and actual")
  void assertionFailure() {
    EngineExecutionResults results = Fixtures.run(FailingTestCase.class);

    results.testEvents().assertThatEvents().haveExactly(1, event(test("fails"),
        finishedWithFailure(instanceOf(AssertionFailedError.class),
            message("the answer ==> expected: <42> but was: <41>"))));
    AssertionFailedError error = (AssertionFailedError) results.testEvents().failed().stream()
        .findFirst().orElseThrow().getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .orElseThrow().getThrowable().orElseThrow();
    assertThat(error.getExpected().getStringRepresentation()).isEqualTo("42");
    assertThat(error.getActual().getStringRepresentation()).isEqualTo("41");
    assertThat(error.getExpected().getValue()).isEqualTo(42);
    assertThat(error.getStackTrace()).anySatisfy(frame ->
        assertThat(frame.getMethodName()).isEqualTo("fails"));
  }

  @Test
  @DisplayName("a failed assumption aborts the test")
  void assumption() {
    Fixtures.run(AbortedTestCase.class).testEvents().assertThatEvents().haveExactly(1,
        event(test("assumes"), abortedWithReason(instanceOf(TestAbortedException.class),
            message("Assumption failed: not on this host"))));
  }

  /**
   * In-process the class fails too, which in the parent ran no {@code @AfterAll}: the test's
   * result carries it. Until this version only a passed test took it; an aborted one hid it.
   */
  @Test
  @DisplayName("a failing @AfterAll fails a passed or aborted test, and is kept with a failed one")
  void failingAfterAll() {
    EngineExecutionResults results = Fixtures.run(FailingAfterAllTestCase.class);
    results.testEvents().assertThatEvents()
        .haveExactly(3, event(test(), finishedWithFailure()));
    for (org.junit.platform.testkit.engine.Event failed : results.testEvents().failed().list()) {
      Throwable thrown = failed.getPayload(org.junit.platform.engine.TestExecutionResult.class)
          .orElseThrow().getThrowable().orElseThrow();
      String name = failed.getTestDescriptor().getDisplayName();
      Throwable afterAll = name.startsWith("fails") ? thrown.getSuppressed()[0] : thrown;
      assertThat(afterAll).as(name).isInstanceOf(IllegalStateException.class)
          .hasMessage("after all");
      if (name.startsWith("fails")) {
        assertThat(thrown).as(name).hasMessage("the test");
      }
      if (name.startsWith("assumes")) {
        assertThat(thrown.getSuppressed()).as(name).singleElement()
            .isInstanceOf(TestAbortedException.class);
      }
    }
  }

  @Test
  @DisplayName("an exception keeps its type, message and cause")
  void exception() {
    Fixtures.run(ThrowingTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("throwsIo"), finishedWithFailure(
            instanceOf(IOException.class), message("disk on fire"))))
        .haveExactly(1, event(test("throwsFileSystemException"), finishedWithFailure(
            message("/var/lib/x: No space left on device"))));
  }

  @Test
  @DisplayName("a FileSystemException stays one, with its file and reason")
  void fileSystemException() {
    Throwable thrown = failureOf(ThrowingTestCase.class, "throwsFileSystem");

    assertThat(thrown).isExactlyInstanceOf(FileSystemException.class)
        .hasToString("java.nio.file.FileSystemException: /var/lib/x: No space left on device");
    assertThat(((FileSystemException) thrown).getReason()).isEqualTo("No space left on device");
    assertThat(thrown.getCause()).hasMessage("root cause");
  }

  @Test
  @DisplayName("an exception that cannot be rebuilt keeps its class name in a placeholder")
  void placeholder() {
    Throwable thrown = failureOf(ThrowingTestCase.class, "throwsItsOwn");

    assertThat(thrown).isNotInstanceOf(QuotaExceeded.class)
        .hasToString(QuotaExceeded.class.getName() + ": /var/lib/x: over quota by 3 blocks");
  }

  private static Throwable failureOf(Class<?> testClass, String methodName) {
    return Fixtures.run(testClass).testEvents().failed().stream()
        .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(methodName))
        .findFirst().orElseThrow()
        .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
        .getThrowable().orElseThrow();
  }

  @Test
  @DisplayName("a NullPointerException stays one, with the JVM's description of the null")
  void nullPointer() {
    Fixtures.run(NullPointerTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("dereferencesNull"), finishedWithFailure(
            instanceOf(NullPointerException.class),
            message(m -> m.startsWith("Cannot invoke \"String.length()\"")))));
  }

  @Test
  @DisplayName("a failure too large for a frame arrives whole but for its strings, cut and"
      + " saying so")
  void largeFailure() {
    EngineExecutionResults results = Fixtures.run(LargeFailureTestCase.class);

    results.testEvents().assertStatistics(s -> s.failed(1));
    AssertionFailedError error = (AssertionFailedError) results.testEvents().failed().stream()
        .findFirst().orElseThrow().getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .orElseThrow().getThrowable().orElseThrow();
    assertThat(error.getMessage()).startsWith("file contents ==> expected: <eeee")
        .contains("more characters cut");
    assertThat(error.getExpected().getStringRepresentation()).startsWith("eeee")
        .contains("more characters cut");
    assertThat(error.getStackTrace()).anySatisfy(frame ->
        assertThat(frame.getMethodName()).isEqualTo("comparesLargeFiles"));
  }

  @Test
  @DisplayName("AssertJ's soft assertions stay multiple failures, each with expected and actual")
  void softAssertions() {
    EngineExecutionResults results = Fixtures.run(SoftAssertionsTestCase.class);

    results.testEvents().assertStatistics(s -> s.failed(1));
    Throwable thrown = results.testEvents().failed().stream().findFirst().orElseThrow()
        .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
        .getThrowable().orElseThrow();
    assertThat(thrown).isInstanceOf(MultipleFailuresError.class)
        .asString().startsWith(AssertJMultipleFailuresError.class.getName() + ": ")
        .contains("owner", "mode");
    assertThat(((MultipleFailuresError) thrown).getFailures()).hasSize(2)
        .allSatisfy(failure -> assertThat(failure).isInstanceOf(AssertionFailedError.class))
        .extracting(failure -> ((AssertionFailedError) failure).getActual().getValue())
        .containsExactly("\"root\"", "420");
    assertThat(thrown.getStackTrace()).anySatisfy(frame ->
        assertThat(frame.getMethodName()).isEqualTo("checksOwnerAndMode"));
  }

  @Test
  @DisplayName("a static initializer that fails in the test run's JVM, outside the mounts, says"
      + " it ran there, and where to move its work")
  void staticInitializerOnTheHost() {
    String said = "(or of a class it extends) failed in the test run's JVM (";
    String fix = "). It runs there, on the host and outside the test's mounts, as well as in each"
        + " child: JUnit needs an instance of the class there, and the JVM initializes a class"
        + " before it makes one. Move work with the mounted paths (a file read, a database"
        + " opened) from static fields and static blocks into a @BeforeAll or @BeforeEach method,"
        + " which run in the child only";
    Fixtures.run(StaticInitializerTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("first"), finishedWithFailure(message(
            "The static initializer of " + StaticInitializerTestCase.class.getName() + " " + said
                + "java.lang.IllegalStateException: /var/lib/im-static is not mounted" + fix))))
        // The JVM does not run a failed initializer again: the next test is told the same.
        .haveExactly(1, event(test("second"), finishedWithFailure(message(m ->
            m.startsWith("The static initializer of " + StaticInitializerTestCase.class.getName()
                + " " + said + "java.lang.NoClassDefFoundError: Could not initialize class ")
                && m.endsWith(fix)))));
  }

  @Test
  @DisplayName("a static initializer that makes a declared target on the host, outside the mounts:"
      + " the test fails saying so")
  void staticInitializerWritesOnTheHost() throws IOException {
    java.nio.file.Path made = java.nio.file.Path.of(StaticWriterTestCase.TARGET);
    java.nio.file.Files.deleteIfExists(made); // an interrupted run's
    try {
      Fixtures.run(StaticWriterTestCase.class).testEvents().assertThatEvents()
          .haveExactly(1, event(test("writes"), finishedWithFailure(message(
              "The static initializer of " + StaticWriterTestCase.class.getName() + " (or of a"
                  + " class it extends) made " + made + " on the host, in the test run's JVM,"
                  + " where the test declares a mount. It runs there, on the host and outside"
                  + " the test's mounts, as well as in each child: JUnit needs an instance of the"
                  + " class there, and the JVM initializes a class before it makes one. Remove"
                  + " what it made, and move work with the mounted paths (a file read, a database"
                  + " opened) from static fields and static blocks into a @BeforeAll or"
                  + " @BeforeEach method, which run in the child only"))));
    } finally {
      java.nio.file.Files.deleteIfExists(made);
    }
  }

  /** Makes its target wherever its class is initialized: on the host, in the parent. */
  @IsolatedMounts
  @dev.isolatedmounts.Tmpfs(StaticWriterTestCase.TARGET)
  static class StaticWriterTestCase {
    static final String TARGET = "/tmp/im-it-static-writer";
    static final java.nio.file.Path DIRECTORY = made();

    private static java.nio.file.Path made() {
      try {
        return java.nio.file.Files.createDirectories(java.nio.file.Path.of(TARGET));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Test
    void writes() {}
  }

  /** Its static initializer passes in a child, where the tmpfs is, and fails anywhere else. */
  @IsolatedMounts
  @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
  @dev.isolatedmounts.Tmpfs("/var/lib/im-static")
  static class StaticInitializerTestCase {
    static final String MOUNTS = mounts();

    private static String mounts() {
      try {
        String table =
            java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/mountinfo"));
        if (!table.contains(" /var/lib/im-static ")) {
          throw new IllegalStateException("/var/lib/im-static is not mounted");
        }
        return table;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Test
    void first() {}

    @Test
    void second() {}
  }

  @IsolatedMounts
  static class PassingTestCase {
    @Test
    void passes() {
      assertThat(Fixtures.hostPid())
          .isNotEqualTo(Long.getLong("it.parent.pid"));
    }
  }

  @IsolatedMounts
  static class FailingTestCase {
    @Test
    void fails() {
      assertEquals(42, 41, "the answer");
    }
  }

  @IsolatedMounts
  static class AbortedTestCase {
    @Test
    void assumes() {
      Assumptions.assumeTrue(false, "not on this host");
    }
  }

  @IsolatedMounts
  static class FailingAfterAllTestCase {
    @AfterAll
    static void afterAll() {
      throw new IllegalStateException("after all");
    }

    @Test
    void passes() {}

    @Test
    void assumes() {
      Assumptions.assumeTrue(false, "not on this host");
    }

    @Test
    void fails() {
      throw new AssertionError("the test");
    }
  }

  @IsolatedMounts
  static class NullPointerTestCase {
    @Test
    void dereferencesNull() {
      String absent = System.getProperty("it.absent.property");
      assertThat(absent.length()).isZero();
    }
  }

  @IsolatedMounts
  static class LargeFailureTestCase {
    @Test
    void comparesLargeFiles() {
      assertEquals("e".repeat(6_000_000), "a".repeat(6_000_000), "file contents");
    }
  }

  @IsolatedMounts
  static class ThrowingTestCase {
    @Test
    void throwsIo() throws IOException {
      throw new IOException("disk on fire");
    }

    @Test
    void throwsFileSystemException() throws IOException {
      FileSystemException e = new FileSystemException("/var/lib/x", null,
          "No space left on device");
      e.initCause(new IllegalStateException("root cause"));
      throw e;
    }

    @Test
    void throwsItsOwn() throws IOException {
      throw new QuotaExceeded("/var/lib/x", 3);
    }
  }

  /** Makes its message of its own: the parent cannot make one with an equal message. */
  static class QuotaExceeded extends IOException {
    private final int blocks;

    QuotaExceeded(String file, int blocks) {
      super(file);
      this.blocks = blocks;
    }

    @Override
    public String getMessage() {
      return super.getMessage() + ": over quota by " + blocks + " blocks";
    }
  }

  @IsolatedMounts
  static class SoftAssertionsTestCase {
    @Test
    void checksOwnerAndMode() {
      SoftAssertions.assertSoftly(softly -> {
        softly.assertThat("root").as("owner").isEqualTo("app");
        softly.assertThat(0644).as("mode").isEqualTo(0600);
      });
    }
  }
}

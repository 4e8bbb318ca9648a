package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.cause;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.internal.fork.ChildJvmException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@DisplayName("A child that dies fails its test, and the next tests run")
class ChildDeathTests {

  @Test
  @DisplayName("System.exit(3) fails the test with the status and the end of its stderr")
  void exit() {
    Fixtures.run(ExitingTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("exits"), finishedWithFailure(
            instanceOf(ChildJvmException.class),
            message(m -> m.contains("exited with status 3 before reporting a result; if the code"
                + " under test calls System.exit, @IsolatedMounts(trapExit = true) turns the call"
                + " into a SystemExitException that the test can assert (set on the innermost"
                + " @IsolatedMounts: a method's replaces its class's)")
                && m.contains("last lines of its stderr:\n    about to exit")))))
        .haveExactly(1, event(test("runsAfterwards"), finishedSuccessfully()));
  }

  @Test
  @DisplayName("Runtime.halt(5) fails the test with the status")
  void halt() {
    Fixtures.run(HaltingTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("halts"), finishedWithFailure(
            instanceOf(ChildJvmException.class),
            message(m -> m.contains("exited with status 5 before reporting a result")
                && m.contains("    halting now")))))
        .haveExactly(1, event(test("runsAfterwards"), finishedSuccessfully()));
  }

  @Test
  @DisplayName("a child that cannot send its result says so, not that the test called System.exit")
  void resultUnsent() {
    Fixtures.run(UnsentResultTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("cutsItsChannel"), finishedWithFailure(
            instanceOf(ChildJvmException.class),
            message(m -> m.contains("exited with status 70 before reporting a result: it could"
                + " not send its result (the end of its stderr says why)")
                && m.contains("isolated-mounts: the child JVM could not send the result of its"
                    + " test (FAILED) to the parent JVM: ")
                && !m.contains("trapExit")))))
        .haveExactly(1, event(test("runsAfterwards"), finishedSuccessfully()));
  }

  @Test
  @DisplayName("System.exit(70), the status of a child that could not send its result, is still"
      + " the test's own exit")
  void exit70() {
    Fixtures.run(Exiting70TestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("exits"), finishedWithFailure(
            instanceOf(ChildJvmException.class),
            message(m -> m.contains("exited with status 70 before reporting a result; if the"
                + " code under test calls System.exit, @IsolatedMounts(trapExit = true)")
                && !m.contains("could not send")))));
  }

  @Test
  @DisplayName("a child killed by a signal fails its test naming the signal")
  void signal() {
    Fixtures.run(KilledTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("killsItself"), finishedWithFailure(
            instanceOf(ChildJvmException.class),
            message(m -> m.contains("exited with status 137 (128 + 9: killed by SIGKILL)")
                && !m.contains("trapExit")))));
  }

  @Test
  @DisplayName("an OutOfMemoryError in the child fails the test with that error")
  void outOfMemory() {
    Fixtures.run(OutOfMemoryTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("exhaustsTheHeap"), finishedWithFailure(
            instanceOf(ChildJvmException.class),
            message(m -> m.endsWith("ran out of memory: java.lang.OutOfMemoryError: Java heap"
                + " space")), cause(instanceOf(OutOfMemoryError.class)))))
        .haveExactly(1, event(test("runsAfterwards"), finishedSuccessfully()));
  }

  @Test
  @DisplayName("a native crash fails the test naming SIGSEGV or SIGABRT, and the next test runs")
  void nativeCrash() {
    Fixtures.run(CrashingTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("crashes"), finishedWithFailure(
            instanceOf(ChildJvmException.class),
            message(m -> m.contains("before reporting a result")
                && (m.contains("killed by SIGABRT") || m.contains("killed by SIGSEGV"))
                && crashReportNamed(m)))))
        .haveExactly(1, event(test("runsAfterwards"), finishedSuccessfully()));
  }

  /**
   * The stderr tail names the crash report, which is the child's own: every child is pid 2 in its
   * PID namespace, so the JVM's default name would be the same for all.
   */
  private static boolean crashReportNamed(String message) {
    java.util.regex.Matcher report = java.util.regex.Pattern
        .compile("(/\\S*/hs_err_isolated-mounts-[0-9]+-[0-9]+\\.log)").matcher(message);
    return report.find() && Files.isRegularFile(Path.of(report.group(1)));
  }

  /** The crashed JVM writes its report into its working directory, this module's. */
  @AfterEach
  void removeCrashReports() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(""))) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("hs_err_"))
          .toList()) {
        Files.delete(file);
      }
    }
  }

  @IsolatedMounts
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class ExitingTestCase {
    @Test
    void exits() {
      System.err.println("about to exit");
      System.exit(3);
    }

    @Test
    void runsAfterwards() {}
  }

  @IsolatedMounts
  static class Exiting70TestCase {
    @Test
    void exits() {
      System.exit(70);
    }
  }

  @IsolatedMounts
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class HaltingTestCase {
    @Test
    void halts() {
      System.err.println("halting now");
      System.err.flush();
      Runtime.getRuntime().halt(5);
    }

    @Test
    void runsAfterwards() {}
  }

  @IsolatedMounts
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class UnsentResultTestCase {
    interface Libc extends com.sun.jna.Library {
      int shutdown(int fd, int how);
    }

    /** Shuts its own socket to the parent for writing, as code that tidies up fds might. */
    @Test
    void cutsItsChannel() throws IOException {
      Libc libc = com.sun.jna.Native.load("c", Libc.class);
      try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
        for (Path fd : fds.toList()) {
          try {
            if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
              libc.shutdown(Integer.parseInt(fd.getFileName().toString()), 1); // SHUT_WR
            }
          } catch (NoSuchFileException e) {
            // the listing's own descriptor, closed since
          }
        }
      }
    }

    @Test
    void runsAfterwards() {}
  }

  @IsolatedMounts
  static class KilledTestCase {
    @Test
    void killsItself() throws Exception {
      new ProcessBuilder("kill", "-9", String.valueOf(ProcessHandle.current().pid()))
          .start().waitFor();
      Thread.sleep(10_000);
    }
  }

  @IsolatedMounts
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class OutOfMemoryTestCase {
    static long[] hog;

    @Test
    void exhaustsTheHeap() {
      // 16 GiB at once: more than the default heap of any machine that runs this suite, so the
      // error comes at once instead of after filling gigabytes.
      hog = new long[Integer.MAX_VALUE - 16];
    }

    @Test
    void runsAfterwards() {}
  }

  @IsolatedMounts
  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class CrashingTestCase {
    @Test
    void crashes() throws ReflectiveOperationException {
      Field field = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
      field.setAccessible(true);
      sun.misc.Unsafe unsafe = (sun.misc.Unsafe) field.get(null);
      unsafe.putAddress(0, 0);
    }

    @Test
    void runsAfterwards() {}
  }
}

package dev.isolatedmounts.it;

import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.internal.fork.ChildJvmException;
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
            message(m -> m.contains("exited with status 3 before reporting a result")
                && m.contains("last lines of its stderr:\n    about to exit")))))
        .haveExactly(1, event(test("runsAfterwards"), finishedSuccessfully()));
  }

  @Test
  @DisplayName("a child killed by a signal fails its test naming the signal")
  void signal() {
    Fixtures.run(KilledTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("killsItself"), finishedWithFailure(
            instanceOf(ChildJvmException.class),
            message(m -> m.contains("exited with status 137 (128 + 9: killed by SIGKILL)")))));
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
  static class KilledTestCase {
    @Test
    void killsItself() throws Exception {
      new ProcessBuilder("kill", "-9", String.valueOf(ProcessHandle.current().pid()))
          .start().waitFor();
      Thread.sleep(10_000);
    }
  }
}

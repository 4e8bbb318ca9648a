package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.SystemExitException;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

@DisplayName("@IsolatedMounts(trapExit = true) turns System.exit into SystemExitException")
class ExitTrapTests {

  @Test
  @DisplayName("exits throw with their status, even through catch (Exception); an escaping one"
      + " fails its test; without the setting nothing is loaded")
  void trapped() {
    EngineExecutionResults results = Fixtures.run(ExitTrapTestCase.class);

    results.testEvents().assertThatEvents()
        .haveExactly(1, event(test("systemExit"), finishedSuccessfully()))
        .haveExactly(1, event(test("runtimeExit"), finishedSuccessfully()))
        .haveExactly(1, event(test("notSwallowed"), finishedSuccessfully()))
        .haveExactly(1, event(test("otherThread"), finishedSuccessfully()))
        .haveExactly(1, event(test("offByDefault"), finishedSuccessfully()))
        .haveExactly(1, event(test("escapes"), finishedWithFailure(
            instanceOf(SystemExitException.class),
            message("System.exit(7) was called; @IsolatedMounts(trapExit = true) turned it into"
                + " this exception instead of ending the JVM"))));
  }

  @IsolatedMounts(trapExit = true)
  static class ExitTrapTestCase {

    @Test
    void systemExit() {
      assertThatThrownBy(() -> Cli.main("--bogus"))
          .isInstanceOfSatisfying(SystemExitException.class,
              e -> assertThat(e.status()).isEqualTo(2));
    }

    @Test
    void runtimeExit() {
      assertThatThrownBy(() -> Runtime.getRuntime().exit(0))
          .isInstanceOfSatisfying(SystemExitException.class,
              e -> assertThat(e.status()).isZero());
    }

    @Test
    void notSwallowed() {
      assertThatThrownBy(() -> {
        try {
          System.exit(3);
        } catch (Exception e) {
          throw new AssertionError("the exit was swallowed", e);
        }
      }).isInstanceOf(SystemExitException.class);
    }

    @Test
    void otherThread() throws InterruptedException {
      Throwable[] thrown = new Throwable[1];
      Thread thread = new Thread(() -> System.exit(4));
      thread.setUncaughtExceptionHandler((t, e) -> thrown[0] = e);
      thread.start();
      thread.join();
      assertThat(thrown[0]).isInstanceOf(SystemExitException.class);
    }

    @Test
    void escapes() {
      System.exit(7);
    }

    @Test
    @IsolatedMounts
    void offByDefault() {
      // No agent on the command line, no hook: System.exit would end this JVM.
      assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
          .noneMatch(arg -> arg.startsWith("-javaagent") || arg.contains("allowAttachSelf"));
      assertThat(System.getProperties()).doesNotContainKey("isolatedmounts.exitTrap");
    }
  }

  /** A command-line program as users write them. */
  static final class Cli {
    static void main(String... args) {
      if (args.length > 0 && args[0].startsWith("--bogus")) {
        System.err.println("usage: cli [--verbose]");
        System.exit(2);
      }
      System.exit(0);
    }
  }
}

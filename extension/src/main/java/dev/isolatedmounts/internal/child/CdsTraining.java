package dev.isolatedmounts.internal.child;

import dev.isolatedmounts.internal.linux.MountTable;
import dev.isolatedmounts.internal.linux.Syscalls;
import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.Result;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;

/**
 * The training run for the child's class-data-sharing archive: a JVM started with
 * {@code -XX:ArchiveClassesAtExit} and only the class path's jars walks the path every child
 * walks (JNA, the mount table, the Launcher running one Jupiter test, the result codec), so the
 * classes it loads are mapped, not parsed, by every later child.
 */
public final class CdsTraining {

  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    Syscalls.geteuid();
    Syscalls.mountNamespace();
    MountTable.readSelf();
    String testCase = "[engine:junit-jupiter]/[class:" + TrainingTestCase.class.getName() + "]";
    train(testCase + "/[method:train()]");
    if (present("org.junit.jupiter.params.ParameterizedTest")) {
      // Most isolated tests that repeat are parameterized: their classes are worth archiving.
      train(testCase + "/[test-template:trainParameterized(int)]/[test-template-invocation:#2]");
    }
    byte[] encoded = ChildMain.encode(new Result(Outcome.FAILED,
        new AssertionFailedError("trained", "expected", "actual")));
    Result.decode(encoded, CdsTraining.class.getClassLoader());
    warmAssertJ();
    System.exit(0);
  }

  private static void train(String uniqueId) {
    Result result = new SingleTestRunner().run(uniqueId, Map.of(), entries -> { });
    if (result.outcome() != Outcome.SUCCESSFUL) {
      System.exit(1); // an archive of a run that went wrong is not kept
    }
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, CdsTraining.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError absent) {
      return false;
    }
  }

  /** AssertJ is the most common assertion library; its entry point is heavy to load. */
  private static void warmAssertJ() {
    try {
      Class<?> assertions = Class.forName("org.assertj.core.api.Assertions");
      Object assertion = assertions.getMethod("assertThat", Object.class).invoke(null, "x");
      assertion.getClass().getMethod("isEqualTo", Object.class).invoke(assertion, "x");
    } catch (ReflectiveOperationException | LinkageError absent) {
      // not on this class path: nothing to warm
    }
  }

  /** The tests of the training run. */
  public static final class TrainingTestCase {
    @Test
    void train() {
      if (System.getProperty("java.home") == null) {
        throw new AssertionFailedError("no java.home");
      }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void trainParameterized(int value) {
      if (value < 1) {
        throw new AssertionFailedError("not a value of the source: " + value);
      }
    }
  }
}

package dev.isolatedmounts.internal.child;

import dev.isolatedmounts.internal.linux.MountTable;
import dev.isolatedmounts.internal.linux.Syscalls;
import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.Result;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
    Result result = new SingleTestRunner().run("[engine:junit-jupiter]/[class:"
        + TrainingTestCase.class.getName() + "]/[method:train()]", Map.of(), entries -> { });
    if (result.outcome() != Outcome.SUCCESSFUL) {
      System.exit(1);
    }
    byte[] encoded = ChildMain.encode(new Result(Outcome.FAILED,
        new AssertionFailedError("trained", "expected", "actual")));
    Result.decode(encoded, CdsTraining.class.getClassLoader());
    warmAssertJ();
    System.exit(0);
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

  /** The one test of the training run. */
  public static final class TrainingTestCase {
    @Test
    void train() {
      if (System.getProperty("java.home") == null) {
        throw new AssertionFailedError("no java.home");
      }
    }
  }
}

package dev.isolatedmounts.internal.child;

import dev.isolatedmounts.Tmpfs;
import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.ProtocolException;
import dev.isolatedmounts.internal.wire.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;

/**
 * What the child that trains the class-data-sharing archive runs (see the fork package's
 * {@code TrainingChild}). That child walks a child's whole path for real: it connects, mounts
 * this test's tmpfs on a target absent from the host, verifies, and runs {@link
 * TrainingTestCase#train()} through the Launcher with this extension in it. The test adds the
 * paths a child may take beyond that one: a {@code @TempDir} and a temporary file in it,
 * parameterized tests (a {@code @ValueSource} and a {@code @MethodSource}), a failure to report,
 * and AssertJ; then it loads the classes children loaded beyond the archive, if it is given any.
 */
public final class CdsTraining {

  /** The training's mount: absent on the host, so the absent-target path is trained too. */
  static final String TARGET = "/var/lib/isolated-mounts-training";
  /** Names the file of classes to load beyond the test's (the fork package's TrainingChild). */
  static final String CLASSES_PROPERTY = "isolatedmounts.child.trainingClasses";

  private CdsTraining() {}

  /** The tests of the training run. */
  public static final class TrainingTestCase {

    /**
     * Tests of file-system code make temporary files, in a {@code @TempDir} or beside a file they
     * replace: JUnit's extension and the JDK's random names (SecureRandom, its providers, a digest)
     * are about a hundred classes, which a child parses and links anew unless archived (15-50 ms
     * of its CPU).
     */
    @TempDir
    Path directory;

    @Test
    @Tmpfs(TARGET)
    void train() throws Exception {
      Files.writeString(Path.of(TARGET, "trained"), "trained");
      Path temporary = Files.createTempFile(directory, "trained", ".tmp");
      Files.move(temporary, directory.resolve("trained"), StandardCopyOption.ATOMIC_MOVE);
      if (present("org.junit.jupiter.params.ParameterizedTest")) {
        // Most isolated tests that repeat are parameterized: their classes are worth archiving,
        // and so are the lambdas of a @MethodSource, which JDK 25's cache keeps linked (that took
        // 8-9% off a parameterized child's CPU there; a @CsvSource's parser weighs 2 MB more).
        for (String template : List.of("trainParameterized(int)", "trainMethodSource(int)")) {
          String parameterized = "[engine:junit-jupiter]/[class:"
              + TrainingTestCase.class.getName() + "]/[test-template:" + template
              + "]/[test-template-invocation:#2]";
          Result result = SingleTestRunner.unprepared().run(parameterized, Map.of(), entries -> { },
              file -> { });
          if (result.outcome() != Outcome.SUCCESSFUL) {
            throw new AssertionFailedError("the parameterized training test " + template
                + " did not pass", result.throwable());
          }
        }
      }
      failure();
      warmAssertJ();
      String classes = System.getProperty(CLASSES_PROPERTY);
      if (classes != null) {
        loadAll(Path.of(classes));
      }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void trainParameterized(int value) {
      if (value < 1) {
        throw new AssertionFailedError("not a value of the source: " + value);
      }
    }

    @ParameterizedTest
    @MethodSource("values") // the most common source beside @ValueSource
    void trainMethodSource(int value) {
      trainParameterized(value);
    }

    static IntStream values() {
      return IntStream.rangeClosed(1, 3);
    }

    /** Tests fail: the way a failure is encoded is worth archiving too. */
    private static void failure() throws ProtocolException {
      byte[] encoded = ChildMain.encode(new Result(Outcome.FAILED,
          new AssertionFailedError("trained", "expected", "actual")));
      Result.decode(encoded, CdsTraining.class.getClassLoader());
    }

    private static boolean present(String className) {
      try {
        Class.forName(className, false, CdsTraining.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError absent) {
        return false;
      }
    }

    /**
     * The classes children loaded beyond the archive (the libraries of the user's tests): loaded
     * by name, without running any of their code, so the JVM archives them at exit.
     */
    private static void loadAll(Path file) {
      List<String> names;
      try {
        names = Files.readAllLines(file);
      } catch (IOException e) {
        return; // the archive is trained without them, as before there were any
      }
      ClassLoader loader = ClassLoader.getSystemClassLoader();
      for (String name : names) {
        try {
          Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError notHere) {
          // gone since (a rebuilt jar), or in a module this JVM does not resolve: not archived
        }
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
  }
}

package dev.isolatedmounts.internal.junit;

import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.JUnitException;

/**
 * A test instance for the parent JVM that was made without running any constructor or field
 * initializer of the test class: JUnit needs an instance, but the test's code must run only in the
 * child, inside its namespace. Its static initializer does run here, though: no JVM makes an
 * instance of a class it has not initialized.
 */
public final class PlaceholderInstance {

  /** The test classes a placeholder was made of in this JVM. */
  private static final Set<Class<?>> FIRST_MADE = ConcurrentHashMap.newKeySet();

  private static final String RUNS_THERE = "It runs there, on the host and outside the test's"
      + " mounts, as well as in each child: JUnit needs an instance of the class there, and the"
      + " JVM initializes a class before it makes one";
  private static final String MOVE = "move work with the mounted paths (a file read, a database"
      + " opened) from static fields and static blocks into a @BeforeAll or @BeforeEach method,"
      + " which run in the child only";

  private PlaceholderInstance() {}

  /**
   * The placeholder for the isolated test of {@code context}. Should making it run the class's
   * static initializer, and that make one of the test's targets on the host, where none was, the
   * test fails saying so: that work was meant for the child's mounts.
   */
  public static <T> T forTest(Class<T> testClass, ExtensionContext context) {
    // Only a class's first instance can have run its initializer: a target made later is
    // another's (a test in this JVM, under parallel execution), not to be blamed on this class.
    if (!FIRST_MADE.add(testClass)) {
      return of(testClass);
    }
    List<Path> absent = Isolation.plan(context).map(plan -> plan.mounts().stream()
        .map(mount -> Path.of(mount.target()))
        .filter(target -> Files.notExists(target, LinkOption.NOFOLLOW_LINKS))
        .toList()).orElse(List.of());
    T instance = of(testClass);
    List<Path> made = absent.stream()
        .filter(target -> Files.exists(target, LinkOption.NOFOLLOW_LINKS)).toList();
    if (!made.isEmpty()) {
      throw new JUnitException("The static initializer of " + testClass.getName() + " (or of a"
          + " class it extends) made " + made.stream().map(Path::toString)
              .collect(Collectors.joining(", ")) + " on the host, in the test run's JVM, where"
          + " the test declares " + (made.size() == 1 ? "a mount" : "mounts") + ". " + RUNS_THERE
          + ". Remove what it made, and " + MOVE);
    }
    return instance;
  }

  public static <T> T of(Class<T> testClass) {
    try {
      // The serialization constructor of Object allocates without running the class's own
      // constructors; the same route JDK serialization and mocking libraries take.
      Constructor<?> allocator = sun.reflect.ReflectionFactory.getReflectionFactory()
          .newConstructorForSerialization(testClass, Object.class.getDeclaredConstructor());
      return testClass.cast(allocator.newInstance());
    } catch (ExceptionInInitializerError e) {
      throw new JUnitException(staticInitializerFailed(testClass, e), e);
    } catch (NoClassDefFoundError e) {
      // The JVM's words for a class whose initializer failed before, in an earlier test.
      if (String.valueOf(e.getMessage()).startsWith("Could not initialize class")) {
        throw new JUnitException(staticInitializerFailed(testClass, e), e);
      }
      throw e;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new JUnitException("isolated-mounts could not create a placeholder instance of "
          + testClass.getName() + " in the parent JVM", e);
    }
  }

  /**
   * Why the test failed where it would have passed in its child: its class's static initializer,
   * which the code under test's paths may be read in, ran here, outside the mounts.
   */
  static String staticInitializerFailed(Class<?> testClass, Throwable error) {
    Throwable thrown = error instanceof ExceptionInInitializerError && error.getCause() != null
        ? error.getCause() : error;
    return "The static initializer of " + testClass.getName() + " (or of a class it extends)"
        + " failed in the test run's JVM (" + thrown + "). " + RUNS_THERE + ". "
        + Character.toUpperCase(MOVE.charAt(0)) + MOVE.substring(1);
  }
}

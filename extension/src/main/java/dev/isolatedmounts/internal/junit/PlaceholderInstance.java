package dev.isolatedmounts.internal.junit;

import java.lang.reflect.Constructor;
import org.junit.platform.commons.JUnitException;

/**
 * A test instance for the parent JVM that was made without running any constructor or field
 * initializer of the test class: JUnit needs an instance, but the test's code must run only in the
 * child, inside its namespace. Its static initializer does run here, though: no JVM makes an
 * instance of a class it has not initialized.
 */
public final class PlaceholderInstance {

  private PlaceholderInstance() {}

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
        + " failed in the test run's JVM ("
        + thrown + "). It runs there, on the host and outside the test's mounts, as well as in"
        + " each child: JUnit needs an instance of the class there, and the JVM initializes a class"
        + " before it makes one. Move work with the mounted paths (a file read, a database opened)"
        + " from static fields and static blocks into a @BeforeAll or @BeforeEach method, which run"
        + " in the child only";
  }
}

package dev.isolatedmounts.internal.junit;

import java.lang.reflect.Constructor;
import org.junit.platform.commons.JUnitException;

/**
 * A test instance for the parent JVM that was made without running any constructor or field
 * initializer of the test class: JUnit needs an instance, but the test's code must run only in the
 * child, inside its namespace.
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
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new JUnitException("isolated-mounts could not create a placeholder instance of "
          + testClass.getName() + " in the parent JVM", e);
    }
  }
}

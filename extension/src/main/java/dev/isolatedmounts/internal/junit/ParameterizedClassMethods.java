package dev.isolatedmounts.internal.junit;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The methods of a {@code @ParameterizedClass} that JUnit runs around each of its invocations,
 * which a whole isolated class cannot have. Told by their
 * annotations' names: a class template of another kind may run without JUnit's parameterized
 * tests on the class path.
 */
public final class ParameterizedClassMethods {

  private static final List<String> AROUND_INVOCATIONS = List.of(
      "org.junit.jupiter.params.BeforeParameterizedClassInvocation",
      "org.junit.jupiter.params.AfterParameterizedClassInvocation");

  private ParameterizedClassMethods() {}

  /** Throws for the first such method of {@code testClass} or its superclasses. */
  public static void refuse(Class<?> testClass) {
    for (Method method : ReflectionSupport.findMethods(testClass,
        method -> around(method).isPresent(), HierarchyTraversalMode.TOP_DOWN)) {
      String annotation = around(method).orElseThrow();
      throw new ExtensionConfigurationException("@" + annotation + " method "
          + method.getDeclaringClass().getName() + "." + method.getName() + " cannot run in an"
          + " isolated class: JUnit calls it in the test run's JVM, past every extension, so it"
          + " would run there, on the host, outside the mounts, and again in each child JVM. Move"
          + " its work into a @BeforeEach or @AfterEach method (they run in the child and see the"
          + " class's parameters), or declare the mounts on the test methods instead of the"
          + " class, so that the class's own set-up runs in the test run's JVM by design");
    }
  }

  /** The simple name of the annotation that makes {@code method} one of them, directly or meta. */
  private static Optional<String> around(Method method) {
    for (Annotation annotation : method.getAnnotations()) {
      Optional<String> found = named(annotation.annotationType());
      if (found.isEmpty()) {
        for (Annotation meta : annotation.annotationType().getAnnotations()) {
          found = named(meta.annotationType());
          if (found.isPresent()) {
            break;
          }
        }
      }
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> named(Class<? extends Annotation> type) {
    return AROUND_INVOCATIONS.contains(type.getName()) ? Optional.of(type.getSimpleName())
        : Optional.empty();
  }
}

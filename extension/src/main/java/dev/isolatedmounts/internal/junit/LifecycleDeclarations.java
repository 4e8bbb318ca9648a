package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.internal.plan.PlanReader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * Stops a run, before any test, in which a lifecycle method declares isolation in a class that
 * nothing else registers this extension for.
 *
 * <p>JUnit applies no annotation of a lifecycle method: a {@code @BeforeEach @Tmpfs("/var/lib/x")}
 * in an otherwise plain class would run its writes on the host, silently. Where the extension is
 * registered for the class, it refuses the method itself, test by test; elsewhere only a filter
 * of the whole run sees the class. Registered by the service loader (hence public); it includes
 * everything and excludes nothing, and throws to stop the run, as no filter can fail one test.
 */
public final class LifecycleDeclarations implements PostDiscoveryFilter {

  private static final List<Class<? extends Annotation>> KINDS =
      List.of(BeforeAll.class, BeforeEach.class, AfterEach.class, AfterAll.class);

  private static final String EXTENSION = "dev.isolatedmounts.IsolatedMountsExtension";

  private final Set<Class<?>> checked = ConcurrentHashMap.newKeySet();

  @Override
  public FilterResult apply(TestDescriptor descriptor) {
    if (descriptor.getSource().orElse(null) instanceof ClassSource source && jupiter(descriptor)) {
      Class<?> testClass;
      try {
        testClass = source.getJavaClass();
      } catch (RuntimeException | LinkageError e) {
        testClass = null; // not this filter's to report
      }
      if (testClass != null && checked.add(testClass)) {
        check(testClass);
      }
    }
    return FilterResult.included("isolated-mounts only checks declarations");
  }

  /** Whether JUnit Jupiter discovered it, on its own or within a suite. */
  private static boolean jupiter(TestDescriptor descriptor) {
    return descriptor.getUniqueId().getSegments().stream()
        .anyMatch(segment -> segment.getType().equals("engine")
            && segment.getValue().equals("junit-jupiter"));
  }

  /**
   * Throws the refusal the extension gives in a class it runs for, saying why the run stops.
   *
   * @throws ExtensionConfigurationException if a lifecycle method of {@code testClass} declares
   *     isolation and nothing registers the extension for the class
   */
  static void check(Class<?> testClass) {
    for (Class<? extends Annotation> kind : KINDS) {
      for (Method method : AnnotationSupport.findAnnotatedMethods(testClass, kind,
          HierarchyTraversalMode.TOP_DOWN)) {
        // Most classes have no such method: whether the extension is registered is asked last.
        if (!PlanReader.declaresIsolation(method) || registered(testClass)) {
          continue; // where it is registered, the extension refuses it, test by test
        }
        try {
          PlanReader.refuseOnLifecycleMethod(method, "@" + kind.getSimpleName());
        } catch (ExtensionConfigurationException e) {
          throw new ExtensionConfigurationException(e.getMessage() + ". JUnit applies no"
              + " annotation of a lifecycle method, and no declaration on " + testClass.getName()
              + " (or a class it is nested in) runs isolated-mounts for all its tests, so the"
              + " method would run on the host: the test run stops before any test", e);
        }
      }
    }
  }

  /**
   * Whether JUnit registers the extension for {@code testClass}'s tests from the class: as it
   * looks for {@code @ExtendWith} (meta-annotations, as this extension's annotations carry it;
   * superclasses; interfaces), and from the classes a {@code @Nested} one is in. The extension
   * is not public: nothing else registers it.
   */
  private static boolean registered(Class<?> testClass) {
    for (Class<?> level = testClass; level != null; level = nested(level)
        ? level.getEnclosingClass() : null) {
      if (AnnotationSupport.findRepeatableAnnotations(level, ExtendWith.class).stream()
          .flatMap(extendWith -> Arrays.stream(extendWith.value()))
          .anyMatch(extension -> extension.getName().equals(EXTENSION))) {
        return true;
      }
    }
    return false;
  }

  /** An inner class, as {@code @Nested} ones are: its tests get its enclosing class's extensions. */
  private static boolean nested(Class<?> type) {
    return type.isMemberClass() && !Modifier.isStatic(type.getModifiers());
  }
}

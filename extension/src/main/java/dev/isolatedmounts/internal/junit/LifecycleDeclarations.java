package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.internal.plan.PlanReader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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
import org.junit.platform.commons.support.ReflectionSupport;
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
 * It sees the classes before JUnit decides which run: a {@code @Disabled} one stops the run too.
 */
public final class LifecycleDeclarations implements PostDiscoveryFilter {

  private static final List<Class<? extends Annotation>> KINDS =
      List.of(BeforeAll.class, BeforeEach.class, AfterEach.class, AfterAll.class);

  private static final String EXTENSION = "dev.isolatedmounts.IsolatedMountsExtension";

  /** Each class checked as JUnit runs it: with the classes it runs within, innermost first. */
  private final Set<List<Class<?>>> checked = ConcurrentHashMap.newKeySet();

  @Override
  public FilterResult apply(TestDescriptor descriptor) {
    if (jupiter(descriptor)) {
      List<Class<?>> classes = classes(descriptor);
      if (!classes.isEmpty() && !checked.contains(classes)) {
        Optional<ExtensionConfigurationException> problem;
        try {
          problem = problem(classes);
        } catch (RuntimeException | LinkageError e) {
          problem = Optional.empty(); // a class JUnit cannot read either: JUnit reports it
        }
        if (problem.isPresent()) {
          throw problem.get();
        }
        checked.add(classes); // only once it passed: a launcher asked again stops again
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
   * The class of a class's descriptor, then those of the descriptors it is in: a {@code @Nested}
   * class runs within them, which need not be the classes it is written in (one a subclass
   * inherits runs within the subclass). Empty for any other descriptor.
   */
  private static List<Class<?>> classes(TestDescriptor descriptor) {
    if (!(descriptor.getSource().orElse(null) instanceof ClassSource)) {
      return List.of();
    }
    List<Class<?>> classes = new ArrayList<>();
    for (TestDescriptor level = descriptor; level != null;
        level = level.getParent().orElse(null)) {
      if (level.getSource().orElse(null) instanceof ClassSource source) {
        try {
          classes.add(source.getJavaClass());
        } catch (RuntimeException | LinkageError e) {
          return List.of(); // not this filter's to report
        }
      }
    }
    return classes;
  }

  /**
   * The refusal the extension gives in a class it runs for, saying why the run stops, if a
   * lifecycle method of {@code classes}' first declares isolation and nothing registers the
   * extension for it.
   */
  static Optional<ExtensionConfigurationException> problem(List<Class<?>> classes) {
    // One walk of the hierarchy; most classes have no such method, and are done.
    List<Method> declaring = ReflectionSupport.findMethods(classes.get(0),
        method -> kind(method).isPresent() && PlanReader.declaresIsolation(method),
        HierarchyTraversalMode.TOP_DOWN);
    if (declaring.isEmpty() || registered(classes)) {
      return Optional.empty(); // where it is registered, the extension refuses it, test by test
    }
    Method method = declaring.get(0);
    try {
      PlanReader.refuseOnLifecycleMethod(method, "@" + kind(method).orElseThrow().getSimpleName());
      return Optional.empty();
    } catch (ExtensionConfigurationException e) {
      return Optional.of(new ExtensionConfigurationException(e.getMessage() + ". JUnit applies"
          + " no annotation of a lifecycle method, and no declaration on "
          + classes.get(0).getName() + " (or a class it runs within) runs isolated-mounts for"
          + " all its tests, so the method would run on the host: the test run stops before any"
          + " test", e));
    }
  }

  private static Optional<Class<? extends Annotation>> kind(Method method) {
    return KINDS.stream().filter(kind -> AnnotationSupport.isAnnotated(method, kind)).findFirst();
  }

  /**
   * Whether JUnit registers the extension for the first of {@code classes}: from it or a class
   * it runs within, as JUnit looks for {@code @ExtendWith} (meta-annotations, as this extension's
   * annotations carry it; superclasses; interfaces). The extension is not public: nothing else
   * registers it.
   */
  private static boolean registered(List<Class<?>> classes) {
    return classes.stream()
        .flatMap(level -> AnnotationSupport.findRepeatableAnnotations(level, ExtendWith.class)
            .stream())
        .flatMap(extendWith -> Arrays.stream(extendWith.value()))
        .anyMatch(extension -> extension.getName().equals(EXTENSION));
  }
}

package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.internal.plan.BindSpec;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.MountSpec;
import dev.isolatedmounts.internal.plan.OverlaySpec;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Refuses a {@code @CsvFileSource} file below one of the test's mount targets. JUnit reads the
 * files of an argument source in the test run's JVM, on the host, to know the invocations, where
 * the target shows the host's directory, not the mount: the file is missing there (a bare
 * {@code NoSuchFileException}), or, worse, the host's own is read. Told by the annotation's name:
 * JUnit's parameterized tests are an optional dependency.
 */
public final class ArgumentFiles {

  private static final String CSV_FILE_SOURCE = "org.junit.jupiter.params.provider.CsvFileSource";

  private ArgumentFiles() {}

  /**
   * Refuses such a file of the parameterized test of {@code context}, a template's, in the parent
   * JVM. A declaration that cannot be read is left to each invocation to report, as it does.
   */
  public static void refuseBelowTargets(ExtensionContext context) {
    Optional<MountPlan> plan;
    try {
      plan = Isolation.plan(context);
    } catch (RuntimeException e) {
      return;
    }
    Method method = context.getRequiredTestMethod();
    plan.ifPresent(mounts -> refuseBelowTargets(method, mounts, "method "
        + method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()"));
  }

  /**
   * Refuses such a file of the whole isolated {@code @ParameterizedClass} of {@code context}, a
   * class template's, in the parent JVM.
   */
  public static void refuseBelowClassTargets(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    Isolation.classPlan(context).ifPresent(mounts ->
        refuseBelowTargets(testClass, mounts, "class " + testClass.getSimpleName()));
  }

  /**
   * @param element the parameterized method or class
   * @param plan the mounts its tests declare
   * @param where how a message names the element
   */
  static void refuseBelowTargets(AnnotatedElement element, MountPlan plan, String where) {
    for (Annotation source : csvFileSources(element)) {
      for (String file : files(source)) {
        // JUnit reads a relative file from the working directory, which a target may lie in.
        Path path;
        try {
          path = Path.of(file).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
          continue; // JUnit says what is wrong with it
        }
        Optional<MountSpec> below = plan.mounts().stream()
            .filter(mount -> path.startsWith(mount.target()))
            .reduce((outer, inner) -> inner)
            .filter(mount -> !showsTheHost(mount, path));
        below.ifPresent(mount -> {
          throw new ExtensionConfigurationException("@CsvFileSource(files = \"" + file + "\")"
              + " on " + where + " is read in the test run's JVM, on the host, for JUnit to know"
              + " the invocations, not in the child; and it lies below " + mount.describe()
              + ", which only the child sees: JUnit would read the host's " + path + ", or find"
              + " none. " + fix(mount, path));
        });
      }
    }
  }

  /**
   * Whether the child sees the host's file at {@code path} all the same, when its test starts: an
   * overlay's lower layer is the host's directory; a bind of a directory onto itself (made
   * read-only, say) shows it.
   */
  private static boolean showsTheHost(MountSpec mount, Path path) {
    return mount instanceof OverlaySpec
        || mount instanceof BindSpec bind && inSource(bind, path).equals(path);
  }

  /** Where the bind's source holds what the child sees at {@code path}. */
  private static Path inSource(BindSpec bind, Path path) {
    return Path.of(bind.source()).resolve(Path.of(bind.target()).relativize(path)).normalize();
  }

  private static String fix(MountSpec mount, Path path) {
    if (mount instanceof BindSpec bind) {
      Path source = inSource(bind, path);
      return "Name the file in the bind's source, files = \"" + source + "\", or on the class"
          + " path, with resources = ...";
    }
    return "Name a file outside the mounts, or on the class path, with resources = ...";
  }

  @SuppressWarnings("unchecked")
  private static List<Annotation> csvFileSources(AnnotatedElement element) {
    ClassLoader loader = element instanceof Method method
        ? method.getDeclaringClass().getClassLoader()
        : ((Class<?>) element).getClassLoader();
    try {
      Class<? extends Annotation> type = (Class<? extends Annotation>) Class.forName(
          CSV_FILE_SOURCE, false, loader);
      try {
        return List.copyOf(AnnotationSupport.findRepeatableAnnotations(element, type));
      } catch (RuntimeException notRepeatable) {
        return AnnotationSupport.findAnnotation(element, type).<List<Annotation>>map(List::of)
            .orElse(List.of());
      }
    } catch (ClassNotFoundException | LinkageError e) {
      return List.of(); // no parameterized tests on the class path: nothing to read
    }
  }

  private static List<String> files(Annotation source) {
    try {
      return List.of((String[]) source.annotationType().getMethod("files").invoke(source));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return List.of();
    }
  }
}

package dev.isolatedmounts.internal.junit;

import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * How many invocations a test template will have, where its annotations alone say: a
 * {@code @RepeatedTest}'s repetitions, and a {@code @ParameterizedTest} whose arguments all come
 * from {@code @ValueSource}, {@code @NullSource} and {@code @EmptySource}. Any other source may
 * give any number, known only as its invocations run. A wrong answer costs time, not a result:
 * too few, and the invocations past it start their children when they come; too many, and the
 * template counts until it ends, as an unknown one does.
 */
final class KnownInvocations {

  private static final String PARAMS = "org.junit.jupiter.params.";
  private static final String PARAMETERIZED_TEST = PARAMS + "ParameterizedTest";
  private static final String ARGUMENTS_SOURCE = PARAMS + "provider.ArgumentsSource";
  private static final String VALUE_SOURCE = PARAMS + "provider.ValueSource";
  private static final String NULL_AND_EMPTY_SOURCE = PARAMS + "provider.NullAndEmptySource";
  /** Sources of one argument set each. */
  private static final Set<String> ONE_EACH = Set.of(PARAMS + "provider.NullSource",
      PARAMS + "provider.EmptySource");
  /** Sources the count is read from, and those that only hold them. */
  private static final Set<String> COUNTED = Set.of(VALUE_SOURCE, PARAMS + "provider.ValueSources",
      PARAMS + "provider.NullSource", PARAMS + "provider.EmptySource", NULL_AND_EMPTY_SOURCE);

  private KnownInvocations() {}

  static Optional<Integer> of(Method method) {
    boolean repeated = AnnotationSupport.isAnnotated(method, RepeatedTest.class);
    boolean parameterized = annotated(method, PARAMETERIZED_TEST);
    if (repeated && !parameterized) {
      return AnnotationSupport.findAnnotation(method, RepeatedTest.class).map(RepeatedTest::value);
    }
    return parameterized && !repeated ? parameterized(method) : Optional.empty();
  }

  private static Optional<Integer> parameterized(Method method) {
    ClassLoader loader = method.getDeclaringClass().getClassLoader();
    Class<? extends Annotation> argumentsSource = annotationType(ARGUMENTS_SOURCE, loader);
    Class<? extends Annotation> valueSource = annotationType(VALUE_SOURCE, loader);
    if (argumentsSource == null || valueSource == null) {
      return Optional.empty();
    }
    int count = 0;
    for (Annotation annotation : method.getAnnotations()) {
      String name = annotation.annotationType().getName();
      if (!COUNTED.contains(name)) {
        // Another source, or one composed of the counted ones: not counted.
        if (AnnotationSupport.isAnnotated(annotation.annotationType(), argumentsSource)
            || annotation.annotationType() == argumentsSource
            || name.equals(ARGUMENTS_SOURCE + "s")) {
          return Optional.empty();
        }
      } else if (ONE_EACH.contains(name)) {
        count++;
      } else if (name.equals(NULL_AND_EMPTY_SOURCE)) {
        count += 2;
      }
    }
    List<? extends Annotation> values =
        AnnotationSupport.findRepeatableAnnotations(method, valueSource);
    try {
      for (Annotation value : values) {
        count += values(value);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Optional.empty();
    }
    return count > 0 ? Optional.of(count) : Optional.empty();
  }

  /** All entries of a {@code @ValueSource}: JUnit refuses one with more than one kind set. */
  private static int values(Annotation valueSource) throws ReflectiveOperationException {
    int values = 0;
    for (Method attribute : valueSource.annotationType().getDeclaredMethods()) {
      if (attribute.getReturnType().isArray() && attribute.getParameterCount() == 0) {
        values += Array.getLength(attribute.invoke(valueSource));
      }
    }
    return values;
  }

  private static boolean annotated(Method method, String annotationName) {
    Class<? extends Annotation> type =
        annotationType(annotationName, method.getDeclaringClass().getClassLoader());
    return type != null && AnnotationSupport.isAnnotated(method, type);
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends Annotation> annotationType(String name, ClassLoader loader) {
    try {
      Class<?> type = Class.forName(name, false, loader);
      return type.isAnnotation() ? (Class<? extends Annotation>) type : null;
    } catch (ClassNotFoundException | LinkageError e) {
      return null; // no parameterized tests on this class path
    }
  }
}

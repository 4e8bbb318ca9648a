package dev.isolatedmounts.internal.plan;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Where an annotation was found, worded for error messages: "class KvStoreTest". */
final class Declaration {

  private Declaration() {}

  static String where(AnnotatedElement element) {
    if (element instanceof Method method) {
      String parameters = Arrays.stream(method.getParameterTypes())
          .map(Class::getSimpleName)
          .collect(Collectors.joining(", "));
      return "method " + method.getDeclaringClass().getSimpleName() + "." + method.getName()
          + "(" + parameters + ")";
    }
    if (element instanceof Class<?> type) {
      return "class " + type.getName();
    }
    return String.valueOf(element);
  }

  /**
   * Where {@code annotation}, found on {@code level}, is written: on a class it may come from a
   * superclass or an interface, which is where the user must look for it.
   */
  static String where(AnnotatedElement level, Annotation annotation) {
    if (level instanceof Class<?> type) {
      Class<?> declaring = declaringClass(type, annotation);
      if (declaring != null && declaring != type) {
        String through = through(declaring, annotation);
        return "class " + declaring.getName() + " (inherited by " + type.getSimpleName()
            + (through.isEmpty() ? "" : ", through @" + through) + ")";
      }
    }
    String through = through(level, annotation);
    return where(level) + (through.isEmpty() ? "" : " (through @" + through + ")");
  }

  /**
   * The simple name of the annotation of the user's own that carries {@code annotation} to
   * {@code element}, or empty if it is written there itself: the user looks for {@code @Tmpfs}
   * and sees {@code @WithStore}.
   */
  private static String through(AnnotatedElement element, Annotation annotation) {
    if (Arrays.asList(element.getDeclaredAnnotationsByType(annotation.annotationType()))
        .contains(annotation)) {
      return "";
    }
    for (Annotation present : element.getDeclaredAnnotations()) {
      if (declares(present.annotationType(), annotation, new HashSet<>())) {
        return present.annotationType().getSimpleName();
      }
    }
    return "";
  }

  private static Class<?> declaringClass(Class<?> type, Annotation annotation) {
    if (type == null) {
      return null;
    }
    if (declares(type, annotation, new HashSet<>())) {
      return type;
    }
    Class<?> fromSuperclass = declaringClass(type.getSuperclass(), annotation);
    if (fromSuperclass != null) {
      return fromSuperclass;
    }
    for (Class<?> implemented : type.getInterfaces()) {
      Class<?> fromInterface = declaringClass(implemented, annotation);
      if (fromInterface != null) {
        return fromInterface;
      }
    }
    return null;
  }

  /** Whether {@code element} itself has it: directly, repeated, or on an annotation it has. */
  private static boolean declares(AnnotatedElement element, Annotation annotation,
      Set<Class<?>> seen) {
    if (Arrays.asList(element.getDeclaredAnnotationsByType(annotation.annotationType()))
        .contains(annotation)) {
      return true;
    }
    for (Annotation present : element.getDeclaredAnnotations()) {
      Class<? extends Annotation> type = present.annotationType();
      if (!type.getName().startsWith("java.lang.annotation.") && seen.add(type)
          && declares(type, annotation, seen)) {
        return true;
      }
    }
    return false;
  }
}

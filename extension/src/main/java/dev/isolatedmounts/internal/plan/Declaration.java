package dev.isolatedmounts.internal.plan;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Arrays;
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
}

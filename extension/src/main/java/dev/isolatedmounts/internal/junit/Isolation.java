package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.internal.child.ChildMain;
import dev.isolatedmounts.internal.plan.PlanReader;
import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Answers, for one lifecycle call, where it must run: here, in a child, or nowhere. */
public final class Isolation {

  private Isolation() {}

  /**
   * Whether this JVM is the child running the test of {@code context}, or of a test below it: then
   * every call proceeds, for real.
   */
  public static boolean isChildOf(ExtensionContext context) {
    String test = System.getProperty(ChildMain.TEST_PROPERTY);
    return test != null && test.startsWith(context.getUniqueId());
  }

  /** Whether the test of a method-level context is isolated (its user code runs in a child). */
  public static boolean isIsolatedTest(ExtensionContext context) {
    Optional<Method> method = context.getTestMethod();
    Optional<Class<?>> testClass = context.getTestClass();
    if (testClass.isEmpty()) {
      return false;
    }
    return method.isPresent()
        ? PlanReader.read(testClass.get(), method).isPresent()
        : PlanReader.isolatesWholeClass(testClass.get());
  }

  /** Whether every test of the context's class is isolated, so class-level user code is too. */
  public static boolean isIsolatedClass(ExtensionContext context) {
    return context.getTestClass().map(PlanReader::isolatesWholeClass).orElse(false);
  }
}

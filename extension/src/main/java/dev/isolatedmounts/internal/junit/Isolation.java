package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.internal.child.ChildMain;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.PlanReader;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Answers, for one lifecycle call, where it must run: here, in a child, or nowhere. */
public final class Isolation {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(Isolation.class);

  private Isolation() {}

  /**
   * Whether this JVM is the child running the test of {@code context}, or of a test below it: then
   * every call proceeds, for real.
   */
  public static boolean isChildOf(ExtensionContext context) {
    String test = System.getProperty(ChildMain.TEST_PROPERTY);
    return test != null && test.startsWith(context.getUniqueId());
  }

  /** In the child, as its test method starts: tells the parent, whose JUnit times it from then. */
  public static void testMethodStarts() {
    ChildMain.testMethodStarts();
  }

  /** In the child, as its test method ends: tells the parent, whose JUnit stops timing it. */
  public static void testMethodEnds() {
    ChildMain.testMethodEnds();
  }

  /** Whether the test of a method-level context is isolated (its user code runs in a child). */
  public static boolean isIsolatedTest(ExtensionContext context) {
    return context.getTestMethod().isPresent() ? plan(context).isPresent()
        : isIsolatedClass(context);
  }

  /** Whether every test of the context's class is isolated, so class-level user code is too. */
  public static boolean isIsolatedClass(ExtensionContext context) {
    return classPlan(context).isPresent();
  }

  /** The validated plan the context's class declares for all its tests, if it declares one. */
  static Optional<MountPlan> classPlan(ExtensionContext context) {
    return context.getTestClass().isPresent()
        ? cached(context, "class", () -> PlanReader.read(classes(context), Optional.empty()))
        : Optional.empty();
  }

  /**
   * The classes JUnit runs the context's test class in, outermost first, the test class last: for
   * a {@code @Nested} class inherited from a superclass, the subclass, not the superclass Java
   * declares it in. Until this version such a class's tests ran here, on the host, when only the
   * subclass declared mounts.
   */
  static List<Class<?>> classes(ExtensionContext context) {
    List<Class<?>> classes = new ArrayList<>(context.getEnclosingTestClasses());
    classes.add(context.getRequiredTestClass());
    return List.copyOf(classes);
  }

  /**
   * The validated plan of a method-level context's test, or empty when it is not isolated. Read
   * once per test and kept in its store: the constructor, each lifecycle method and the test
   * method all ask.
   */
  static Optional<MountPlan> plan(ExtensionContext context) {
    Optional<Method> method = context.getTestMethod();
    if (method.isEmpty() || context.getTestClass().isEmpty()) {
      return Optional.empty();
    }
    return cached(context, "method", () -> PlanReader.read(classes(context), method));
  }

  @SuppressWarnings("unchecked")
  private static Optional<MountPlan> cached(ExtensionContext context, String level,
      Supplier<Optional<MountPlan>> read) {
    // get and put, not computeIfAbsent: the extension also runs on JUnit 5.
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    String key = level + ":" + context.getUniqueId();
    Optional<MountPlan> plan = store.get(key, Optional.class);
    if (plan == null) {
      plan = read.get();
      store.put(key, plan);
    }
    return plan;
  }
}

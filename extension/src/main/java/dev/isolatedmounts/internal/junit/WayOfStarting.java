package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.PlanReader;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

/**
 * What of the way a test's child is started its own declarations decide (the rest, such as the
 * configured JVM options, is the same for every test of a run): a child started ahead one way
 * serves no test started another.
 */
record WayOfStarting(Propagation propagation, boolean readOnlyRoot, boolean trapExit,
    List<String> jvmArguments) {

  /**
   * The way of an isolated test, from its annotations alone (a declaration that fails validation
   * fails its test before any child starts); empty if it is not isolated.
   */
  static Optional<WayOfStarting> of(Class<?> testClass, Method method) {
    return of(PlanReader.enclosingFirst(testClass), method);
  }

  /** Like {@link #of(Class, Method)}, for a test class run within {@code classes}. */
  static Optional<WayOfStarting> of(List<Class<?>> classes, Method method) {
    return PlanReader.declaredSettings(classes, Optional.of(method)).map(plan -> of(plan,
        PlanReader.jvmArguments(classes, Optional.of(method))));
  }

  static WayOfStarting of(MountPlan plan, List<String> jvmArguments) {
    return new WayOfStarting(plan.propagation(), plan.readOnlyRoot(), plan.trapExit(),
        List.copyOf(jvmArguments));
  }
}

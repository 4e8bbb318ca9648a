package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.internal.plan.PlanReader;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * The isolated tests of a launcher session that have not started yet, read from the test plan,
 * so that no child is started ahead for a test that will not come: a run of one test (an IDE's
 * "run this test") would start two JVMs, and every run one more at its end.
 *
 * <p>A parameterized or repeated test counts until its container finishes: its invocations are
 * not in the plan. A session that has run more than one execution is taken to run more (Surefire
 * with {@code forkCount} above one executes each class on its own): from its second execution
 * on, a child is always started ahead, as it is when no plan could be read.
 */
final class PendingTests implements TestExecutionListener {

  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final AtomicInteger executions = new AtomicInteger();
  private volatile TestPlan plan;
  /** Set if a plan could not be read: then a next test may always come. */
  private volatile boolean unknown;

  /** Whether an isolated test may still come after those that have started. */
  boolean nextMayCome() {
    return unknown || executions.get() != 1 || !pending.isEmpty();
  }

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    executions.incrementAndGet();
    plan = testPlan;
    try {
      Map<Class<?>, ClassIsolation> classes = new HashMap<>();
      for (TestIdentifier root : testPlan.getRoots()) {
        for (TestIdentifier identifier : testPlan.getDescendants(root)) {
          if (isolated(identifier, classes)) {
            pending.add(identifier.getUniqueId());
          }
        }
      }
    } catch (RuntimeException | LinkageError e) {
      unknown = true; // this is an optimization: it must never fail a run
    }
  }

  @Override
  public void executionStarted(TestIdentifier identifier) {
    if (identifier.isTest()) {
      pending.remove(identifier.getUniqueId());
    }
  }

  @Override
  public void executionSkipped(TestIdentifier identifier, String reason) {
    removeWithDescendants(identifier);
  }

  /** A container ends with its tests, also those it never ran (its {@code @BeforeAll} failed). */
  @Override
  public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
    if (identifier.isContainer()) {
      removeWithDescendants(identifier);
    } else {
      pending.remove(identifier.getUniqueId());
    }
  }

  private void removeWithDescendants(TestIdentifier identifier) {
    pending.remove(identifier.getUniqueId());
    TestPlan current = plan;
    if (current != null && !pending.isEmpty()) {
      try {
        current.getDescendants(identifier).forEach(below -> pending.remove(below.getUniqueId()));
      } catch (RuntimeException e) {
        unknown = true;
      }
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    pending.clear();
  }

  /**
   * Whether the test (or test template) runs in a child, as {@link Isolation#isIsolatedTest}
   * decides it. A declaration that cannot be read fails its test before any child starts.
   */
  private static boolean isolated(TestIdentifier identifier,
      Map<Class<?>, ClassIsolation> classes) {
    Optional<TestSource> source = identifier.getSource();
    if (source.isEmpty() || !(source.get() instanceof MethodSource methodSource)) {
      return false;
    }
    try {
      Class<?> testClass = methodSource.getJavaClass();
      ClassIsolation isolation = classes.computeIfAbsent(testClass, ClassIsolation::of);
      if (isolation.wholeClass()) {
        return true;
      }
      if (!isolation.someMethods()) {
        return false;
      }
      Method method = methodSource.getJavaMethod();
      return PlanReader.read(testClass, Optional.of(method)).isPresent();
    } catch (RuntimeException invalidOrNotFound) {
      return false;
    }
  }

  /** Read once per class: most classes of a suite isolate nothing, and need no more reading. */
  private record ClassIsolation(boolean wholeClass, boolean someMethods) {

    static ClassIsolation of(Class<?> testClass) {
      boolean whole;
      try {
        whole = PlanReader.isolatesWholeClass(testClass);
      } catch (RuntimeException invalid) {
        whole = false;
      }
      return new ClassIsolation(whole, !whole && !ReflectionSupport.findMethods(testClass,
          PlanReader::declaresIsolation, HierarchyTraversalMode.TOP_DOWN).isEmpty());
    }
  }
}

package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.internal.plan.PlanReader;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * The isolated tests of a launcher session that have not started yet, read from the test plan,
 * so that no child is started ahead for a test that will not come: a run of one test (an IDE's
 * "run this test") would start two JVMs, and every run one more at its end.
 *
 * <p>The plan is read when an isolated test first asks, so a run without one pays nothing; what
 * has run before that is remembered until then. A parameterized or repeated test, and a
 * parameterized class, count until their container ends: their invocations are not in the plan.
 * A session that has run more than one execution is taken to run more (Surefire with {@code
 * forkCount} above one executes each class on its own): from its second execution on, a child is
 * always started ahead, as it is when the plan could not be read.
 */
final class PendingTests implements TestExecutionListener {

  /** Jupiter's unique id segment of a {@code @ParameterizedClass} (a class template). */
  private static final String CLASS_TEMPLATE = "class-template";

  private final Set<String> pending = new HashSet<>();
  /** Tests started and containers ended or skipped before the plan was read. */
  private final List<TestIdentifier> doneBeforeRead = new ArrayList<>();
  private int executions;
  private TestPlan plan;
  private boolean read;
  /** Set if the plan could not be read: then a next test may always come. */
  private boolean unknown;

  /** Whether an isolated test may still come after those that have started. */
  synchronized boolean nextMayCome() {
    if (executions != 1) {
      return true;
    }
    if (!read) {
      read();
    }
    return unknown || !pending.isEmpty();
  }

  @Override
  public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
    executions++;
    plan = testPlan;
    read = false;
    unknown = false;
    pending.clear();
    doneBeforeRead.clear();
  }

  @Override
  public synchronized void executionStarted(TestIdentifier identifier) {
    if (identifier.isTest()) {
      done(identifier);
    }
  }

  @Override
  public synchronized void executionSkipped(TestIdentifier identifier, String reason) {
    done(identifier);
  }

  /** A container ends with its tests, also those it never ran (its {@code @BeforeAll} failed). */
  @Override
  public synchronized void executionFinished(TestIdentifier identifier,
      TestExecutionResult result) {
    if (identifier.isContainer()) {
      done(identifier);
    }
  }

  /** The plan, and all it refers to, is not kept for the rest of the session. */
  @Override
  public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
    plan = null;
    read = true;
    pending.clear();
    doneBeforeRead.clear();
  }

  private void done(TestIdentifier identifier) {
    if (!read) {
      doneBeforeRead.add(identifier);
      return;
    }
    pending.remove(identifier.getUniqueId());
    if (identifier.isContainer() && plan != null && !pending.isEmpty()) {
      plan.getDescendants(identifier).forEach(below -> pending.remove(below.getUniqueId()));
    }
  }

  private void read() {
    read = true;
    try {
      Map<Class<?>, ClassIsolation> classes = new HashMap<>();
      for (TestIdentifier root : plan.getRoots()) {
        for (TestIdentifier identifier : plan.getDescendants(root)) {
          if (isolated(identifier, classes)) {
            pending.add(identifier.getUniqueId());
          }
        }
      }
      doneBeforeRead.forEach(this::done);
    } catch (RuntimeException | LinkageError e) {
      unknown = true; // this is an optimization: it must never fail a run
    }
    doneBeforeRead.clear();
  }

  /**
   * Whether the test, or the template whose invocations are not in the plan yet, runs in a child,
   * as {@link Isolation#isIsolatedTest} decides it. A declaration that cannot be read fails its
   * test before any child starts; a class that cannot be loaded is no test of this extension's.
   */
  private boolean isolated(TestIdentifier identifier, Map<Class<?>, ClassIsolation> classes) {
    Optional<TestSource> source = identifier.getSource();
    try {
      if (source.isPresent() && source.get() instanceof MethodSource methodSource) {
        ClassIsolation isolation = classes.computeIfAbsent(methodSource.getJavaClass(),
            ClassIsolation::of);
        if (!isolation.wholeClass() && !isolation.someMethods()) {
          return false;
        }
        Method method = methodSource.getJavaMethod();
        if (AnnotationSupport.isAnnotated(method, TestFactory.class)) {
          return false; // its dynamic tests cannot be isolated: it fails in this JVM
        }
        return isolation.wholeClass()
            || PlanReader.read(methodSource.getJavaClass(), Optional.of(method)).isPresent();
      }
      // A parameterized class: the tests of its invocations are added to the plan as each runs.
      // It is told by its unique id (the plan read may already hold some invocations).
      return identifier.isContainer() && source.isPresent()
          && source.get() instanceof ClassSource classSource
          && identifier.getUniqueIdObject().getLastSegment().getType().equals(CLASS_TEMPLATE)
          && classes.computeIfAbsent(classSource.getJavaClass(), ClassIsolation::of).any();
    } catch (RuntimeException | LinkageError invalidOrNotFound) {
      return false;
    }
  }

  /** Read once per class: most classes of a suite isolate nothing, and need no more reading. */
  private record ClassIsolation(boolean wholeClass, boolean someMethods, boolean nested) {

    static ClassIsolation of(Class<?> testClass) {
      boolean whole;
      try {
        whole = PlanReader.isolatesWholeClass(testClass);
      } catch (RuntimeException invalid) {
        whole = false;
      }
      return new ClassIsolation(whole, !whole && !ReflectionSupport.findMethods(testClass,
          PlanReader::declaresIsolation, HierarchyTraversalMode.TOP_DOWN).isEmpty(),
          testClass.getDeclaredClasses().length > 0);
    }

    /** Whether a test of the class, or of a class nested in it, may be isolated. */
    boolean any() {
      return wholeClass || someMethods || nested;
    }
  }
}

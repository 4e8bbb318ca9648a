package dev.isolatedmounts.internal.junit;

import dev.isolatedmounts.internal.plan.PlanReader;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.commons.annotation.Testable;
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
 * with the way each one's child is started, so that no child is started ahead for a test that
 * will not come: a run of one test (an IDE's "run this test") would start two JVMs, and every run
 * one more at its end, and one for each way of starting whose last test came before others.
 *
 * <p>The plan is read when an isolated test first asks, so a run without one pays nothing; what
 * has run before that is remembered until then. The invocations of a parameterized or repeated
 * test are not in the plan: it counts until its last invocation starts where its annotations say
 * which that is ({@link KnownInvocations}), else until its container ends, as a parameterized
 * class does. A session that has run more than one execution is taken to run more (Surefire with
 * {@code forkCount} above one executes each class on its own): from its second execution on, a
 * child is always started ahead, as it is when the plan could not be read.
 *
 * <p>It also says when fewer tests may come than a child may have been started ahead for: a
 * test skipped (disabled, or by a condition), a container ended whose tests never started (its
 * {@code @BeforeAll} failed, a single invocation was selected), a test ended without taking its
 * child (another extension failed it first). It says so only while no test runs, since a test
 * that has started counts no more but may still be about to take its child: so in a sequential
 * run between any two tests, and rarely under parallel execution, where a child started ahead
 * for nothing waits out its limit as before.
 */
final class PendingTests implements TestExecutionListener {

  /**
   * How Jupiter's unique id segments of a {@code @ParameterizedClass} (a class template) end:
   * {@code class-template}, {@code nested-class-template}.
   */
  private static final String CLASS_TEMPLATE = "class-template";
  /** Each pending test's way of starting ({@link ClassTemplateWays} for a parameterized class). */
  private final Map<String, Object> pending = new HashMap<>();
  private final Map<Object, Integer> pendingPerWay = new HashMap<>();
  /** The pending templates among them, whose invocations are not counted: any number may come. */
  private final Set<String> templates = new HashSet<>();
  private final Map<Object, Integer> templatesPerWay = new HashMap<>();
  /**
   * The last invocation's segment ({@code #3}) of each pending template whose number of
   * invocations its annotations say ({@link KnownInvocations}): when that one starts, no other
   * comes.
   */
  private final Map<String, String> lastInvocations = new HashMap<>();
  /** Tests started and containers ended or skipped before the plan was read. */
  private final List<TestIdentifier> doneBeforeRead = new ArrayList<>();
  private int executions;
  /** Tests started and not finished yet in this execution. */
  private int testsRunning;
  /** Told, outside this object's lock, that fewer tests may come and none runs. */
  private final Runnable fewer;
  private TestPlan plan;
  private boolean read;
  /** Set if the plan could not be read: then a next test may always come. */
  private boolean unknown;

  /** Tells no one when fewer tests may come. */
  PendingTests() {
    this(() -> { });
  }

  /**
   * Runs {@code fewer} when fewer tests may have come to be pending while none runs, on the
   * thread that reports it, after this object's own lock is released.
   */
  PendingTests(Runnable fewer) {
    this.fewer = fewer;
  }

  /**
   * How many isolated tests whose child is started {@code way} may still come after those that
   * have started: {@link Integer#MAX_VALUE} where that is not known (a template's invocations, a
   * plan not read, a later execution).
   */
  synchronized int mayCome(WayOfStarting way) {
    if (executions != 1) {
      return Integer.MAX_VALUE;
    }
    if (!read) {
      read();
    }
    if (unknown || templatesPerWay.containsKey(way) || templatesPerWay.keySet().stream()
        .anyMatch(key -> key instanceof ClassTemplateWays ways && ways.includes(way))) {
      return Integer.MAX_VALUE;
    }
    return pendingPerWay.getOrDefault(way, 0);
  }

  /**
   * Like {@link #mayCome}, but only while no test runs (see the class comment): empty once one
   * has started since {@code fewer} was told, which may be about to take its child.
   */
  synchronized OptionalInt mayComeWhileNoneRuns(WayOfStarting way) {
    return settled() ? OptionalInt.of(mayCome(way)) : OptionalInt.empty();
  }

  @Override
  public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
    executions++;
    testsRunning = 0;
    plan = testPlan;
    read = false;
    unknown = false;
    clear();
  }

  private void clear() {
    pending.clear();
    pendingPerWay.clear();
    templates.clear();
    templatesPerWay.clear();
    lastInvocations.clear();
    doneBeforeRead.clear();
  }

  @Override
  public synchronized void executionStarted(TestIdentifier identifier) {
    if (identifier.isTest()) {
      testsRunning++;
      done(identifier);
    }
  }

  @Override
  public void executionSkipped(TestIdentifier identifier, String reason) {
    boolean settled;
    synchronized (this) {
      done(identifier);
      settled = settled();
    }
    if (settled) {
      fewer.run();
    }
  }

  /**
   * A container ends with its tests, also those it never ran (its {@code @BeforeAll} failed); a
   * test that ends has taken its child, or never will.
   */
  @Override
  public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
    boolean settled;
    synchronized (this) {
      if (identifier.isContainer()) {
        done(identifier);
      }
      if (identifier.isTest() && testsRunning > 0) {
        testsRunning--; // also a node that is both, as another engine's may be
      }
      settled = settled();
    }
    if (settled) {
      fewer.run();
    }
  }

  /**
   * Whether the counts are known and no test runs that may still take a child: a test counts no
   * more once it has started, but takes its child a moment later.
   */
  private boolean settled() {
    return executions == 1 && read && !unknown && testsRunning == 0;
  }

  /** The plan, and all it refers to, is not kept for the rest of the session. */
  @Override
  public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
    plan = null;
    read = true;
    clear();
  }

  private void done(TestIdentifier identifier) {
    if (!read) {
      doneBeforeRead.add(identifier);
      return;
    }
    remove(identifier);
    if (identifier.isTest() && !lastInvocations.isEmpty()) {
      identifier.getParentId().ifPresent(template -> {
        if (identifier.getUniqueIdObject().getLastSegment().getValue()
            .equals(lastInvocations.get(template))) {
          lastInvocations.remove(template);
          remove(template);
        }
      });
    }
    if (identifier.isContainer() && plan != null && !pending.isEmpty()) {
      try {
        plan.getDescendants(identifier).forEach(this::remove);
      } catch (RuntimeException e) {
        unknown = true; // this is an optimization: it must never fail a run
      }
    }
  }

  private void add(TestIdentifier identifier, Object way) {
    if (pending.put(identifier.getUniqueId(), way) == null) {
      pendingPerWay.merge(way, 1, Integer::sum);
      if (identifier.isContainer() && templates.add(identifier.getUniqueId())) {
        templatesPerWay.merge(way, 1, Integer::sum);
      }
    }
  }

  private void remove(TestIdentifier identifier) {
    remove(identifier.getUniqueId());
  }

  private void remove(String uniqueId) {
    Object way = pending.remove(uniqueId);
    if (way != null) {
      pendingPerWay.computeIfPresent(way, (key, count) -> count == 1 ? null : count - 1);
      if (templates.remove(uniqueId)) {
        templatesPerWay.computeIfPresent(way, (key, count) -> count == 1 ? null : count - 1);
      }
    }
  }

  private void read() {
    read = true;
    try {
      Map<List<Class<?>>, ClassIsolation> classes = new HashMap<>();
      for (TestIdentifier root : plan.getRoots()) {
        for (TestIdentifier identifier : plan.getDescendants(root)) {
          wayIfIsolated(identifier, classes).ifPresent(way -> {
            add(identifier, way);
            lastInvocation(identifier).ifPresent(last ->
                lastInvocations.put(identifier.getUniqueId(), last));
          });
        }
      }
      doneBeforeRead.forEach(this::done);
    } catch (RuntimeException | LinkageError e) {
      unknown = true; // this is an optimization: it must never fail a run
    }
    doneBeforeRead.clear();
  }

  /** The segment value of a template's last invocation, where its annotations say which. */
  private static Optional<String> lastInvocation(TestIdentifier identifier) {
    if (identifier.isContainer() && identifier.getSource().orElse(null)
        instanceof MethodSource methodSource) {
      return KnownInvocations.of(methodSource.getJavaMethod()).map(count -> "#" + count);
    }
    return Optional.empty();
  }

  /**
   * How the child of the test, or of the template whose invocations are not in the plan yet, is
   * started, if it runs in one, as {@link Isolation#isIsolatedTest} decides it. A declaration
   * that cannot be read fails its test before any child starts; a class that cannot be loaded is
   * no test of this extension's.
   */
  private Optional<Object> wayIfIsolated(TestIdentifier identifier,
      Map<List<Class<?>>, ClassIsolation> classes) {
    Optional<TestSource> source = identifier.getSource();
    try {
      if (source.isPresent() && source.get() instanceof MethodSource methodSource) {
        List<Class<?>> chain = classes(identifier, methodSource.getJavaClass());
        ClassIsolation isolation = classes.computeIfAbsent(chain, ClassIsolation::of);
        if (!isolation.wholeClass() && !isolation.someMethods()) {
          return Optional.empty();
        }
        Method method = methodSource.getJavaMethod();
        if (AnnotationSupport.isAnnotated(method, TestFactory.class)) {
          return Optional.empty(); // its dynamic tests cannot be isolated: it fails in this JVM
        }
        return WayOfStarting.of(chain, method).map(Object.class::cast);
      }
      // A parameterized class: the tests of its invocations are added to the plan as each runs.
      // It is told by its unique id (the plan read may already hold some invocations).
      if (identifier.isContainer() && source.isPresent()
          && source.get() instanceof ClassSource classSource
          && identifier.getUniqueIdObject().getLastSegment().getType().endsWith(CLASS_TEMPLATE)) {
        List<Class<?>> chain = classes(identifier, classSource.getJavaClass());
        if (classes.computeIfAbsent(chain, ClassIsolation::of).any()) {
          return Optional.of(ClassTemplateWays.of(chain));
        }
      }
    } catch (RuntimeException | LinkageError invalidOrNotFound) {
      // not a test whose child will start
    }
    return Optional.empty();
  }

  /**
   * The classes the plan runs {@code testClass} in, outermost first, ending with it: its
   * containers' classes, which differ from Java's enclosing classes for a {@code @Nested} class
   * inherited from a superclass (see {@link Isolation#classes}). Java's where the plan says
   * otherwise.
   */
  private List<Class<?>> classes(TestIdentifier identifier, Class<?> testClass) {
    Deque<Class<?>> classes = new ArrayDeque<>();
    // Up to Jupiter's engine: a suite above it has a class of its own, not an enclosing one.
    for (Optional<TestIdentifier> level = Optional.of(identifier); level.isPresent()
        && !level.get().getUniqueIdObject().getLastSegment().getType().equals("engine");
        level = plan.getParent(level.get())) {
      if (level.get().getSource().orElse(null) instanceof ClassSource classSource
          && (classes.isEmpty() || classes.peekFirst() != classSource.getJavaClass())) {
        classes.addFirst(classSource.getJavaClass()); // a template and its invocation: once
      }
    }
    return !classes.isEmpty() && classes.peekLast() == testClass ? List.copyOf(classes)
        : PlanReader.enclosingFirst(testClass);
  }

  /**
   * The ways of starting of a parameterized class's isolated tests, its {@code @Nested} classes'
   * included: its invocations' tests are not in the plan, but their ways are in its methods. A
   * way none of them has need not wait for it. A method whose way cannot be read (a declaration
   * its test will fail on) makes it count for every way.
   */
  private record ClassTemplateWays(Set<WayOfStarting> ways, boolean everyWay) {

    static ClassTemplateWays of(List<Class<?>> classes) {
      Set<WayOfStarting> ways = new HashSet<>();
      boolean read = add(classes, ways);
      return new ClassTemplateWays(ways, !read);
    }

    boolean includes(WayOfStarting way) {
      return everyWay || ways.contains(way);
    }

    /** Whether every test method's way was read. */
    private static boolean add(List<Class<?>> classes, Set<WayOfStarting> ways) {
      Class<?> testClass = classes.get(classes.size() - 1);
      boolean read = true;
      for (Method method : ReflectionSupport.findMethods(testClass,
          method -> AnnotationSupport.isAnnotated(method, Testable.class)
              && !AnnotationSupport.isAnnotated(method, TestFactory.class),
          HierarchyTraversalMode.TOP_DOWN)) {
        try {
          WayOfStarting.of(classes, method).ifPresent(ways::add);
        } catch (RuntimeException | LinkageError invalid) {
          read = false;
        }
      }
      for (Class<?> inner : testClass.getDeclaredClasses()) {
        if (AnnotationSupport.isAnnotated(inner, Nested.class)) {
          read &= add(with(classes, inner), ways);
        }
      }
      return read;
    }
  }

  /**
   * Read once per class, from the annotations alone: most classes of a suite isolate nothing,
   * and need no more reading.
   */
  private record ClassIsolation(boolean wholeClass, boolean someMethods, boolean nested) {

    /** Of the last of {@code classes}, run within the others. */
    static ClassIsolation of(List<Class<?>> classes) {
      Class<?> testClass = classes.get(classes.size() - 1);
      boolean whole = PlanReader.declaredSettings(classes, Optional.empty()).isPresent();
      boolean someMethods = !whole && !ReflectionSupport.findMethods(testClass,
          PlanReader::declaresIsolation, HierarchyTraversalMode.TOP_DOWN).isEmpty();
      boolean nested = Arrays.stream(testClass.getDeclaredClasses())
          .filter(inner -> AnnotationSupport.isAnnotated(inner, Nested.class))
          .anyMatch(inner -> of(with(classes, inner)).any());
      return new ClassIsolation(whole, someMethods, nested);
    }

    /** Whether a test of the class, or of a {@code @Nested} class in it, may be isolated. */
    boolean any() {
      return wholeClass || someMethods || nested;
    }
  }

  private static List<Class<?>> with(List<Class<?>> classes, Class<?> inner) {
    List<Class<?>> longer = new ArrayList<>(classes);
    longer.add(inner);
    return List.copyOf(longer);
  }
}

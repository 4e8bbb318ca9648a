package dev.isolatedmounts.internal.junit;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.Bind;
import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.Tmpfs;
import dev.isolatedmounts.internal.plan.MountPlan;
import dev.isolatedmounts.internal.plan.PlanReader;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * What {@link PendingTests} answers as each test of a real run starts (its isolated tests run in
 * children): whether an isolated test may come after it, so that a child is started ahead.
 */
@DisplayName("The isolated tests still to come")
class PendingTestsTests {

  private static final String TARGET = "/var/lib/isolated-mounts-pending-tests";
  private static final String BIND_SOURCE = "/tmp/isolated-mounts-pending-tests-bind-source";
  private static final WayOfStarting DEFAULT_WAY =
      new WayOfStarting(Propagation.PRIVATE, false, false, List.of());
  /** Any number may come: a template's invocations, or a plan that tells nothing. */
  private static final int ANY = Integer.MAX_VALUE;

  @Test
  @DisplayName("end with the last isolated test to start; skipped ones and plain ones do not count")
  void lastIsolatedTest() {
    assertThat(answers(MixedTestCase.class)).containsExactly(
        entry("plainFirst()", 3),
        entry("isolated()", 2), // the disabled one may come, until it is skipped
        entry("isolatedLast()", 0), // the disabled one between them was skipped
        entry("plainLast()", 0));
  }

  @Test
  @DisplayName("end for each way of starting with its own last test")
  void waysOfStarting() {
    assertThat(answers(WaysTestCase.class)).containsExactly(
        entry("first()", 1),
        entry("firstOtherWay()", 1),
        entry("last()", 0), // a test started another way comes, but none started this way
        entry("lastOtherWay()", 0));
  }

  @Test
  @DisplayName("count a parameterized test until its container ends: its invocations are unknown")
  void parameterizedTest() {
    assertThat(answers(ParameterizedTestCase.class)).containsExactly(
        entry("parameterized(int)[1]", ANY),
        entry("parameterized(int)[2]", 1), // the last of its values: last() is still to come
        entry("last()", 0));
  }

  @Test
  @DisplayName("end a template with its last invocation where its annotations say which")
  void knownInvocations() {
    assertThat(answers(KnownInvocationsTestCase.class)).containsExactly(
        entry("first()", ANY),
        entry("repeated()[1]", ANY),
        entry("repeated()[2]", ANY), // values() has not started
        entry("values(int)[1]", ANY),
        entry("values(int)[2]", 0));
  }

  @Test
  @DisplayName("count a template whose invocations only its source knows until it ends")
  void unknownInvocations() {
    assertThat(answers(UnknownInvocationsTestCase.class)).containsExactly(
        entry("first()", ANY),
        entry("fromMethod(int)[1]", ANY),
        entry("fromMethod(int)[2]", ANY));
  }

  @Test
  @DisplayName("count a parameterized class until it ends: its tests are not in the plan")
  void parameterizedClass() {
    assertThat(answers(ParameterizedClassTestCase.class)).containsExactly(
        entry("first()[1]", ANY), entry("second()[1]", ANY),
        entry("first()[2]", ANY), entry("second()[2]", ANY));
  }

  @Test
  @DisplayName("count a parameterized class only for the ways of starting of its tests")
  void parameterizedClassWays() {
    try (LauncherSession session = LauncherFactory.openSession(withoutSessionListeners())) {
      assertThat(execute(session, new PendingTests(), 0, OtherWayBeforeTestCase.class,
          ParameterizedClassTestCase.class)).containsExactly(
          entry("otherWay()", 0), // no test of the parameterized class is started its way
          entry("first()[1]", ANY), entry("second()[1]", ANY),
          entry("first()[2]", ANY), entry("second()[2]", ANY));
    }
  }

  @Test
  @DisplayName("count a @Nested parameterized class until it ends")
  void nestedParameterizedClass() {
    assertThat(answers(OuterTestCase.class)).extracting(Map.Entry::getValue)
        .containsExactly(ANY, ANY, ANY);
  }

  /**
   * The plan is read when the first isolated test asks, before the source of a later test's
   * {@code @Bind} exists: whether that test comes must not depend on the files of that moment.
   */
  @Test
  @DisplayName("count a test whose @Bind source does not exist yet when the plan is read")
  void bindSourceMadeLater() throws IOException {
    deleteBindSource();
    try {
      assertThat(answers(BindTestCase.class)).containsExactly(
          entry("first()", 1),
          entry("createsBindSource()", 1),
          entry("bound()", 0));
    } finally {
      deleteBindSource();
    }
  }

  private static void deleteBindSource() throws IOException {
    Files.deleteIfExists(Path.of(BIND_SOURCE));
  }

  @Test
  @DisplayName("count the tests of a @Nested class inherited from a superclass by the subclass's"
      + " declarations, as JUnit runs them")
  void inheritedNestedClass() {
    assertThat(answers(SubclassTestCase.class)).containsExactly(
        entry("own()", 2), entry("first()", 1), entry("second()", 0));
  }

  @Test
  @DisplayName("end with a class whose set-up failed: its isolated tests will not come")
  void failedSetUp() {
    try (LauncherSession session = LauncherFactory.openSession(withoutSessionListeners())) {
      assertThat(execute(session, new PendingTests(), 1, FailingSetUpTestCase.class,
          AfterTestCase.class)).containsExactly(entry("after()", 0));
    }
  }

  /**
   * Told after each test or container that ends, or is skipped, while none runs: the pool then
   * ends the children beyond what may come. Not as a test starts, which counts no more then but
   * has yet to take its child.
   */
  @Test
  @DisplayName("tell when fewer may come, and no test runs that may still take a child")
  void fewer() {
    List<String> told = new ArrayList<>();
    List<String> running = new ArrayList<>();
    PendingTests[] pending = new PendingTests[1];
    pending[0] = new PendingTests(() -> told.add(running.size() + " running, "
        + pending[0].mayCome(DEFAULT_WAY) + " may come"));
    // Listed after pending: the launcher tells of an end in reverse order, so this has seen a
    // test end when pending tells of it.
    TestExecutionListener tests = new TestExecutionListener() {
      @Override
      public void executionStarted(TestIdentifier identifier) {
        if (identifier.isTest()) {
          running.add(identifier.getUniqueId());
        }
      }

      @Override
      public void executionFinished(TestIdentifier identifier,
          org.junit.platform.engine.TestExecutionResult result) {
        running.remove(identifier.getUniqueId());
      }
    };
    try (LauncherSession session = LauncherFactory.openSession(withoutSessionListeners())) {
      SummaryGeneratingListener summary = new SummaryGeneratingListener();
      session.getLauncher().execute(LauncherDiscoveryRequestBuilder.request()
          .selectors(DiscoverySelectors.selectClass(MixedTestCase.class),
              DiscoverySelectors.selectClass(FailingSetUpTestCase.class))
          .configurationParameter("junit.jupiter.testclass.order.default",
              ClassOrderer.OrderAnnotation.class.getName())
          .build(), pending[0], tests, new TestExecutionListener() {
            @Override
            public void executionStarted(TestIdentifier identifier) {
              pending[0].mayCome(DEFAULT_WAY); // as an isolated test asks, which reads the plan
            }
          }, summary);
      assertThat(summary.getSummary().getTotalFailureCount()).as("failures").isEqualTo(1);
    }
    assertThat(told).containsExactly(
        "0 running, 3 may come", // FailingSetUpTestCase, first, ended: its test will not come
        "0 running, 3 may come", // after plainFirst()
        "0 running, 2 may come", // after isolated()
        "0 running, 1 may come", // isolatedSkipped() skipped
        "0 running, 0 may come", // after isolatedLast()
        "0 running, 0 may come", // after plainLast()
        "0 running, 0 may come", // MixedTestCase ended
        "0 running, 0 may come"); // the engine ended
  }

  @Test
  @DisplayName("are any number from a session's second execution on, as more may follow")
  void secondExecution() {
    PendingTests pending = new PendingTests();
    try (LauncherSession session = LauncherFactory.openSession(withoutSessionListeners())) {
      execute(session, pending, 0, MixedTestCase.class);
      assertThat(pending.mayCome(DEFAULT_WAY)).as("after the first execution").isZero();
      List<Map.Entry<String, Integer>> second = execute(session, pending, 0, MixedTestCase.class);
      assertThat(second).as("during the second").extracting(Map.Entry::getValue)
          .containsOnly(ANY);
      assertThat(pending.mayCome(DEFAULT_WAY)).as("after the second").isEqualTo(ANY);
    }
  }

  /**
   * The listener reads a test's way from its annotations; the test itself, from its validated
   * plan: the two must agree, or a test would find no child started ahead for it.
   */
  @Test
  @DisplayName("read each isolated test's way of starting as the test itself does")
  void wayAsTheTestReadsIt() {
    List<Class<?>> classes = List.of(MixedTestCase.class, WaysTestCase.class,
        SettingsTestCase.class, SettingsTestCase.NestedTestCase.class,
        OuterTestCase.InnerTestCase.class, ParameterizedTestCase.class);
    int isolated = 0;
    for (Class<?> testClass : classes) {
      for (Method method : testClass.getDeclaredMethods()) {
        Optional<MountPlan> plan = PlanReader.read(testClass, Optional.of(method));
        assertThat(WayOfStarting.of(testClass, method)).as("%s", method)
            .isEqualTo(plan.map(validated -> WayOfStarting.of(validated,
                PlanReader.jvmArguments(testClass, Optional.of(method)))));
        isolated += plan.isPresent() ? 1 : 0;
      }
    }
    assertThat(isolated).as("isolated methods compared").isGreaterThan(10);
  }

  @Test
  @DisplayName("are unknown, so always may come, before any plan was seen")
  void noPlan() {
    assertThat(new PendingTests().mayCome(DEFAULT_WAY)).isEqualTo(ANY);
  }

  private static List<Map.Entry<String, Integer>> answers(Class<?> testClass) {
    try (LauncherSession session = LauncherFactory.openSession(withoutSessionListeners())) {
      return execute(session, new PendingTests(), 0, testClass);
    }
  }

  /** A plain test asks as an isolated test with no declaration of its own would. */
  private static WayOfStarting wayOf(TestIdentifier identifier) {
    MethodSource source = (MethodSource) identifier.getSource().orElseThrow();
    return WayOfStarting.of(source.getJavaClass(), source.getJavaMethod())
        .orElse(DEFAULT_WAY);
  }

  /** The pool of SessionPool is left out: this test's own PendingTests is the one asked. */
  private static LauncherConfig withoutSessionListeners() {
    return LauncherConfig.builder().enableLauncherSessionListenerAutoRegistration(false).build();
  }

  /**
   * Each test's name (as build tools report it), with what {@code pending} answered as it
   * started; the classes run in their {@code @Order}.
   */
  private static List<Map.Entry<String, Integer>> execute(LauncherSession session,
      PendingTests pending, int failures, Class<?>... testClasses) {
    List<Map.Entry<String, Integer>> answers = new ArrayList<>();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    // Listeners are told in their order: pending first, then the probe asks it.
    session.getLauncher().execute(LauncherDiscoveryRequestBuilder.request()
        .selectors(Stream.of(testClasses).map(DiscoverySelectors::selectClass).toList())
        .configurationParameter("junit.jupiter.testclass.order.default",
            ClassOrderer.OrderAnnotation.class.getName())
        .build(), pending, new TestExecutionListener() {
          @Override
          public void executionStarted(TestIdentifier identifier) {
            if (identifier.isTest()) {
              answers.add(entry(identifier.getLegacyReportingName(),
                  pending.mayCome(wayOf(identifier))));
            }
          }
        }, summary);
    assertThat(summary.getSummary().getTotalFailureCount()).as("failures").isEqualTo(failures);
    return answers;
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class MixedTestCase {
    @Test
    @Order(1)
    void plainFirst() {}

    @Test
    @Order(2)
    @Tmpfs(TARGET)
    void isolated() {}

    @Test
    @Order(3)
    @Tmpfs(TARGET)
    @Disabled("skipped: it never starts")
    void isolatedSkipped() {}

    @Test
    @Order(4)
    @Tmpfs(TARGET)
    void isolatedLast() {}

    @Test
    @Order(5)
    void plainLast() {}
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class WaysTestCase {
    @Test
    @Order(1)
    @Tmpfs(TARGET)
    void first() {}

    @Test
    @Order(2)
    @IsolatedMounts(jvmArgs = "-Dpending.tests.way=other")
    void firstOtherWay() {}

    @Test
    @Order(3)
    @Tmpfs(TARGET)
    void last() {}

    @Test
    @Order(4)
    @IsolatedMounts(jvmArgs = "-Dpending.tests.way=other")
    void lastOtherWay() {}
  }

  @Tmpfs(TARGET)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class ParameterizedTestCase {
    @ParameterizedTest
    @Order(1)
    @ValueSource(ints = {1, 2})
    void parameterized(int value) {}

    @Test
    @Order(2)
    void last() {}
  }

  @Tmpfs(TARGET)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class KnownInvocationsTestCase {
    @Test
    @Order(1)
    void first() {}

    @RepeatedTest(2)
    @Order(2)
    void repeated() {}

    @ParameterizedTest
    @Order(3)
    @ValueSource(ints = {1, 2})
    void values(int value) {}
  }

  @Tmpfs(TARGET)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class UnknownInvocationsTestCase {
    @Test
    @Order(1)
    void first() {}

    @ParameterizedTest
    @Order(2)
    @org.junit.jupiter.params.provider.MethodSource(
        "dev.isolatedmounts.internal.junit.PendingTestsTests#two")
    void fromMethod(int value) {}
  }

  static Stream<Integer> two() {
    return Stream.of(1, 2);
  }

  @ParameterizedClass
  @ValueSource(ints = {1, 2})
  @Tmpfs(TARGET)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class ParameterizedClassTestCase {
    ParameterizedClassTestCase(int value) {}

    @Test
    @Order(1)
    void first() {}

    @Test
    @Order(2)
    void second() {}
  }

  /** Only read, never run. */
  @IsolatedMounts(jvmArgs = "-Dpending.tests.class=1", propagation = Propagation.SLAVE)
  static class SettingsTestCase {
    @Test
    void inherited() {}

    @Test
    @IsolatedMounts(readOnlyRoot = true)
    void readOnlyRoot() {}

    @Test
    @IsolatedMounts(trapExit = true, jvmArgs = "-Dpending.tests.method=1")
    void trapExit() {}

    @Test
    @IsolatedMounts(propagation = Propagation.PRIVATE)
    @Tmpfs(TARGET)
    void privateAgain() {}

    @Nested
    @IsolatedMounts(propagation = Propagation.SHARED)
    class NestedTestCase {
      @Test
      void nested() {}

      @Test
      @Tmpfs(TARGET)
      @IsolatedMounts(keepOnFailure = true)
      void keeps() {}
    }
  }

  static class OuterTestCase {
    @Test
    @Tmpfs(TARGET)
    void outer() {}

    @Nested
    @ParameterizedClass
    @ValueSource(ints = {1, 2})
    @Tmpfs(TARGET)
    class InnerTestCase {
      @Parameter
      int value;

      @Test
      void inner() {}
    }
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class BindTestCase {
    @Test
    @Order(1)
    @Tmpfs(TARGET)
    void first() {}

    @Test
    @Order(2)
    void createsBindSource() throws IOException {
      Files.createDirectories(Path.of(BIND_SOURCE));
    }

    @Test
    @Order(3)
    @Bind(source = BIND_SOURCE, target = TARGET)
    void bound() {}
  }

  @Order(1)
  static class OtherWayBeforeTestCase {
    @Test
    @IsolatedMounts(jvmArgs = "-Dpending.tests.way=other")
    void otherWay() {}
  }

  abstract static class SuperclassTestCase {
    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class InheritedTestCase {
      @Test
      @Order(1)
      void first() {}

      @Test
      @Order(2)
      void second() {}
    }
  }

  @Tmpfs(TARGET)
  static class SubclassTestCase extends SuperclassTestCase {
    @Test
    void own() {}
  }

  /** Its set-up runs here, not in a child: only its methods are isolated. */
  @Order(1)
  static class FailingSetUpTestCase {
    @BeforeAll
    static void setUp() {
      throw new IllegalStateException("set-up fails");
    }

    @Test
    @Tmpfs(TARGET)
    void isolated() {}
  }

  @Order(2)
  static class AfterTestCase {
    @Test
    void after() {}
  }
}

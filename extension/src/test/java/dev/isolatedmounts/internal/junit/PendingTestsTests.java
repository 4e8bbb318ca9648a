package dev.isolatedmounts.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.isolatedmounts.Tmpfs;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
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

  @Test
  @DisplayName("end with the last isolated test to start; skipped ones and plain ones do not count")
  void lastIsolatedTest() {
    assertThat(answers(MixedTestCase.class)).containsExactly(
        Map.entry("plainFirst()", true),
        Map.entry("isolated()", true),
        Map.entry("isolatedLast()", false), // the disabled one between them was skipped
        Map.entry("plainLast()", false));
  }

  @Test
  @DisplayName("count a parameterized test until its container ends: its invocations are unknown")
  void parameterizedTest() {
    assertThat(answers(ParameterizedTestCase.class)).containsExactly(
        Map.entry("[1] 1", true),
        Map.entry("[2] 2", true),
        Map.entry("last()", false));
  }

  @Test
  @DisplayName("stay true from a session's second execution on, as more may follow")
  void secondExecution() {
    PendingTests pending = new PendingTests();
    try (LauncherSession session = LauncherFactory.openSession(withoutSessionListeners())) {
      execute(session, pending, MixedTestCase.class);
      assertThat(pending.nextMayCome()).as("after the first execution").isFalse();
      Map<String, Boolean> second = execute(session, pending, MixedTestCase.class);
      assertThat(second.values()).as("during the second").containsOnly(true);
      assertThat(pending.nextMayCome()).as("after the second").isTrue();
    }
  }

  @Test
  @DisplayName("are unknown, so always may come, before any plan was seen")
  void noPlan() {
    assertThat(new PendingTests().nextMayCome()).isTrue();
  }

  private static Map<String, Boolean> answers(Class<?> testClass) {
    try (LauncherSession session = LauncherFactory.openSession(withoutSessionListeners())) {
      return execute(session, new PendingTests(), testClass);
    }
  }

  /** The pool of SessionPool is left out: this test's own PendingTests is the one asked. */
  private static LauncherConfig withoutSessionListeners() {
    return LauncherConfig.builder().enableLauncherSessionListenerAutoRegistration(false).build();
  }

  /** Each test's display name, with what {@code pending} answered as it started. */
  private static Map<String, Boolean> execute(LauncherSession session, PendingTests pending,
      Class<?> testClass) {
    Map<String, Boolean> answers = new LinkedHashMap<>();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    // Listeners are told in their order: pending first, then the probe asks it.
    session.getLauncher().execute(LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(testClass)).build(), pending, new TestExecutionListener() {
          @Override
          public void testPlanExecutionStarted(TestPlan plan) {
            answers.clear();
          }

          @Override
          public void executionStarted(TestIdentifier identifier) {
            if (identifier.isTest()) {
              answers.put(identifier.getDisplayName(), pending.nextMayCome());
            }
          }
        }, summary);
    assertThat(summary.getSummary().getTotalFailureCount()).as("failures").isZero();
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
}

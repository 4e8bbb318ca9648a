package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.isolatedmounts.Tmpfs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestReporter;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Children started ahead belong to the launcher session, as build tools use it: Surefire with
 * {@code forkCount} above one executes each class on its own, in one session per fork.
 */
@DisplayName("Children started ahead")
class SessionPoolTests {

  private static final String PID = "it.child.pid";

  /**
   * The first execution's plan says when its last isolated test has started: no child is started
   * for a next one (a run of one test, as an IDE makes, starts one JVM). A session that runs a
   * second execution may run more: from then on one child always waits for the next test.
   */
  @Test
  @DisplayName("serve every execution of a launcher session from its second on, and end with it")
  void sharedBySessionExecutions() {
    long waiting;
    try (LauncherSession session = LauncherFactory.openSession()) {
      execute(session);
      sleep(1000); // a child started ahead at the last test would be up by now
      assertThat(children()).as("children waiting after the first execution").isEmpty();

      List<Long> second = execute(session);
      waiting = awaitOneWaitingChild();
      assertThat(second).doesNotContain(waiting);

      List<Long> third = execute(session);
      assertThat(third).as("the host pids of the third execution's tests")
          .hasSize(2).doesNotHaveDuplicates().first().isEqualTo(waiting);
    }
    Processes.awaitTraining();
    assertThat(children()).as("children left after the session closed").isEmpty();
  }

  /**
   * A template's invocations are not in the plan; where its annotations say how many there are,
   * its last one is known as it starts, and no child is started for a next invocation.
   */
  @Test
  @DisplayName("start none for a next test when a run ends with a repeated test")
  void endWithARepeatedTest() {
    try (LauncherSession session = LauncherFactory.openSession()) {
      SummaryGeneratingListener summary = new SummaryGeneratingListener();
      session.getLauncher().execute(LauncherDiscoveryRequestBuilder.request()
          .selectors(selectClass(RepeatedTestCase.class)).build(), summary);
      assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(2);
      sleep(1000); // a child started ahead at the last invocation would be up by now
      assertThat(children()).as("children waiting after the last invocation").isEmpty();
    }
    Processes.awaitTraining();
  }

  /**
   * A child started ahead for a test that is then skipped is ended as the plan shows that no test
   * will take it, not after its limit: the run may go on for long, and the child holds its memory.
   */
  @Test
  @DisplayName("end a child started ahead once the test it was started for is skipped")
  void endWhenTheNextTestIsSkipped() {
    try (LauncherSession session = LauncherFactory.openSession()) {
      SummaryGeneratingListener summary = new SummaryGeneratingListener();
      List<String> waiting = new ArrayList<>();
      session.getLauncher().execute(LauncherDiscoveryRequestBuilder.request()
          .selectors(selectClass(SkippedLastTestCase.class)).build(), summary,
          new TestExecutionListener() {
            @Override
            public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
              waiting.addAll(entry.getKeyValuePairs().values());
            }
          });
      assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(2);
      assertThat(summary.getSummary().getTestsSkippedCount()).isEqualTo(1);
      assertThat(waiting).as("children waiting as the plain test after the skipped one ran")
          .containsExactly("0");
    }
    Processes.awaitTraining();
  }

  @Test
  @DisplayName("end with the execution where each execution has a session of its own")
  void endWithTheExecution() {
    assertPassesAndLeavesNoChild(LauncherFactory.create());
  }

  @Test
  @DisplayName("end with the execution where no session listener ran, as in the engine test kit")
  void endWithTheExecutionWithoutListener() {
    try (LauncherSession session = LauncherFactory.openSession(LauncherConfig.builder()
        .enableLauncherSessionListenerAutoRegistration(false).build())) {
      assertPassesAndLeavesNoChild(session.getLauncher());
    }
  }

  private static void assertPassesAndLeavesNoChild(Launcher launcher) {
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    launcher.execute(request(), summary);
    assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(2);
    Processes.awaitTraining();
    assertThat(children()).as("children left after the execution").isEmpty();
  }

  /** The host pids the tests of one execution report, in their order. */
  private static List<Long> execute(LauncherSession session) {
    List<Long> pids = new ArrayList<>();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    session.getLauncher().execute(request(), summary, new TestExecutionListener() {
      @Override
      public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
        String pid = entry.getKeyValuePairs().get(PID);
        if (pid != null) {
          pids.add(Long.parseLong(pid));
        }
      }
    });
    assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(2);
    return pids;
  }

  private static LauncherDiscoveryRequest request() {
    return LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(PidTestCase.class)).build();
  }

  /** The one child waiting for a next test; it may still be starting when the execution ends. */
  private static long awaitOneWaitingChild() {
    long deadline = System.nanoTime() + 30_000_000_000L;
    List<ProcessHandle> children = children();
    while (children.size() != 1 && System.nanoTime() < deadline) {
      sleep(50);
      children = children();
    }
    assertThat(children).as("children waiting between the session's executions").hasSize(1);
    return children.get(0).pid();
  }

  /** The child JVMs below this one (not the unshare and init processes above each). */
  private static List<ProcessHandle> children() {
    return ProcessHandle.current().descendants().filter(Processes::running)
        .filter(p -> p.info().command().orElse("").endsWith("/java"))
        .filter(p -> p.info().commandLine().orElse("").contains("internal.child.ChildMain"))
        .toList();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Tmpfs(Fixtures.VAR_LIB)
  static class PidTestCase {
    @Test
    void first(TestReporter reporter) {
      reporter.publishEntry(PID, String.valueOf(Fixtures.hostPid()));
    }

    @Test
    void second(TestReporter reporter) {
      reporter.publishEntry(PID, String.valueOf(Fixtures.hostPid()));
    }
  }

  /** Isolated per method: its last test runs here, and counts the children waiting. */
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class SkippedLastTestCase {
    @Test
    @Order(1)
    @Tmpfs(Fixtures.VAR_LIB)
    void isolated() {}

    @Test
    @Order(2)
    @Tmpfs(Fixtures.VAR_LIB)
    @Disabled("a child was started ahead for it")
    void isolatedSkipped() {}

    @Test
    @Order(3)
    void plain(TestReporter reporter) {
      sleep(1000); // a child started ahead for the skipped test would be up by now
      reporter.publishEntry("waiting", String.valueOf(children().size()));
    }
  }

  @Tmpfs(Fixtures.VAR_LIB)
  static class RepeatedTestCase {
    @RepeatedTest(2)
    void repeated() {}
  }
}

package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.isolatedmounts.Tmpfs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Configuration parameters given to the launcher (Surefire's {@code configurationParameters}, the
 * console launcher's {@code --config}, a suite's {@code @ConfigurationParameter}) reach the child,
 * where the test runs: its own extensions may read any of them.
 */
@DisplayName("Configuration parameters given to the launcher")
class LauncherParametersTests {

  private static final String KEY = "it.launcher.flag";

  @Test
  @DisplayName("reach the child, whatever their key")
  void reachTheChild() {
    System.setProperty("it.parent.pid", String.valueOf(ProcessHandle.current().pid()));
    List<String> seen = new ArrayList<>();
    try (LauncherSession session = LauncherFactory.openSession()) {
      SummaryGeneratingListener summary = new SummaryGeneratingListener();
      session.getLauncher().execute(LauncherDiscoveryRequestBuilder.request()
          .selectors(selectClass(FlagTestCase.class))
          .configurationParameter(KEY, "on")
          .build(), summary, new TestExecutionListener() {
            @Override
            public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
              String value = entry.getKeyValuePairs().get(KEY);
              if (value != null) {
                seen.add(value);
              }
            }
          });
      assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(1);
    }
    Processes.awaitTraining();
    // Other extensions' callbacks run in the parent too, on the placeholder instance.
    assertThat(seen).containsExactlyInAnyOrder("parent: on", "child: on");
  }

  @Test
  @DisplayName("from a suite's @ConfigurationParameter, which the suite gives a launcher of its own,"
      + " reach the child too; a misspelled isolatedmounts.* key there is named")
  void fromASuite() {
    System.setProperty("it.parent.pid", String.valueOf(ProcessHandle.current().pid()));
    List<String> seen = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (Class<?> suite : List.of(FlagSuite.class, MisspelledSuite.class)) {
      try (LauncherSession session = LauncherFactory.openSession()) {
        session.getLauncher().execute(LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClass(suite)).build(), new TestExecutionListener() {
              @Override
              public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
                String value = entry.getKeyValuePairs().get(KEY);
                if (value != null) {
                  seen.add(value);
                }
              }

              @Override
              public void executionFinished(TestIdentifier test,
                  org.junit.platform.engine.TestExecutionResult result) {
                result.getThrowable().filter(failure -> test.isTest()).ifPresent(failures::add);
              }
            });
      }
    }
    Processes.awaitTraining();
    // The misspelled suite's test fails before its child starts, after its parent's callbacks.
    assertThat(seen).containsExactlyInAnyOrder("parent: from the suite",
        "child: from the suite", "parent: absent");
    assertThat(failures).singleElement().extracting(Throwable::getMessage,
            org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("Configuration parameter isolatedmounts.jvmarg (a configuration parameter of"
            + " the suite; did you mean isolatedmounts.jvmArgs?) is not a setting of"
            + " isolated-mounts and would be ignored");
  }

  @org.junit.platform.suite.api.Suite
  @org.junit.platform.suite.api.SelectClasses(FlagTestCase.class)
  @org.junit.platform.suite.api.ConfigurationParameter(key = KEY, value = "from the suite")
  static class FlagSuite {}

  @org.junit.platform.suite.api.Suite
  @org.junit.platform.suite.api.SelectClasses(FlagTestCase.class)
  @org.junit.platform.suite.api.ConfigurationParameter(key = "isolatedmounts.jvmarg",
      value = "-Xmx64m")
  static class MisspelledSuite {}

  /** Publishes where it runs and what the parameter is there. */
  static class FlagExtension implements BeforeEachCallback {
    @Override
    public void beforeEach(ExtensionContext context) {
      boolean child = Fixtures.hostPid() != Long.getLong("it.parent.pid");
      context.publishReportEntry(KEY, (child ? "child: " : "parent: ")
          + context.getConfigurationParameter(KEY).orElse("absent"));
    }
  }

  @Tmpfs(Fixtures.VAR_LIB)
  @ExtendWith(FlagExtension.class)
  static class FlagTestCase {
    @Test
    void reads() {}
  }
}

package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.isolatedmounts.IsolatedMounts;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

@DisplayName("A child's output and report entries belong to its test")
class OutputTests {

  @Test
  @DisplayName("stdout, stderr and report entries are attributed to the test that made them")
  void attributed() {
    Map<String, StringBuilder> entries = new ConcurrentHashMap<>();
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(PrintingTestCase.class))
        .configurationParameter("junit.platform.output.capture.stdout", "true")
        .configurationParameter("junit.platform.output.capture.stderr", "true")
        .build();

    LauncherFactory.create().execute(request, new TestExecutionListener() {
      @Override
      public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
        entry.getKeyValuePairs().forEach((key, value) -> entries
            .computeIfAbsent(test.getDisplayName() + "/" + key, k -> new StringBuilder())
            .append(value));
      }
    });

    assertThat(entries).containsKeys("first(TestReporter)/stdout", "first(TestReporter)/stderr", "second()/stdout");
    assertThat(entries.get("first(TestReporter)/stdout")).hasToString("out of first\n");
    assertThat(entries.get("first(TestReporter)/stderr")).hasToString("err of first\n");
    assertThat(entries.get("second()/stdout")).hasToString("out of second\n");
    assertThat(entries.get("second()/stderr")).isNull();
    assertThat(entries.get("first(TestReporter)/answer")).hasToString("42");
  }

  @IsolatedMounts
  static class PrintingTestCase {
    @Test
    void first(TestReporter reporter) {
      System.out.println("out of first");
      System.err.println("err of first");
      reporter.publishEntry("answer", "42");
    }

    @Test
    void second() {
      System.out.println("out of second");
    }
  }
}

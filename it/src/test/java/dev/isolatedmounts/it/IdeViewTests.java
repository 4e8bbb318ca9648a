package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.IsolatedMounts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

@DisplayName("What an IDE shows of an isolated test is what it shows of a plain one")
class IdeViewTests {

  @Test
  @DisplayName("display names and tags are the parent's, report entries come from the child")
  void namesTagsAndEntries() {
    EngineExecutionResults results = Fixtures.run(ShownTestCase.class);
    results.testEvents().assertStatistics(s -> s.succeeded(3).failed(0));

    List<TestDescriptor> tests = results.testEvents().succeeded().stream()
        .map(Event::getTestDescriptor).toList();
    assertThat(tests).extracting(TestDescriptor::getDisplayName)
        .containsExactlyInAnyOrder("keeps what it is given", "size 1", "size 2");
    TestDescriptor keeps = tests.stream()
        .filter(t -> t.getDisplayName().equals("keeps what it is given")).findFirst().orElseThrow();
    assertThat(keeps.getTags()).extracting(TestTag::getName)
        .containsExactlyInAnyOrder("storage", "slow");
    assertThat(results.containerEvents().started().stream()
        .map(e -> e.getTestDescriptor().getDisplayName())).contains("A store");

    List<Event> published = results.allEvents().reportingEntryPublished().stream().toList();
    Map<String, String> ofKeeps = entriesOf(published, "keeps what it is given");
    assertThat(ofKeeps).containsEntry("a", "1").containsEntry("b", "2")
        .containsKey("pid")
        .doesNotContainEntry("pid", String.valueOf(ProcessHandle.current().pid()));
    assertThat(entriesOf(published, "size 2")).containsExactly(Map.entry("n", "2"));
  }

  private static Map<String, String> entriesOf(List<Event> published, String displayName) {
    return published.stream()
        .filter(e -> e.getTestDescriptor().getDisplayName().equals(displayName))
        .flatMap(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().entrySet().stream())
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  @IsolatedMounts
  @Tag("storage")
  @DisplayName("A store")
  static class ShownTestCase {

    @Test
    @Tag("slow")
    @DisplayName("keeps what it is given")
    void keeps(TestReporter reporter) {
      reporter.publishEntry("pid", String.valueOf(ProcessHandle.current().pid()));
      reporter.publishEntry(Map.of("a", "1", "b", "2"));
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {1, 2})
    void sized(int n, TestReporter reporter) {
      reporter.publishEntry("n", String.valueOf(n));
    }
  }
}

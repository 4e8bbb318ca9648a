package dev.isolatedmounts.internal.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.isolatedmounts.internal.wire.FileEntryMessage;
import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MediaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A child's runner")
class SingleTestRunnerTests {

  private static final String CASE = "[engine:junit-jupiter]/[class:"
      + SingleTestRunnerTests.class.getName() + "$RealTestCase]/[method:";

  @Test
  @DisplayName("warms up by running a test of its own the way it runs the real one, then runs"
      + " that, passing on its report entries and the files and directories it publishes")
  void warmsUpThenRuns(@TempDir Path output) {
    SingleTestRunner runner = SingleTestRunner.prepare();
    Result warmUp = runner.warmUp();
    assertThat(warmUp.outcome()).as("%s", warmUp.throwable()).isEqualTo(Outcome.SUCCESSFUL);

    List<Map<String, String>> entries = new ArrayList<>();
    List<FileEntryMessage> files = new ArrayList<>();
    Result result = runner.run(CASE + "reports(org.junit.jupiter.api.TestReporter)]",
        Map.of("junit.platform.reporting.output.dir", output.toString()), entries::add,
        files::add); // and closes the launcher's session
    assertThat(result.outcome()).as("%s", result.throwable()).isEqualTo(Outcome.SUCCESSFUL);
    assertThat(entries).containsExactly(Map.of("key", "value"));
    assertThat(files).extracting(FileEntryMessage::mediaType, FileEntryMessage::directory)
        .containsExactly(tuple("text/plain; charset=UTF-8", false), tuple(null, true));
    assertThat(Path.of(files.get(0).path())).isAbsolute().startsWith(output).hasContent("hello")
        .hasFileName("greeting.txt");
    assertThat(Path.of(files.get(1).path())).isDirectoryContaining("glob:**/inside.txt");
  }

  @Test
  @DisplayName("and says so when the test it is given does not exist")
  void missingTest() {
    Result result = SingleTestRunner.prepare().run(CASE + "absent()]", Map.of(), entry -> { },
        file -> { });
    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    // JUnit 6 fails the engine's discovery; where JUnit does not, the runner reports it
    assertThat(result.throwable()).hasMessageContaining(CASE + "absent()]");
  }

  @Test
  @DisplayName("and, for an invocation its argument source does not give there, names the source")
  void missingInvocation() {
    String id = "[engine:junit-jupiter]/[class:" + SingleTestRunnerTests.class.getName()
        + "$RealTestCase]/[test-template:values(int)]/[test-template-invocation:#3]";
    Result result = SingleTestRunner.prepare().run(id, Map.of(), entry -> { }, file -> { });
    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.throwable()).hasMessage("The child JVM could not find the test " + id
        + " to run it; its argument source gave fewer invocations there than in the test run's"
        + " JVM (the source runs in both: one that reads a mounted path reads the host's in the"
        + " test run's JVM, and the mount in the child), or the class path differs from the"
        + " parent's");
  }

  /** Run only through the runner above. */
  static class RealTestCase {
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = 1)
    void values(int value) {}

    @Test
    void reports(TestReporter reporter) {
      reporter.publishEntry("key", "value");
      reporter.publishFile("greeting.txt", MediaType.TEXT_PLAIN_UTF_8,
          file -> Files.writeString(file, "hello"));
      reporter.publishDirectory("listing",
          directory -> Files.writeString(directory.resolve("inside.txt"), "in"));
    }
  }
}

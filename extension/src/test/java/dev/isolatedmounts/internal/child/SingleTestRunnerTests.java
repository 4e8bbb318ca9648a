package dev.isolatedmounts.internal.child;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.internal.wire.Outcome;
import dev.isolatedmounts.internal.wire.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

@DisplayName("A child's runner")
class SingleTestRunnerTests {

  private static final String CASE = "[engine:junit-jupiter]/[class:"
      + SingleTestRunnerTests.class.getName() + "$RealTestCase]/[method:";

  @Test
  @DisplayName("warms up by running a test of its own the way it runs the real one, then runs that")
  void warmsUpThenRuns() {
    SingleTestRunner runner = SingleTestRunner.prepare();
    Result warmUp = runner.warmUp();
    assertThat(warmUp.outcome()).as("%s", warmUp.throwable()).isEqualTo(Outcome.SUCCESSFUL);

    List<Map<String, String>> entries = new ArrayList<>();
    Result result = runner.run(CASE + "reports(org.junit.jupiter.api.TestReporter)]",
        Map.of(), entries::add); // and closes the launcher's session
    assertThat(result.outcome()).as("%s", result.throwable()).isEqualTo(Outcome.SUCCESSFUL);
    assertThat(entries).containsExactly(Map.of("key", "value"));
  }

  @Test
  @DisplayName("and says so when the test it is given does not exist")
  void missingTest() {
    Result result = SingleTestRunner.prepare().run(CASE + "absent()]", Map.of(), entry -> { });
    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    // JUnit 6 fails the engine's discovery; where JUnit does not, the runner reports it
    assertThat(result.throwable()).hasMessageContaining(CASE + "absent()]");
  }

  /** Run only through the runner above. */
  static class RealTestCase {
    @Test
    void reports(TestReporter reporter) {
      reporter.publishEntry("key", "value");
    }
  }
}

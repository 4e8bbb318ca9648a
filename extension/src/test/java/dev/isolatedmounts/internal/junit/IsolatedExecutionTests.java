package dev.isolatedmounts.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("IsolatedExecution")
class IsolatedExecutionTests {

  @Test
  @DisplayName("the child selects the test from the last engine segment on")
  void childUniqueId() {
    String jupiter = "[engine:junit-jupiter]/[class:a.B]/[method:c()]";

    assertThat(IsolatedExecution.childUniqueId(jupiter)).isEqualTo(jupiter);
    assertThat(IsolatedExecution.childUniqueId(
        "[engine:junit-platform-suite]/[suite:a.Suite]/" + jupiter)).isEqualTo(jupiter);
    assertThat(IsolatedExecution.childUniqueId("[engine:junit-jupiter]/[class:a.B]"
        + "/[test-template:d(int)]/[test-template-invocation:#2]"))
        .endsWith("/[test-template-invocation:#2]");
  }
}

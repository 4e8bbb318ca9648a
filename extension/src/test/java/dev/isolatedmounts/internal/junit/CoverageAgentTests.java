package dev.isolatedmounts.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("JaCoCo's agent, as children inherit it")
class CoverageAgentTests {

  private static final String AGENT =
      "-javaagent:/home/u/.m2/repository/org/jacoco/org.jacoco.agent/0.8.15/"
          + "org.jacoco.agent-0.8.15-runtime.jar";

  @Test
  @DisplayName("leaves the test machinery (JUnit, JNA, Byte Buddy, AssertJ, ours) uninstrumented")
  void excludes() {
    assertThat(CoverageAgent.leaner(AGENT + "=destfile=/p/target/jacoco.exec"))
        .isEqualTo(AGENT + "=destfile=/p/target/jacoco.exec,excludes=org.junit.*:org.opentest4j.*"
            + ":org.apiguardian.*:org.jspecify.*:com.sun.jna.*:net.bytebuddy.*:org.assertj.*"
            + ":dev.isolatedmounts.internal.*");
    assertThat(CoverageAgent.leaner(AGENT))
        .isEqualTo(AGENT + "=excludes=" + CoverageAgent.EXCLUDES);
    assertThat(CoverageAgent.leaner(AGENT + "=")).isEqualTo(AGENT + "=excludes="
        + CoverageAgent.EXCLUDES);
  }

  @Test
  @DisplayName("keeps the user's own includes or excludes")
  void usersChoice() {
    String includes = AGENT + "=destfile=jacoco.exec,includes=com.example.*";
    String excludes = AGENT + "=excludes=org.junit.*,destfile=jacoco.exec";

    assertThat(CoverageAgent.leaner(includes)).isEqualTo(includes);
    assertThat(CoverageAgent.leaner(excludes)).isEqualTo(excludes);
  }

  @Test
  @DisplayName("leaves other agents and options as they are")
  void others() {
    List<String> options = List.of("-javaagent:/opt/agents/byte-buddy-agent.jar=x",
        "-Xmx512m", "-Djacoco.note=excludes", "-javaagent:/opt/jacoco/");

    assertThat(CoverageAgent.leaner(options)).isEqualTo(options);
  }
}

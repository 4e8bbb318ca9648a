package dev.isolatedmounts.internal.child;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("AgentOutputs finds what agents write at exit")
class AgentOutputsTests {

  private static final Path WORK = Path.of("/work/app");

  @Test
  @DisplayName("JaCoCo's destfile, absolute or relative, and its default")
  void jacoco() {
    assertThat(AgentOutputs.of(List.of(
        "-Xmx64m",
        "-javaagent:/m2/org/jacoco/org.jacoco.agent/0.8.15/org.jacoco.agent-0.8.15-runtime.jar"
            + "=destfile=/work/app/target/jacoco.exec,append=true",
        "-javaagent:/opt/jacocoagent.jar=append=true,destfile=build/jacoco/test.exec",
        "-javaagent:/opt/jacocoagent.jar"), WORK))
        .containsExactly(Path.of("/work/app/target/jacoco.exec"),
            Path.of("/work/app/build/jacoco/test.exec"), Path.of("/work/app/jacoco.exec"));
  }

  @Test
  @DisplayName("nothing for other agents, or for JaCoCo writing to a socket")
  void others() {
    assertThat(AgentOutputs.of(List.of(
        "-javaagent:/m2/net/bytebuddy/byte-buddy-agent.jar",
        "-javaagent:/opt/jacocoagent.jar=output=tcpserver,port=6300"), WORK)).isEmpty();
  }
}

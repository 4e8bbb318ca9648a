package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.Propagation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The child's command line")
class CommandLineTests {

  @Nested
  @DisplayName("unshare")
  class Unshare {

    @Test
    @DisplayName("as root: a mount namespace, private unless SLAVE is asked for")
    void root() {
      UnshareCommand command = UnshareCommand.asRoot("/usr/bin/unshare");

      assertThat(command.prefix(Propagation.PRIVATE))
          .containsExactly("/usr/bin/unshare", "--mount", "--pid", "--fork", "--kill-child",
              "--propagation", "private", "/bin/sh", "-c", "\"$@\"; exit $?",
              "isolated-mounts-init");
      assertThat(command.prefix(Propagation.SLAVE)).containsSubsequence("--propagation", "slave");
      assertThat(command.prefix(Propagation.SHARED))
          .containsSubsequence("--propagation", "private");
      assertThat(command.prefix(Propagation.UNBINDABLE))
          .containsSubsequence("--propagation", "private");
      assertThat(command.describe())
          .isEqualTo("/usr/bin/unshare --mount --pid --fork --kill-child --propagation private");
    }

    @Test
    @DisplayName("as a user: a user namespace keeping the uid and the capabilities over exec")
    void user() {
      assertThat(UnshareCommand.asUser("unshare").prefix(Propagation.PRIVATE)).startsWith(
          "unshare", "--user", "--map-current-user", "--keep-caps", "--mount",
          "--pid", "--fork", "--kill-child", "--propagation", "private", "/bin/sh");
      assertThat(UnshareCommand.asUser("unshare").userNamespace()).isTrue();
    }
  }

  @Test
  @DisplayName("the argument file quotes spaces, quotes and backslashes as the java launcher reads them")
  void argFile(@TempDir Path temp) throws IOException {
    Path file = ArgFile.write(temp.resolve("args"),
        List.of("-cp", "/a b/c.jar:/d\"e", "-Dx=back\\slash"));

    assertThat(Files.readAllLines(file)).containsExactly(
        "\"-cp\"", "\"/a b/c.jar:/d\\\"e\"", "\"-Dx=back\\\\slash\"");
  }

  @Test
  @DisplayName("the argument file gives the JVM each argument as it is, line breaks included")
  void argFileRoundTrip(@TempDir Path temp) throws Exception {
    String value = "a b\"c\\d\ne\rf\tg";
    Path program = Files.writeString(temp.resolve("Show.java"), "class Show { public static"
        + " void main(String[] a) { System.out.print(System.getProperty(\"x\").chars()"
        + ".mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(\",\")));"
        + " } }");
    Path file = ArgFile.write(temp.resolve("args"), List.of("-Dx=" + value, program.toString()));

    Process launched = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "@" + file).redirectErrorStream(true).start();
    String shown = new String(launched.getInputStream().readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);

    assertThat(launched.waitFor()).as(shown).isZero();
    assertThat(shown).isEqualTo(value.chars().mapToObj(Integer::toString)
        .collect(java.util.stream.Collectors.joining(",")));
  }

  @Test
  @DisplayName("exit statuses above 128 name the signal")
  void exitStatus() {
    assertThat(ExitStatus.describe(3)).isEqualTo("exited with status 3");
    assertThat(ExitStatus.describe(137))
        .isEqualTo("exited with status 137 (128 + 9: killed by SIGKILL)");
    assertThat(ExitStatus.describe(134))
        .isEqualTo("exited with status 134 (128 + 6: killed by SIGABRT)");
  }

  @Test
  @DisplayName("the output tail keeps the last 20 lines of its stream")
  void outputTail() {
    OutputTail tail = new OutputTail("stderr");
    assertThat(tail.render()).isEqualTo("it wrote nothing to stderr");
    assertThat(tail.isEmpty()).isTrue();

    for (int i = 1; i <= 25; i++) {
      tail.accept(("line " + i + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    tail.accept("partial".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(tail.isEmpty()).isFalse();

    assertThat(tail.render().lines()).hasSize(21)
        .startsWith("last lines of its stderr:", "    line 7").endsWith("    partial");
  }
}

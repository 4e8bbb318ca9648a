package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isolatedmounts.Doctor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The doctor, run as users run it: java -cp <jar> dev.isolatedmounts.Doctor")
class DoctorTests {

  @Test
  @DisplayName("on this host: exit status 0, from the extension's jar alone (no JNA, no JUnit)")
  void thisHost() throws Exception {
    Run run = doctor();

    assertThat(run.output()).contains("[OK]   namespaces: ")
        .containsPattern(
            "\\[OK\\]   mkfifo: /\\S*/mkfifo: a few children per run list the classes")
        .endsWith("Isolated tests can run here.\n");
    assertThat(run.status()).isZero();
  }

  @Test
  @DisplayName("where namespaces are refused: exit status 1 and the fixes")
  void refused() throws Exception {
    Run run = doctor("--unshare", FakeUnshare.refusing().toString());

    assertThat(run.output()).contains("[FAIL] namespaces: isolated-mounts cannot start a child JVM")
        .endsWith("Isolated tests cannot run here: fix the [FAIL] lines above.\n");
    assertThat(run.status()).isEqualTo(1);
  }

  private record Run(int status, String output) {}

  private static Run doctor(String... arguments) throws Exception {
    String jar = Path.of(Doctor.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", jar,
        Doctor.class.getName()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.waitFor(), output);
  }
}

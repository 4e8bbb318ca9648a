package dev.isolatedmounts.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

@DisplayName("NamespaceProbe")
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class NamespaceProbeTests {

  @Test
  @DisplayName("a probed command that leaves a process holding its output does not hold the probe")
  void leftRunning() throws Exception {
    NamespaceProbe.Run[] run = new NamespaceProbe.Run[1];
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
        () -> {
          run[0] = NamespaceProbe.run(java.util.List.of("/bin/sh", "-c",
              "sleep 600 & echo \"$!\"; echo ran"));
        }, "a hang guard: the probe read until the helper's 600 s were up");
    try {
      assertThat(run[0].exitCode()).isZero();
      assertThat(run[0].output()).endsWith("ran");
    } finally {
      run[0].output().lines().findFirst().filter(line -> line.matches("[0-9]+"))
          .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private final String osName = System.getProperty("os.name");

  @AfterEach
  void restore() {
    System.setProperty("os.name", osName);
  }

  @Test
  @DisplayName("on another OS: unsupported, to be aborted, saying which OS")
  void notLinux() {
    System.setProperty("os.name", "Mac OS X");

    NamespaceProbe.Outcome outcome = NamespaceProbe.probe(Optional.empty(), false);

    assertThat(outcome).isEqualTo(new NamespaceProbe.Unsupported("isolated-mounts needs Linux"
        + " mount namespaces, but this is Mac OS X; isolated tests are aborted here", true));
  }

  @Test
  @DisplayName("with a configured unshare that is none: the doctor's command uses it too")
  void configuredNotFound() {
    NamespaceProbe.Outcome outcome =
        NamespaceProbe.probe(Optional.of("/nonexistent/unshare"), false);

    assertThat(outcome).isInstanceOfSatisfying(NamespaceProbe.Unsupported.class, unsupported ->
        assertThat(unsupported.message())
            .contains("/nonexistent/unshare: not an executable file", "correct \"/nonexistent/")
            .containsPattern("\n" + java.util.regex.Pattern.quote(NamespaceProbe.DOCTOR_HINT)
                + "java -cp \\S+ dev\\.isolatedmounts\\.Doctor --unshare /nonexistent/unshare\n"));
  }

  @Test
  @DisplayName("with a configured unshare that is a directory: not taken for an executable")
  void configuredDirectory() {
    assertThat(NamespaceProbe.probe(Optional.of("/tmp"), false))
        .isInstanceOfSatisfying(NamespaceProbe.Unsupported.class, unsupported ->
            assertThat(unsupported.message()).contains("/tmp: not an executable file",
                "correct \"/tmp\""));
  }

  @Test
  @DisplayName("with a configured unshare whose path has a space: the doctor's command quotes it")
  void configuredWithSpace() {
    NamespaceProbe.Outcome outcome =
        NamespaceProbe.probe(Optional.of("/opt/my tools/unshare"), false);

    assertThat(((NamespaceProbe.Unsupported) outcome).message())
        .contains(" dev.isolatedmounts.Doctor --unshare '/opt/my tools/unshare'\n");
  }

  @Test
  @DisplayName("on this host: supported, with the unshare found on the PATH")
  void thisHost() {
    NamespaceProbe.Outcome outcome = NamespaceProbe.probe(Optional.empty(),
        dev.isolatedmounts.internal.linux.Syscalls.geteuid() == 0);

    assertThat(outcome).isInstanceOfSatisfying(NamespaceProbe.Supported.class, supported ->
        assertThat(supported.command().executable()).endsWith("/unshare"));
  }
}

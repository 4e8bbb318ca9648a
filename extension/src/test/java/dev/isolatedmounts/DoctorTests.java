package dev.isolatedmounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

@DisplayName("Doctor")
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class DoctorTests {

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final String osName = System.getProperty("os.name");

  @AfterEach
  void restore() {
    System.setProperty("os.name", osName);
  }

  @Test
  @DisplayName("on this host: every check OK or informative, exit status 0")
  void thisHost() throws IOException {
    int status = run(Optional.empty());

    assertThat(status).isZero();
    assertThat(output()).startsWith("isolated-mounts doctor: can this host run isolated tests?\n")
        .contains("[OK]   operating system: Linux\n", "[OK]   kernel: ", "[OK]   util-linux: ",
            "[OK]   namespaces: a child can be started with '", " --mount --pid --fork",
            root() ? "[OK]   overlayfs: mounted one in a throwaway mount namespace\n"
                : "[OK]   overlayfs in a user namespace: mounted one in a throwaway user and"
                    + " mount namespace\n")
        .doesNotContain("[FAIL]")
        .endsWith("Isolated tests can run here.\n");
  }

  @Test
  @DisplayName("tries overlayfs the way a child gets namespaces: as root, without a user namespace")
  void overlayAsChildren(@TempDir Path temp) throws IOException {
    Path calls = temp.resolve("calls");
    // Answers as util-linux, succeeds at everything, and records how it was called.
    Path unshare = script(temp, "echo \"$*\" >> '" + calls + "'\n"
        + "if [ \"$1\" = --version ]; then echo 'unshare from util-linux 2.38.1'; fi");

    run(Optional.of(unshare.toString()));

    String overlay = Files.readAllLines(calls).stream().filter(line -> line.contains(" overlay "))
        .findFirst().orElseThrow();
    assertThat(overlay).startsWith(root()
        ? "--mount --propagation private mount --no-mtab -t overlay overlay -o lowerdir="
        : "--user --map-root-user --mount --propagation private mount --no-mtab -t overlay");
    assertThat(output()).contains(root() ? "[OK]   overlayfs: " : "[OK]   overlayfs in a user");
  }

  @Nested
  @DisplayName("prints the fix and exits with status 1 when")
  class Fails {

    @Test
    @DisplayName("unshare is missing")
    void missing() {
      int status = run(Optional.of("/nonexistent/unshare"));

      assertThat(status).isEqualTo(1);
      assertThat(output())
          .contains("[FAIL] util-linux: no unshare at /nonexistent/unshare; correct the path"
              + " given with --unshare, or install util-linux 2.3")
          .contains("[FAIL] namespaces: isolated-mounts cannot start a child JVM")
          .doesNotContain("To check this host step by step")
          .endsWith("Isolated tests cannot run here: fix the [FAIL] lines above.\n");
    }

    @Test
    @DisplayName("util-linux is too old")
    void tooOld(@TempDir Path temp) throws IOException {
      Path unshare = script(temp, "echo 'unshare from util-linux 2.30.2'");

      int status = run(Optional.of(unshare.toString()));

      assertThat(status).isEqualTo(1);
      assertThat(output()).contains(" is 2.30, too old: upgrade util-linux to 2.3");
    }

    @Test
    @DisplayName("the namespaces are refused")
    void refused(@TempDir Path temp) throws IOException {
      Path unshare = script(temp, "if [ \"$1\" = --version ]; then"
          + " echo 'unshare from util-linux 2.38.1'; exit 0; fi\n"
          + "echo 'unshare: unshare failed: Operation not permitted' >&2\nexit 1");

      int status = run(Optional.of(unshare.toString()));

      assertThat(status).isEqualTo(1);
      assertThat(output()).contains("[OK]   util-linux: " + unshare + " is 2.38")
          .contains("[FAIL] namespaces: isolated-mounts cannot start a child JVM",
              "\n         Attempted:\n", "(unshare: unshare failed: Operation not permitted)")
          .contains("[WARN] overlayfs: not tried: no working unshare");
    }

    @Test
    @DisplayName("this is not Linux")
    void notLinux() {
      System.setProperty("os.name", "Windows 11");

      int status = run(Optional.empty());

      assertThat(status).isEqualTo(1);
      assertThat(output()).contains("[FAIL] operating system: Windows 11: isolated-mounts needs"
          + " Linux mount namespaces; isolated tests are aborted here\n");
    }
  }

  private int run(Optional<String> unshare) {
    return Doctor.run(unshare, new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  private static boolean root() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
  }

  private static Path script(Path directory, String body) throws IOException {
    Path script = directory.resolve("unshare");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }
}

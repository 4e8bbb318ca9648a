package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;

import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Propagation;
import dev.isolatedmounts.Tmpfs;
import dev.isolatedmounts.internal.fork.ChildClassPath;
import dev.isolatedmounts.internal.linux.MountFlags;
import dev.isolatedmounts.internal.linux.SyscallException;
import dev.isolatedmounts.internal.linux.Syscalls;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The propagation of / in the child is the one declared")
class PropagationTests {

  @Test
  @DisplayName("PRIVATE, SLAVE, SHARED and UNBINDABLE each show on / in the child's mount table")
  void eachValue() throws IOException {
    System.setProperty("it.host.root", rootPropagation());

    Fixtures.run(PropagationTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("privateRoot("), finishedSuccessfully()))
        .haveExactly(1, event(test("slaveRoot("), finishedSuccessfully()))
        .haveExactly(1, event(test("sharedRoot("), finishedSuccessfully()))
        .haveExactly(1, event(test("unbindableRoot("), finishedSuccessfully()));
    assertThat(rootPropagation()).isEqualTo(System.getProperty("it.host.root"));
  }

  @Test
  @DisplayName("in practice, each value does what it documents with mounts made on both sides"
      + " during the test, in an outer namespace standing in for the host")
  void inPractice() throws IOException, InterruptedException {
    String hostBefore = Files.readString(Path.of("/proc/self/mountinfo"));
    Path shared = Path.of(PropagationDriver.SHARED_DIR);
    Files.createDirectories(shared);
    try {
      List<String> command = new ArrayList<>(List.of("unshare"));
      if (!System.getProperty("user.name").equals("root")) {
        command.addAll(List.of("--user", "--map-root-user"));
      }
      command.addAll(List.of("--mount", "--propagation", "private",
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          String.join(":", ChildClassPath.of(System.getProperty("java.class.path"),
              PropagationTests.class.getClassLoader())),
          PropagationDriver.class.getName()));
      Process driver = new ProcessBuilder(command).redirectErrorStream(true).start();
      driver.getOutputStream().close();
      String output = new String(driver.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(driver.waitFor()).as(output).isZero();

      assertThat(output.lines().filter(line -> line.startsWith("RESULT ")))
          .as(output)
          .containsExactlyInAnyOrder(
              "RESULT privateInPractice() SUCCESSFUL ",
              "RESULT slaveInPractice() SUCCESSFUL ",
              "RESULT sharedInPractice() SUCCESSFUL ",
              "RESULT unbindableInPractice() SUCCESSFUL ");
    } finally {
      Files.delete(shared);
    }
    // The outer namespace died with the driver: the real host never saw its mounts.
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).isEqualTo(hostBefore);
  }

  /** The optional fields of the mount at "/": "shared:1", "master:1", "unbindable" or "". */
  static String rootPropagation() throws IOException {
    String fields = "";
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] parts = line.substring(0, line.indexOf(" - ")).split(" ");
      if (parts[4].equals("/")) {
        fields = String.join(" ", java.util.Arrays.copyOfRange(parts, 6, parts.length));
      }
    }
    return fields;
  }

  /**
   * Run by {@link PropagationDriver} inside its outer namespace, where {@code SHARED_DIR} is a
   * shared tmpfs the driver mounts "host" mounts below while these tests wait.
   */
  static class InPracticeTestCase {

    @Test
    @IsolatedMounts(propagation = Propagation.PRIVATE)
    void privateInPractice() throws IOException, InterruptedException {
      assertThat(exchange("private")).as("the host's mount inside, the child's on the host")
          .containsExactly(false, false);
    }

    @Test
    @IsolatedMounts(propagation = Propagation.SLAVE)
    void slaveInPractice() throws IOException, InterruptedException {
      assertThat(exchange("slave")).as("the host's mount inside, the child's on the host")
          .containsExactly(true, false);
    }

    @Test
    @IsolatedMounts(propagation = Propagation.SHARED)
    @Tmpfs(Fixtures.VAR_LIB)
    void sharedInPractice() throws IOException, InterruptedException {
      assertThat(exchange("shared")).as("the host's mount inside, the child's on the host")
          .containsExactly(false, false);
      // Within the child, / is shared: a bind is a peer, and a mount below one appears in both.
      Path a = Files.createDirectories(Path.of(Fixtures.VAR_LIB, "a"));
      Path b = Files.createDirectories(Path.of(Fixtures.VAR_LIB, "b"));
      Syscalls.mount(a.toString(), b.toString(), null, MountFlags.MS_BIND, null);
      Files.createDirectories(a.resolve("x"));
      Syscalls.mount("isolated-mounts-it", a.resolve("x").toString(), "tmpfs", 0, null);
      Files.writeString(a.resolve("x/marker"), "peer");
      assertThat(b.resolve("x/marker")).hasContent("peer");
      assertThat(MountTests.mountLine(b + "/x")).contains(" - tmpfs ");
    }

    @Test
    @IsolatedMounts(propagation = Propagation.UNBINDABLE)
    @Tmpfs(Fixtures.VAR_LIB)
    void unbindableInPractice() throws IOException, InterruptedException {
      assertThat(exchange("unbindable")).as("the host's mount inside, the child's on the host")
          .containsExactly(false, false);
      assertThatThrownBy(() -> Syscalls.mount("/etc", Fixtures.VAR_LIB, null,
              MountFlags.MS_BIND, null))
          .isInstanceOf(SyscallException.class)
          .hasMessageContaining("EINVAL");
      assertThatThrownBy(() -> Syscalls.mount(Fixtures.VAR_LIB, PropagationDriver.SHARED_DIR
              + "/unbindable-child", null, MountFlags.MS_BIND, null))
          .hasMessageContaining("EINVAL");
    }

    /**
     * Asks the host for a mount, sees whether it arrives here, mounts one of our own and asks
     * whether the host saw it. Waits are bounded; the answers, not the timing, are asserted.
     */
    private static List<Boolean> exchange(String name) throws IOException, InterruptedException {
      Path dir = Path.of(PropagationDriver.SHARED_DIR);
      Files.writeString(dir.resolve(name + ".ready"), "");
      awaitFile(dir.resolve(name + ".mounted"));
      boolean hostMountInside = Files.exists(dir.resolve(name + "-host/marker"));
      Path own = dir.resolve(name + "-child");
      Syscalls.mount("isolated-mounts-it", own.toString(), "tmpfs", 0, null);
      Files.writeString(own.resolve("marker"), "made by the child");
      Files.writeString(dir.resolve(name + ".childMounted"), "");
      Path answer = dir.resolve(name + ".answer");
      awaitFile(answer);
      return List.of(hostMountInside, Files.readString(answer).equals("seen"));
    }

    private static void awaitFile(Path file) throws InterruptedException {
      for (int i = 0; i < 6000 && !Files.exists(file); i++) {
        Thread.sleep(10);
      }
      assertThat(file).as("the driver playing the host answered").exists();
    }
  }

  static class PropagationTestCase {

    @Test
    @IsolatedMounts(propagation = Propagation.PRIVATE)
    void privateRoot() throws IOException {
      assertThat(rootPropagation()).doesNotContain("shared:", "master:", "unbindable");
    }

    @Test
    @IsolatedMounts(propagation = Propagation.SLAVE)
    void slaveRoot() throws IOException {
      // A slave needs a master: only a host whose / is shared gives one.
      if (System.getProperty("it.host.root").contains("shared:")) {
        assertThat(rootPropagation()).contains("master:").doesNotContain("shared:");
      } else {
        assertThat(rootPropagation()).doesNotContain("shared:");
      }
    }

    @Test
    @IsolatedMounts(propagation = Propagation.SHARED)
    void sharedRoot() throws IOException {
      assertThat(rootPropagation()).contains("shared:");
    }

    @Test
    @IsolatedMounts(propagation = Propagation.UNBINDABLE)
    void unbindableRoot() throws IOException {
      assertThat(rootPropagation()).contains("unbindable");
    }
  }
}

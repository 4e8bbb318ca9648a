package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.internal.fork.ChildClassPath;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

@DisplayName("When the parent JVM is killed mid-test")
class ParentDeathTests {

  @Test
  @DisplayName("SIGKILL: its child JVM and everything that child started end with it")
  void sigkill(@TempDir Path temp, TestReporter reporter) throws Exception {
    killParent(temp, reporter, false);
  }

  @Test
  @DisplayName("SIGKILL while the child JVM is stopped (it cannot notice): the tree ends all the same")
  void sigkillWhileChildStopped(@TempDir Path temp, TestReporter reporter) throws Exception {
    killParent(temp, reporter, true);
  }

  @Test
  @DisplayName("SIGTERM (a build stopped, Ctrl-C): the tree ends, and the child's directory goes"
      + " with it, not at the next run")
  void sigterm(@TempDir Path temp) throws Exception {
    String marker = Processes.uniqueSleep();
    Process parent = startParent(temp, marker);
    try {
      List<ProcessHandle> tree = parent.descendants().toList();
      String own = "isolated-mounts-" + parent.pid() + "-";
      assertThat(childDirectories(own)).isNotEmpty();

      parent.destroy();
      assertThat(parent.waitFor(60, TimeUnit.SECONDS)).as("the parent JVM exited").isTrue();
      awaitGone(tree, marker, System.nanoTime());

      assertThat(childDirectories(own)).as("directories of the exited JVM's children").isEmpty();
    } finally {
      parent.descendants().forEach(ProcessHandle::destroyForcibly);
      parent.destroyForcibly();
    }
  }

  private void killParent(Path temp, TestReporter reporter, boolean stopChild) throws Exception {
    String marker = Processes.uniqueSleep();
    Process parent = startParent(temp, marker);
    try {
      List<ProcessHandle> tree = parent.descendants().toList();
      assertThat(tree).as("unshare, init, child JVM, two sleeps").hasSizeGreaterThanOrEqualTo(5);
      assertThat(Processes.sleeping(marker)).hasSize(2);

      if (stopChild) {
        for (ProcessHandle child : tree) {
          if (child.info().commandLine().orElse("").contains("ChildMain")) {
            new ProcessBuilder("kill", "-STOP", String.valueOf(child.pid())).start().waitFor();
          }
        }
      }
      long killedAt = System.nanoTime();
      parent.destroyForcibly().waitFor();
      long millis = awaitGone(tree, marker, killedAt);
      reporter.publishEntry("all gone after ms", String.valueOf(millis));
      System.out.println("parent JVM killed: its process tree was gone after " + millis + " ms");

      // A killed JVM cannot remove its children's directories: the next JVM that starts a child
      // removes those of JVMs that no longer run.
      String dead = "isolated-mounts-" + parent.pid() + "-";
      assertThat(childDirectories(dead)).isNotEmpty();
      Process next = java(temp, NextJvm.class.getName()).start();
      assertThat(next.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(next.exitValue()).as("the next JVM's run; its output:\n%s",
          new String(next.getInputStream().readAllBytes())).isZero();
      assertThat(childDirectories(dead)).isEmpty();
    } finally {
      parent.descendants().forEach(ProcessHandle::destroyForcibly);
      parent.destroyForcibly();
    }
  }

  /** A parent JVM running the hanging fixture, once its test has started its two sleeps. */
  private Process startParent(Path temp, String marker) throws IOException, InterruptedException {
    Path ready = temp.resolve("ready");
    Process parent = java(temp, "-Dit.ready=" + ready, "-Dit.sleep=" + marker,
        ParentJvm.class.getName())
        .redirectOutput(temp.resolve("parent.log").toFile()).start();
    try {
      awaitFile(ready, parent, temp.resolve("parent.log"));
      return parent;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      parent.descendants().forEach(ProcessHandle::destroyForcibly);
      parent.destroyForcibly();
      throw e;
    }
  }

  /**
   * Waits until the parent's tree and the sleeps its test started are gone, 10 s from
   * {@code since} at most, asserts they are, and returns how long it took in milliseconds.
   */
  private static long awaitGone(List<ProcessHandle> tree, String marker, long since)
      throws InterruptedException {
    long deadline = since + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline
        && (tree.stream().anyMatch(Processes::running)
            || !Processes.sleeping(marker).isEmpty())) {
      Thread.sleep(10);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    assertThat(tree.stream().filter(Processes::running).map(ProcessHandle::pid)).isEmpty();
    assertThat(Processes.sleeping(marker)).isEmpty();
    return millis;
  }

  private ProcessBuilder java(Path temp, String... arguments) {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", String.join(File.pathSeparator, ChildClassPath.of(
            System.getProperty("java.class.path"), getClass().getClassLoader()))));
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  private static List<Path> childDirectories(String prefix) throws IOException {
    try (java.util.stream.Stream<Path> entries =
        Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
    }
  }

  private static void awaitFile(Path file, Process parent, Path log)
      throws IOException, InterruptedException {
    while (!Files.exists(file) || Files.size(file) == 0) {
      assertThat(parent.isAlive()).as("the parent JVM is running; its output:\n%s",
          Files.exists(log) ? Files.readString(log) : "").isTrue();
      Thread.sleep(50);
    }
  }

  /** A JVM that runs the fixture as a build tool would, to be killed while it does. */
  static final class ParentJvm {
    public static void main(String[] args) {
      EngineTestKit.engine("junit-jupiter").selectors(selectClass(HangingTestCase.class))
          .execute();
    }
  }

  /** A JVM that starts one isolated test after the killed one, as the next build would. */
  static final class NextJvm {
    public static void main(String[] args) {
      long failed = EngineTestKit.engine("junit-jupiter")
          .selectors(selectClass(PassingTestCase.class)).execute()
          .testEvents().failed().count();
      System.exit(failed == 0 ? 0 : 1);
    }
  }

  @IsolatedMounts
  static class PassingTestCase {
    @Test
    void passes() {}
  }

  @IsolatedMounts
  static class HangingTestCase {
    @Test
    void hangs() throws Exception {
      String marker = System.getProperty("it.sleep");
      Processes.orphanSleep(marker);
      Processes.childSleep(marker);
      Files.writeString(Path.of(System.getProperty("it.ready")), "started");
      Thread.sleep(600_000);
    }
  }
}

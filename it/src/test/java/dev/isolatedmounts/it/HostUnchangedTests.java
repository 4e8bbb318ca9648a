package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@Order(Integer.MAX_VALUE)
@DisplayName("After the suite")
class HostUnchangedTests {

  @Test
  @DisplayName("the host's mount table and the watched directories are exactly as before")
  void hostIsUnchanged() {
    HostState before = HostState.recorded();
    assumeThat(before).as("snapshot from HostSnapshotTests (run the whole suite)").isNotNull();

    HostState after = HostState.now();

    assertThat(after.mountinfo()).isEqualTo(before.mountinfo());
    assertThat(after.listings()).isEqualTo(before.listings());
    assertThat(Path.of(Fixtures.VAR_LIB)).doesNotExist();
    assertThat(Path.of(Fixtures.ETC)).doesNotExist();
    assertThat(Path.of(Fixtures.TOP)).doesNotExist();
    assertThat(Path.of(Fixtures.ETC + ".conf")).doesNotExist();
  }

  /** A training of the archive may still run in the background; it must end by itself. */
  @BeforeAll
  static void trainingsEnd() {
    Processes.awaitTraining();
  }

  @Test
  @DisplayName("no process is left running below this JVM: no child JVM, no unshare, no orphan")
  void noChildLeft() {
    assertThat(ProcessHandle.current().descendants().filter(Processes::running)
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("")))
        .isEmpty();
  }

  @Test
  @DisplayName("no child directory of this JVM is left in java.io.tmpdir")
  void noDirectoryLeft() throws java.io.IOException {
    try (var entries = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(entries.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("isolated-mounts-" + ProcessHandle.current().pid() + "-")))
          .isEmpty();
    }
  }
}

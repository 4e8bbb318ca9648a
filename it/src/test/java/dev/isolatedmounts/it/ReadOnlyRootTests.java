package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;

import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Overlay;
import dev.isolatedmounts.Tmpfs;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

@DisplayName("@IsolatedMounts(readOnlyRoot = true) leaves only declared mounts writable")
class ReadOnlyRootTests {

  private static final String PROBE = "target/read-only-root-probe";

  @Test
  @DisplayName("undeclared writes fail with EROFS and the path; declared mounts and the JVM's"
      + " temp dir, @TempDir, /dev/null and /dev/shm keep working")
  void readOnlyRoot() throws IOException {
    Files.deleteIfExists(Path.of(PROBE));

    EngineExecutionResults results = Fixtures.run(ReadOnlyRootTestCase.class);

    results.testEvents().assertThatEvents()
        .haveExactly(1, event(test("undeclaredWritesFail"), finishedSuccessfully()))
        .haveExactly(1, event(test("declaredMountsAreWritable"), finishedSuccessfully()))
        .haveExactly(1, event(test("temporaryFilesWork"), finishedSuccessfully()))
        .haveExactly(1, event(test("devicesWork"), finishedSuccessfully()))
        .haveExactly(1, event(test("withoutTheSetting"), finishedSuccessfully()))
        .haveExactly(1, event(test("afterANewRoot"), finishedSuccessfully()));
    results.testEvents().assertStatistics(s -> s.failed(0).aborted(0));
    assertThat(Path.of(PROBE)).doesNotExist();
    assertThat(Path.of("/etc/isolated-mounts-it-ro")).doesNotExist();
  }

  @IsolatedMounts(readOnlyRoot = true)
  static class ReadOnlyRootTestCase {

    @Test
    void undeclaredWritesFail() throws IOException {
      assertThatThrownBy(() -> Files.writeString(Path.of(PROBE), "x"))
          .isInstanceOf(FileSystemException.class)
          .hasMessageContaining(PROBE)
          .hasMessageContaining("Read-only file system");
      assertThatThrownBy(() -> Files.createDirectory(Path.of("/var/tmp/isolated-mounts-it-ro")))
          .hasMessageContaining("Read-only file system");
      assertThat(MountTests.mountLine("/")).contains("/ ro,");
    }

    @Test
    @Tmpfs(Fixtures.VAR_LIB)
    @Overlay("/etc")
    void declaredMountsAreWritable() throws IOException {
      Files.writeString(Path.of(Fixtures.VAR_LIB, "data"), "tmpfs");
      Files.writeString(Path.of("/etc/isolated-mounts-it-ro"), "overlay");
      assertThat(Path.of(Fixtures.VAR_LIB, "data")).hasContent("tmpfs");
      assertThat(Path.of("/etc/isolated-mounts-it-ro")).hasContent("overlay");
    }

    @Test
    void temporaryFilesWork(@TempDir Path temp) throws IOException {
      Files.writeString(temp.resolve("file"), "in @TempDir");
      Path created = Files.createTempFile("isolated", ".tmp");
      Files.writeString(created, "in java.io.tmpdir");
      assertThat(created).hasContent("in java.io.tmpdir");
      assertThat(MountTests.mountLine(System.getProperty("java.io.tmpdir")))
          .startsWith(System.getProperty("java.io.tmpdir") + " rw,").contains(" - tmpfs ");
    }

    @Test
    void devicesWork() throws IOException {
      Files.writeString(Path.of("/dev/null"), "discarded");
      if (Files.isDirectory(Path.of("/dev/shm"))) {
        Path shared = Files.createTempFile(Path.of("/dev/shm"), "isolated-mounts-it", "");
        Files.delete(shared);
      }
    }

    @Test
    @Tmpfs(Fixtures.TOP + "/data")
    void afterANewRoot(@TempDir Path temp) throws IOException {
      // A target absent below "/" means a new root (chroot): the same rules hold in it.
      Files.writeString(Path.of(Fixtures.TOP, "data", "file"), "declared");
      Files.writeString(temp.resolve("file"), "temporary");
      assertThatThrownBy(() -> Files.writeString(Path.of(Fixtures.TOP, "undeclared"), "x"))
          .hasMessageContaining("Read-only file system");
      assertThatThrownBy(() -> Files.writeString(Path.of(PROBE), "x"))
          .hasMessageContaining("Read-only file system");
    }

    @Test
    @IsolatedMounts
    void withoutTheSetting() throws IOException {
      // The innermost @IsolatedMounts gives all settings: here the root stays writable.
      assertThat(MountTests.mountLine("/")).doesNotContain("/ ro,");
    }
  }
}

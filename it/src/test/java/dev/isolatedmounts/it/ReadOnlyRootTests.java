package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;

import dev.isolatedmounts.Bind;
import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Overlay;
import dev.isolatedmounts.Tmpfs;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MediaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.reporting.FileEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.testkit.engine.EngineExecutionResults;

@DisplayName("@IsolatedMounts(readOnlyRoot = true) leaves only declared mounts writable")
class ReadOnlyRootTests {

  private static final String PROBE = "target/read-only-root-probe";
  private static final String TMP_SOURCE = "target/read-only-root-tmp-source";

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

  @Test
  @DisplayName("a declared mount over /tmp, which holds the child's own directory, hides neither"
      + " its temp dir nor the files it publishes, and leaves nothing in a bind's source")
  void mountOverTheChildsDirectory(@TempDir Path output) throws IOException {
    Path source = Files.createDirectories(Path.of(TMP_SOURCE));
    Files.deleteIfExists(source.resolve("written-by-the-test")); // an earlier failed run's
    try (Stream<Path> entries = Files.list(source)) {
      assertThat(entries).as("the bind's source, before").isEmpty();
    }
    Map<String, FileEntry> published = new ConcurrentHashMap<>();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(MountOverTmpTestCase.class))
        .configurationParameter("junit.platform.reporting.output.dir", output.toString())
        .build(), summary, new TestExecutionListener() {
          @Override
          public void fileEntryPublished(TestIdentifier test, FileEntry file) {
            published.put(test.getDisplayName(), file);
          }
        });

    TestExecutionSummary result = summary.getSummary();
    assertThat(result.getTestsSucceededCount()).as("succeeded").isEqualTo(3);
    assertThat(result.getFailures()).singleElement().satisfies(failure -> {
      assertThat(failure.getTestIdentifier().getDisplayName()).isEqualTo("readOnlyBind()");
      assertThat(failure.getException()).hasMessageContaining(
          "@IsolatedMounts(readOnlyRoot = true): @Bind(source = \"" + source.toAbsolutePath()
          + "\", target = \"/tmp\", readOnly = true) hides /tmp/isolated-mounts-")
          .hasMessageContaining("Read-only file system")
          .hasMessageContaining("Make that mount writable, or mount onto a directory below /tmp,"
              + " or use @Tmpfs(\"/tmp\")");
    });
    assertThat(published).containsOnlyKeys("bind(TestInfo, TestReporter)",
        "tmpfs(TestInfo, TestReporter)", "overlay(TestInfo, TestReporter)");
    published.forEach((test, file) -> assertThat(file.getPath()).startsWith(output)
        .hasContent("published by " + test));
    try (Stream<Path> entries = Files.list(source)) {
      // What the test wrote in /tmp, and not the directory the child made to show its own again.
      assertThat(entries).as("the bind's source, after")
          .containsExactly(source.resolve("written-by-the-test"));
    }
    Files.delete(source.resolve("written-by-the-test"));
  }

  @IsolatedMounts(readOnlyRoot = true)
  static class MountOverTmpTestCase {

    @Test
    @Bind(source = TMP_SOURCE, target = "/tmp")
    void bind(TestInfo info, TestReporter reporter) throws IOException {
      temporaryAndPublishedFilesWork(info, reporter);
      Files.writeString(Path.of("/tmp/written-by-the-test"), "into the bind");
    }

    @Test
    @Tmpfs("/tmp")
    void tmpfs(TestInfo info, TestReporter reporter) throws IOException {
      temporaryAndPublishedFilesWork(info, reporter);
    }

    @Test
    @Overlay("/tmp")
    void overlay(TestInfo info, TestReporter reporter) throws IOException {
      temporaryAndPublishedFilesWork(info, reporter);
    }

    @Test
    @Bind(source = TMP_SOURCE, target = "/tmp", readOnly = true)
    void readOnlyBind() {
    }

    private static void temporaryAndPublishedFilesWork(TestInfo info, TestReporter reporter)
        throws IOException {
      Path tmpDir = Path.of(System.getProperty("java.io.tmpdir"));
      assertThat(Files.getAttribute(tmpDir, "unix:dev"))
          .as("java.io.tmpdir is on its own tmpfs, not on the declared mount over /tmp")
          .isNotEqualTo(Files.getAttribute(Path.of("/tmp"), "unix:dev"));
      Path created = Files.createTempFile("isolated", ".tmp");
      Files.writeString(created, "in java.io.tmpdir");
      assertThat(created).startsWith(tmpDir).hasContent("in java.io.tmpdir");
      reporter.publishFile("published.txt", MediaType.TEXT_PLAIN_UTF_8,
          file -> Files.writeString(file, "published by " + info.getDisplayName()));
    }
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

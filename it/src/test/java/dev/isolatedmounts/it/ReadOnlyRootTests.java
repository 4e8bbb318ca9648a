package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isolatedmounts.Bind;
import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Overlay;
import dev.isolatedmounts.Tmpfs;
import dev.isolatedmounts.internal.fork.ChildClassPath;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MediaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.FileEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.testkit.engine.EngineExecutionResults;

@DisplayName("@IsolatedMounts(readOnlyRoot = true) leaves only declared mounts writable")
class ReadOnlyRootTests {

  private static final String PROBE = "target/read-only-root-probe";
  private static final String TMP_SOURCE = "target/read-only-root-tmp-source";
  private static final String PARENT_TMP = "/var/tmp/isolated-mounts-it-parent-tmp";

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

  /**
   * Runs in a parent JVM of its own whose {@code java.io.tmpdir} is {@link #PARENT_TMP}: a mount
   * onto this JVM's, {@code /tmp}, would also hide the project when it is below {@code /tmp} (a
   * clone in a temporary directory, the unprivileged run's copy).
   */
  @Test
  @DisplayName("a declared mount over the parent's temp dir, which holds the child's own"
      + " directory, hides neither the child's temp dir nor the files it publishes, and leaves"
      + " nothing in a bind's source")
  void mountOverTheChildsDirectory(@TempDir Path output) throws Exception {
    Path source = Files.createDirectories(Path.of(TMP_SOURCE));
    Files.deleteIfExists(source.resolve("written-by-the-test")); // an earlier failed run's
    try (Stream<Path> entries = Files.list(source)) {
      assertThat(entries).as("the bind's source, before").isEmpty();
    }
    Path parentTmp = Files.createDirectories(Path.of(PARENT_TMP));
    String printed;
    try {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Djava.io.tmpdir=" + PARENT_TMP, "-cp", String.join(File.pathSeparator,
              ChildClassPath.of(System.getProperty("java.class.path"),
                  ReadOnlyRootTests.class.getClassLoader())),
          MountOverTmpDriver.class.getName(), output.toString()));
      Process driver = new ProcessBuilder(command).redirectErrorStream(true).start();
      driver.getOutputStream().close();
      printed = new String(driver.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(driver.waitFor()).as(printed).isZero();
      try (Stream<Path> entries = Files.list(parentTmp)) {
        assertThat(entries).as("the parent's temp dir, after").isEmpty();
      }
    } finally {
      Files.deleteIfExists(parentTmp);
    }

    List<String> results = printed.lines().filter(line -> line.startsWith("RESULT ")).toList();
    assertThat(results).as(printed).hasSize(4).contains(
        "RESULT bind SUCCESSFUL", "RESULT tmpfs SUCCESSFUL", "RESULT overlay SUCCESSFUL");
    assertThat(results).filteredOn(line -> line.startsWith("RESULT readOnlyBind FAILED "))
        .singleElement().asString()
        .contains("@IsolatedMounts(readOnlyRoot = true): @Bind(source = \""
            + source.toAbsolutePath() + "\", target = \"" + PARENT_TMP
            + "\", readOnly = true) hides " + PARENT_TMP + "/isolated-mounts-")
        .contains("Read-only file system")
        .contains("Make that mount writable, or mount onto a directory below " + PARENT_TMP
            + ", or use @Tmpfs(\"" + PARENT_TMP + "\")");
    for (String test : List.of("bind", "tmpfs", "overlay")) {
      assertThat(printed).as("the file %s published", test).contains(
          "PUBLISHED " + test + " " + output + "/ published by " + test);
    }
    try (Stream<Path> entries = Files.list(source)) {
      // What the test wrote there, and not the directory the child made to show its own again.
      assertThat(entries).as("the bind's source, after")
          .containsExactly(source.resolve("written-by-the-test"));
    }
    Files.delete(source.resolve("written-by-the-test"));
  }

  /** The parent JVM for {@link #mountOverTheChildsDirectory}; prints what its tests did. */
  static final class MountOverTmpDriver {
    public static void main(String[] args) {
      Path output = Path.of(args[0]);
      Map<String, String> published = new ConcurrentHashMap<>();
      List<String> results = new CopyOnWriteArrayList<>();
      LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
          .selectors(selectClass(MountOverTmpTestCase.class))
          .configurationParameter("junit.platform.reporting.output.dir", output.toString())
          .build(), new TestExecutionListener() {
            @Override
            public void fileEntryPublished(TestIdentifier test, FileEntry file) {
              String content;
              try {
                content = Files.readString(file.getPath());
              } catch (IOException e) {
                content = e.toString();
              }
              published.put(name(test), (file.getPath().startsWith(output) ? output + "/ "
                  : file.getPath() + " ") + content);
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
              if (test.isTest()) {
                results.add(name(test) + " " + result.getStatus() + result.getThrowable()
                    .map(t -> " " + String.valueOf(t).replace('\n', ' ')).orElse(""));
              }
            }
          });
      published.forEach((test, file) -> System.out.println("PUBLISHED " + test + " " + file));
      results.forEach(result -> System.out.println("RESULT " + result));
      System.out.flush();
      System.exit(0);
    }

    private static String name(TestIdentifier test) {
      return test.getDisplayName().replaceAll("\\(.*", "");
    }
  }

  @Test
  @DisplayName("a java.io.tmpdir the test chooses for its child, which its private one would"
      + " replace in silence, is refused; one for the whole run is replaced")
  void chosenTmpDir() {
    String replaces = "@IsolatedMounts(readOnlyRoot = true) gives the child a private, writable"
        + " java.io.tmpdir of its own (so @TempDir works under the read-only root), which would"
        + " replace ";
    String fix = ": remove it, or set readOnlyRoot = false to have the directory it names";
    Fixtures.run(ChosenTmpDirTestCase.class).testEvents().assertThatEvents()
        .haveExactly(1, event(test("declared"), finishedWithFailure(
            instanceOf(ExtensionConfigurationException.class), message(replaces
                + "-Djava.io.tmpdir=/var/tmp/app, chosen in @IsolatedMounts(jvmArgs)" + fix))));
    // One for the whole run is replaced, as this JVM's own is: it was not chosen for the test.
    Fixtures.run(ReadOnlyRootTestCase.class, Map.of("isolatedmounts.jvmArgs",
            "-Xmx64m -Djava.io.tmpdir=/var/tmp/app")).testEvents().assertThatEvents()
        .haveExactly(1, event(test("temporaryFilesWork"), finishedSuccessfully()));
  }

  static class ChosenTmpDirTestCase {
    @Test
    @IsolatedMounts(readOnlyRoot = true, jvmArgs = "-Djava.io.tmpdir=/var/tmp/app")
    @Tmpfs("/var/tmp/app")
    void declared() {}
  }

  @IsolatedMounts(readOnlyRoot = true)
  static class MountOverTmpTestCase {

    @Test
    @Bind(source = TMP_SOURCE, target = PARENT_TMP)
    void bind(TestInfo info, TestReporter reporter) throws IOException {
      temporaryAndPublishedFilesWork(info, reporter);
      Files.writeString(Path.of(PARENT_TMP, "written-by-the-test"), "into the bind");
    }

    @Test
    @Tmpfs(PARENT_TMP)
    void tmpfs(TestInfo info, TestReporter reporter) throws IOException {
      temporaryAndPublishedFilesWork(info, reporter);
    }

    @Test
    @Overlay(PARENT_TMP)
    void overlay(TestInfo info, TestReporter reporter) throws IOException {
      temporaryAndPublishedFilesWork(info, reporter);
    }

    @Test
    @Bind(source = TMP_SOURCE, target = PARENT_TMP, readOnly = true)
    void readOnlyBind() {
    }

    private static void temporaryAndPublishedFilesWork(TestInfo info, TestReporter reporter)
        throws IOException {
      Path tmpDir = Path.of(System.getProperty("java.io.tmpdir"));
      assertThat(tmpDir).startsWith(Path.of(PARENT_TMP));
      assertThat(Files.getAttribute(tmpDir, "unix:dev"))
          .as("java.io.tmpdir is on its own tmpfs, not on the declared mount over its parent's")
          .isNotEqualTo(Files.getAttribute(Path.of(PARENT_TMP), "unix:dev"));
      Path created = Files.createTempFile("isolated", ".tmp");
      Files.writeString(created, "in java.io.tmpdir");
      assertThat(created).startsWith(tmpDir).hasContent("in java.io.tmpdir");
      reporter.publishFile("published.txt", MediaType.TEXT_PLAIN_UTF_8,
          file -> Files.writeString(file, "published by "
              + info.getTestMethod().orElseThrow().getName()));
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

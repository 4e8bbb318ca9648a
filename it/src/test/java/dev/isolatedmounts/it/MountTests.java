package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;

import dev.isolatedmounts.Bind;
import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Tmpfs;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

@DisplayName("Mounts are made as declared, inside the namespace only")
class MountTests {

  private static final Path RW_SOURCE = Path.of("target/rw-bind-source").toAbsolutePath();

  @Test
  @DisplayName("a tmpfs has its size and mode; writing past the size fails with ENOSPC")
  void tmpfs() {
    assertAllSucceeded(Fixtures.run(TmpfsTestCase.class), "sizeAndMode", "full");
  }

  @Test
  @DisplayName("a test that fills its sized tmpfs fails as it did, with a note naming the tmpfs")
  void fullTmpfsNoted() {
    Throwable failure = Fixtures.run(FullTmpfsTestCase.class).testEvents().failed().stream()
        .findFirst().orElseThrow().getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .orElseThrow().getThrowable().orElseThrow();
    assertThat(failure).isInstanceOf(IOException.class)
        .hasMessageContaining("No space left on device");
    assertThat(failure.getSuppressed()).singleElement().extracting(Throwable::getMessage)
        .asString().startsWith("@Tmpfs(value = \"" + Fixtures.VAR_LIB + "\", size = \"64k\") is"
            + " full (")
        .endsWith(" bytes free): the test wrote more than its size allows; give it a larger"
            + " size, or leave size out for the kernel's default (half of RAM)");
  }

  @Test
  @DisplayName("a read-only bind refuses writes; a read-write bind writes through to the host")
  void binds() throws IOException {
    Files.createDirectories(RW_SOURCE);
    Files.deleteIfExists(RW_SOURCE.resolve("written-inside"));

    assertAllSucceeded(Fixtures.run(BindTestCase.class), "readOnly", "readWrite", "file",
        "overHostMounts");

    assertThat(RW_SOURCE.resolve("written-inside")).hasContent("through the bind");
  }

  @Test
  @DisplayName("targets absent on the host are made inside the namespace only")
  void absentTargets() throws IOException {
    System.setProperty("it.varlib", listing("/var/lib"));
    System.setProperty("it.root", listing("/"));

    Files.createDirectories(Path.of(RO_TARGET));
    try {
      assertAllSucceeded(Fixtures.run(AbsentTargetTestCase.class),
          "belowAnExistingDirectory", "atTheTopLevel", "belowAnEarlierMount",
          "belowAHostEntryOfACoveredDirectory", "belowADeclaredBind", "belowAReadOnlyBind",
          "belowAReadOnlyHostBind");
      assertThat(Path.of(RO_TARGET)).isEmptyDirectory();
    } finally {
      Files.delete(Path.of(RO_TARGET));
    }

    assertThat(Path.of(Fixtures.VAR_LIB)).doesNotExist();
    assertThat(Path.of(Fixtures.TOP)).doesNotExist();
    assertThat(Path.of(Fixtures.ETC + ".conf")).doesNotExist();
    assertThat(Path.of(USR_TARGET)).doesNotExist();
    assertThat(Path.of(USR_SHARE_TARGET)).doesNotExist();
    assertThat(Path.of("src/test/fixtures/conf/made-inside")).doesNotExist();
    assertThat(Path.of("src/test/fixtures/conf/cache")).doesNotExist();
  }

  /**
   * A directory covered to make a target in it may change while its entries are bound back, as a
   * busy {@code /tmp} does: an entry gone meanwhile is left out, one of another kind now is bound
   * back as what it is. Until then the test failed with ENOENT or ENOTDIR now and then.
   */
  /**
   * JUnit runs a {@code @Nested} class inherited from a superclass within the subclass: the
   * subclass's declarations are its own. Until this version they were read from the superclass
   * Java declares it in, so its tests ran in the test run's JVM, on the host.
   */
  @Test
  @DisplayName("a @Nested class inherited from a superclass has the subclass's mounts")
  void inheritedNestedClass() {
    System.setProperty("it.parent.pid", String.valueOf(ProcessHandle.current().pid()));
    Fixtures.run(SubclassTestCase.class).testEvents()
        .assertStatistics(stats -> stats.started(2).succeeded(2));
    assertThat(Path.of(Fixtures.VAR_LIB)).doesNotExist();
  }

  @Test
  @DisplayName("a covered directory whose entries come and go while it is covered")
  void busyCoveredDirectory() throws Exception {
    Path busy = Files.createDirectories(Path.of(BUSY));
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread churn = new Thread(() -> {
      for (long round = 0; !done.get(); round++) {
        for (int i = 0; i < BUSY_ENTRIES && !done.get(); i++) {
          Path entry = busy.resolve("entry-" + i);
          try {
            // Each round, every entry is gone for a moment, and comes back: as the other kind
            // in even rounds, as the same in odd ones (a rewritten lock file).
            boolean directory = Files.isDirectory(entry);
            Files.deleteIfExists(entry);
            if (directory == (round % 2 == 0)) {
              Files.createFile(entry);
            } else {
              Files.createDirectory(entry);
            }
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
    }, "busy-directory-churn");
    for (int i = 0; i < BUSY_ENTRIES; i++) {
      Files.createFile(busy.resolve("entry-" + i));
    }
    churn.start();
    EngineExecutionResults results;
    try {
      results = Fixtures.run(BusyDirectoryTestCase.class);
    } finally {
      done.set(true);
      churn.join();
      try (Stream<Path> entries = Files.list(busy)) {
        for (Path entry : (Iterable<Path>) entries::iterator) {
          Files.delete(entry);
        }
      }
      Files.delete(busy);
    }
    results.testEvents().assertStatistics(stats -> stats.started(BUSY_RUNS)
        .succeeded(BUSY_RUNS));
  }

  static String listing(String directory) throws IOException {
    try (Stream<Path> entries = Files.list(Path.of(directory))) {
      return entries.map(p -> p.getFileName().toString()).sorted()
          .collect(Collectors.joining(","));
    }
  }

  private static void assertAllSucceeded(EngineExecutionResults results, String... tests) {
    for (String name : tests) {
      results.testEvents().assertThatEvents()
          .haveExactly(1, event(test(name), finishedSuccessfully()));
    }
    results.testEvents().assertStatistics(s -> s.failed(0).aborted(0));
  }

  @IsolatedMounts
  static class TmpfsTestCase {

    @Test
    @Tmpfs(value = Fixtures.VAR_LIB, size = "64k", mode = "0700")
    void sizeAndMode() throws IOException {
      Path root = Path.of(Fixtures.VAR_LIB);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root)))
          .isEqualTo("rwx------");
      assertThat(mountLine(Fixtures.VAR_LIB)).contains(" - tmpfs ").contains("size=64k");
    }

    @Test
    @Tmpfs(value = Fixtures.VAR_LIB, size = "64k")
    void full() {
      byte[] tooMuch = new byte[256 * 1024];
      assertThatThrownBy(() -> Files.write(Path.of(Fixtures.VAR_LIB, "big"), tooMuch))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("No space left on device");
    }
  }

  static class FullTmpfsTestCase {
    @Test
    @Tmpfs(value = Fixtures.VAR_LIB, size = "64k")
    @Tmpfs(value = Fixtures.VAR_LIB + "-roomy", size = "64k") // as small, but with room left
    void fills() throws IOException {
      Files.write(Path.of(Fixtures.VAR_LIB + "-roomy", "small"), new byte[1024]);
      Files.write(Path.of(Fixtures.VAR_LIB, "big"), new byte[256 * 1024]);
    }
  }

  @IsolatedMounts
  static class BindTestCase {

    @Test
    @Bind(source = "src/test/fixtures/conf", target = Fixtures.ETC, readOnly = true)
    void readOnly() throws IOException {
      assertThat(Path.of(Fixtures.ETC, "app.conf")).content().contains("port=7070");
      assertThatThrownBy(() -> Files.writeString(Path.of(Fixtures.ETC, "app.conf"), "changed"))
          .isInstanceOfAny(IOException.class)
          .satisfies(e -> assertThat(e.getMessage()).contains("Read-only file system"));
      assertThatThrownBy(() -> Files.createFile(Path.of(Fixtures.ETC, "new")))
          .hasMessageContaining("Read-only file system");
      assertThat(mountLine(Fixtures.ETC)).startsWith(Fixtures.ETC + " ro,");
    }

    @Test
    @Bind(source = "target/rw-bind-source", target = Fixtures.VAR_LIB)
    void readWrite() throws IOException {
      Files.writeString(Path.of(Fixtures.VAR_LIB, "written-inside"), "through the bind");
      assertThat(mountLine(Fixtures.VAR_LIB)).startsWith(Fixtures.VAR_LIB + " rw,");
    }

    @Test
    @Bind(source = "src/test/fixtures/conf/app.conf", target = Fixtures.ETC + ".conf",
        readOnly = true)
    void file() {
      assertThat(Path.of(Fixtures.ETC + ".conf")).isRegularFile().content().contains("port");
    }

    @Test
    @Bind(source = "src/test/fixtures/conf", target = "/sys", readOnly = true)
    void overHostMounts() throws IOException {
      // Only the mounts that came with the bind are made read-only: those it hides (/sys/fs/cgroup
      // here, a container's /etc/hosts below a bind onto /etc) are not looked for at their paths.
      assertThat(Path.of("/sys/app.conf")).content().contains("port=7070");
      assertThat(Path.of("/sys/fs")).doesNotExist();
      assertThat(mountLine("/sys")).startsWith("/sys ro,");
    }
  }

  private static final String USR_TARGET = "/usr/isolated-mounts-it";
  private static final String RO_TARGET = "/tmp/isolated-mounts-it-ro-target";
  private static final String USR_SHARE_TARGET = "/usr/share/isolated-mounts-it";

  abstract static class SuperclassTestCase {
    @org.junit.jupiter.api.Nested
    class InheritedTestCase {
      @Test
      void inChild() throws IOException {
        assertThat(Fixtures.hostPid()).isNotEqualTo(Long.getLong("it.parent.pid"));
        Files.writeString(Path.of(Fixtures.VAR_LIB, "written"), "in the tmpfs");
      }
    }
  }

  @Tmpfs(Fixtures.VAR_LIB)
  static class SubclassTestCase extends SuperclassTestCase {
    @Test
    void own() {
      assertThat(Path.of(Fixtures.VAR_LIB)).isEmptyDirectory();
    }
  }

  private static final String BUSY = "/tmp/isolated-mounts-it-busy";
  private static final int BUSY_ENTRIES = 2000;
  private static final int BUSY_RUNS = 8;

  static class BusyDirectoryTestCase {
    @RepeatedTest(BUSY_RUNS)
    @Tmpfs(BUSY + "/absent")
    void coveredWhileBusy() {
      assertThat(Path.of(BUSY, "absent")).isEmptyDirectory();
    }
  }

  @IsolatedMounts
  static class AbsentTargetTestCase {

    @Test
    @Tmpfs(Fixtures.VAR_LIB + "/absent/deep")
    @Tmpfs(Fixtures.VAR_LIB + "/second")
    void belowAnExistingDirectory() throws IOException {
      assertThat(Path.of(Fixtures.VAR_LIB, "absent", "deep")).isEmptyDirectory();
      assertThat(Path.of(Fixtures.VAR_LIB, "second")).isEmptyDirectory();
      // The covered directory shows exactly the host's entries plus the new one.
      List<String> expected = new java.util.ArrayList<>(
          Arrays.asList(System.getProperty("it.varlib").split(",")));
      expected.add("isolated-mounts-it");
      assertThat(listing("/var/lib").split(",")).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    @Tmpfs(Fixtures.TOP + "/data")
    @Bind(source = "src/test/fixtures/conf/app.conf", target = Fixtures.TOP + "/etc/app.conf")
    void atTheTopLevel() throws IOException {
      assertThat(Path.of(Fixtures.TOP, "data")).isEmptyDirectory();
      assertThat(Path.of(Fixtures.TOP, "etc", "app.conf")).content().contains("port=7070");
      List<String> expected = new java.util.ArrayList<>(
          Arrays.asList(System.getProperty("it.root").split(",")));
      expected.add("isolated-mounts-it-top");
      assertThat(listing("/").split(",")).containsExactlyInAnyOrderElementsOf(expected);
      // The JDK, the class path and the working directory still work after the new root.
      assertThat(Path.of("src/test/fixtures/conf/app.conf")).exists();
      assertThat(new StringBuilder("still").append(" here")).hasToString("still here");
    }

    /**
     * /usr is covered for the first target; /usr/share below it is the host's, bound back: the
     * second target is made by covering it too, not in it (which would be on the host).
     */
    @Test
    @Tmpfs(USR_TARGET)
    @Tmpfs(USR_SHARE_TARGET)
    void belowAHostEntryOfACoveredDirectory() {
      assertThat(Path.of(USR_TARGET)).isEmptyDirectory();
      assertThat(Path.of(USR_SHARE_TARGET)).isEmptyDirectory();
    }

    /** The declared bind shows a host directory: the target below it is not made there. */
    @Test
    @Tmpfs(Fixtures.VAR_LIB)
    @Bind(source = "src/test/fixtures/conf", target = Fixtures.VAR_LIB + "/conf")
    @Tmpfs(Fixtures.VAR_LIB + "/conf/made-inside")
    void belowADeclaredBind() {
      assertThat(Path.of(Fixtures.VAR_LIB, "conf", "made-inside")).isEmptyDirectory();
      assertThat(Path.of(Fixtures.VAR_LIB, "conf", "app.conf")).content().contains("port=7070");
    }

    /** Covered to make the target, the read-only bind's directory stays read-only. */
    @Test
    @Bind(source = "src/test/fixtures/conf", target = Fixtures.VAR_LIB, readOnly = true)
    @Tmpfs(Fixtures.VAR_LIB + "/cache")
    void belowAReadOnlyBind() throws IOException {
      Files.writeString(Path.of(Fixtures.VAR_LIB, "cache", "file"), "in the tmpfs");
      assertThat(Path.of(Fixtures.VAR_LIB, "app.conf")).content().contains("port=7070");
      assertThatThrownBy(() -> Files.writeString(Path.of(Fixtures.VAR_LIB, "app.conf"), "x"))
          .hasMessageContaining("Read-only file system");
      assertThatThrownBy(() -> Files.writeString(Path.of(Fixtures.VAR_LIB, "new"), "x"))
          .hasMessageContaining("Read-only file system");
    }

    /**
     * The same onto a directory that exists on the host, where the bind's source and the target's
     * parent are on one file system (the JDK's FileStore took such a bind for writable).
     */
    @Test
    @Bind(source = "src/test/fixtures/conf", target = RO_TARGET, readOnly = true)
    @Tmpfs(RO_TARGET + "/cache")
    void belowAReadOnlyHostBind() throws IOException {
      Files.writeString(Path.of(RO_TARGET, "cache", "file"), "in the tmpfs");
      assertThat(Path.of(RO_TARGET, "app.conf")).content().contains("port=7070");
      assertThatThrownBy(() -> Files.writeString(Path.of(RO_TARGET, "new"), "x"))
          .hasMessageContaining("Read-only file system");
    }

    @Test
    @Tmpfs("/etc")
    @Bind(source = "src/test/fixtures/conf", target = "/etc/passwd")
    void belowAnEarlierMount() {
      // A directory onto the host's file /etc/passwd: refused alone, but the tmpfs hides the file.
      assertThat(Path.of("/etc/passwd/app.conf")).content().contains("port=7070");
    }
  }

  /** The part of the mountinfo line after the mount root: "mount point options ...". */
  static String mountLine(String mountPoint) throws IOException {
    String found = null;
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] fields = line.split(" ");
      if (fields[4].equals(mountPoint)) {
        found = line.substring(line.indexOf(" " + mountPoint + " ") + 1);
      }
    }
    if (found == null) {
      throw new AccessDeniedException(mountPoint, null, "not a mount point");
    }
    return found;
  }
}

package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.cause;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isolatedmounts.Bind;
import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Overlay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

@DisplayName("@Overlay shows a host directory copy-on-write; the host directory is unchanged")
class OverlayTests {

  /** A lower directory this user owns, so copy-up works with and without root. */
  static final String LOWER = "/tmp/isolated-mounts-it-overlay";

  @BeforeAll
  static void makeLower() throws IOException {
    removeLower();
    Files.createDirectories(Path.of(LOWER, "sub"));
    Files.writeString(Path.of(LOWER, "config"), "from the host");
    Files.writeString(Path.of(LOWER, "gone"), "deleted inside only");
    Files.writeString(Path.of(LOWER, "sub", "nested"), "nested");
  }

  @AfterAll
  static void removeLower() throws IOException {
    if (Files.exists(Path.of(LOWER))) {
      try (Stream<Path> paths = Files.walk(Path.of(LOWER))) {
        for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
          Files.delete(path);
        }
      }
    }
  }

  @Test
  @DisplayName("changes, new files and deletions are seen inside and never reach the host")
  void copyOnWrite() throws IOException {
    EngineExecutionResults results = Fixtures.run(OverlayTestCase.class);

    results.testEvents().assertThatEvents()
        .haveExactly(1, event(test("changesStayInside"), finishedSuccessfully()))
        .haveExactly(1, event(test("hostEtc"), finishedSuccessfully()))
        .haveExactly(1, event(test("symbolicLink"), finishedSuccessfully()))
        .haveExactly(1, event(test("belowABind"), finishedSuccessfully()));
    assertThat(Path.of("/lib/isolated-mounts-it-overlay")).doesNotExist();
    assertThat(Path.of(LOWER, "config")).hasContent("from the host");
    assertThat(Path.of(LOWER, "gone")).exists();
    assertThat(Path.of(LOWER, "new")).doesNotExist();
    assertThat(Path.of(LOWER, "sub", "nested")).hasContent("nested");
    assertThat(Path.of("/etc/isolated-mounts-it-overlay")).doesNotExist();
    assertThat(Path.of(Fixtures.VAR_LIB)).doesNotExist();
    assertThat(Path.of(LOWER, "sub", "added")).doesNotExist();
  }

  @Test
  @DisplayName("a copy-up the kernel refuses (unmapped owner, unprivileged) fails saying why, and"
      + " a write denied below an overlay gets a note why")
  void unmappedOwner() {
    EngineExecutionResults results = Fixtures.run(UnmappedOwnerTestCase.class);

    if (System.getProperty("user.name").equals("root")) {
      // As root every owner is mapped: /var/tmp (root's) is copied up and the write works.
      results.testEvents().assertThatEvents()
          .haveExactly(1, event(test("writeBelowRootsDirectory"), finishedSuccessfully()))
          .haveExactly(1, event(test("writeBelowRootsReadOnly"), finishedSuccessfully()));
    } else {
      Throwable denied = results.testEvents().failed().stream()
          .filter(e -> e.getTestDescriptor().getDisplayName().startsWith("writeBelowRootsRead"))
          .findFirst().orElseThrow()
          .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
          .getThrowable().orElseThrow();
      assertThat(denied).isInstanceOf(java.nio.file.AccessDeniedException.class);
      assertThat(denied.getSuppressed()).singleElement().extracting(Throwable::getMessage)
          .asString().startsWith("Access to /usr/lib/isolated-mounts-it-overlay below"
              + " @Overlay(\"/usr\") was denied: an overlay shows each file with its owner")
          // Run as nobody, the user's own uid is the overflow id: the note says they differ.
          .satisfies(note -> assertThat(note.contains("nobody/65534: the same number as this"
              + " user's, but not this user's files)")).isEqualTo(uid() == 65534));
      results.testEvents().assertThatEvents().haveExactly(1, event(
          test("writeBelowRootsDirectory"), finishedWithFailure(
              message(m -> m.startsWith("The test failed writing below @Overlay(\"/var\") with"
                  + " EOVERFLOW (Value too large for defined data type): in an unprivileged user"
                  + " namespace the kernel cannot copy up a file or directory whose owner is not"
                  + " mapped") && m.contains("Run the tests as root, or copy the fixture")),
              cause(message(m -> m.contains("Value too large for defined data type"))))));
    }
    assertThat(Path.of("/var/tmp/isolated-mounts-it-overlay")).doesNotExist();
    assertThat(Path.of("/usr/lib/isolated-mounts-it-overlay")).doesNotExist();
  }

  static class OverlayTestCase {

    @Test
    @Overlay(LOWER)
    void changesStayInside() throws IOException {
      Path lower = Path.of(LOWER);
      assertThat(lower.resolve("config")).hasContent("from the host");
      Files.writeString(lower.resolve("config"), "changed inside");
      Files.writeString(lower.resolve("new"), "created inside");
      Files.delete(lower.resolve("gone"));
      Files.writeString(lower.resolve("sub/nested"), "changed too");

      assertThat(lower.resolve("config")).hasContent("changed inside");
      assertThat(lower.resolve("new")).hasContent("created inside");
      assertThat(lower.resolve("gone")).doesNotExist();
      assertThatThrownBy(() -> Files.readString(lower.resolve("gone")))
          .isInstanceOf(NoSuchFileException.class);
      assertThat(lower.resolve("sub/nested")).hasContent("changed too");
      assertThat(MountTests.mountLine(LOWER)).startsWith(LOWER + " rw,").contains(" - overlay ");
    }

    @Test
    @IsolatedMounts
    @Overlay("/etc")
    void hostEtc() throws IOException {
      // The host's files show through, unchanged, and a new one can be added at the top.
      assertThat(Path.of("/etc/os-release")).exists();
      assertThat(MountTests.listing("/etc")).contains("os-release");
      Files.writeString(Path.of("/etc/isolated-mounts-it-overlay"), "only in here");
      assertThat(Path.of("/etc/isolated-mounts-it-overlay")).hasContent("only in here");
    }

    @Test
    @Bind(source = LOWER, target = Fixtures.VAR_LIB)
    @Overlay(Fixtures.VAR_LIB + "/sub")
    void belowABind() throws IOException {
      // The target is absent on the host: the overlay shows the bind source's directory.
      Path sub = Path.of(Fixtures.VAR_LIB, "sub");
      assertThat(sub.resolve("nested")).hasContent("nested");
      Files.writeString(sub.resolve("added"), "only in the upper layer");
      assertThat(sub.resolve("added")).hasContent("only in the upper layer");
      assertThat(Path.of(LOWER, "sub", "added")).doesNotExist();
      assertThat(MountTests.mountLine(sub.toString())).contains(" - overlay ");
    }

    @Test
    @Overlay("/lib")
    void symbolicLink() throws IOException {
      // Where /lib is a link to usr/lib, the overlay is mounted where the link leads.
      String real = Path.of("/lib").toRealPath().toString();
      assertThat(MountTests.mountLine(real)).contains(" - overlay ");
      Files.writeString(Path.of("/lib/isolated-mounts-it-overlay"), "x");
      assertThat(Path.of(real, "isolated-mounts-it-overlay")).hasContent("x");
    }
  }

  static class UnmappedOwnerTestCase {

    @Test
    @Overlay("/var")
    void writeBelowRootsDirectory() throws IOException {
      // /var/tmp is root's (mode 1777): creating a file in it copies the directory up first.
      Files.writeString(Path.of("/var/tmp/isolated-mounts-it-overlay"), "x");
      assertThat(Path.of("/var/tmp/isolated-mounts-it-overlay")).hasContent("x");
    }

    @Test
    @Overlay("/usr")
    void writeBelowRootsReadOnlyDirectory() throws IOException {
      // /usr/lib is root's (mode 0755): only root may add to it, on the host as below the overlay.
      Files.writeString(Path.of("/usr/lib/isolated-mounts-it-overlay"), "x");
      assertThat(Path.of("/usr/lib/isolated-mounts-it-overlay")).hasContent("x");
    }
  }

  /** This process's uid, as the note compares it. */
  private static int uid() {
    try {
      return (Integer) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"),
          "unix:uid");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

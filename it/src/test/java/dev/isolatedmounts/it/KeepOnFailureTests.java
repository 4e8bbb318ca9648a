package dev.isolatedmounts.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.isolatedmounts.Bind;
import dev.isolatedmounts.IsolatedMounts;
import dev.isolatedmounts.Overlay;
import dev.isolatedmounts.Tmpfs;
import dev.isolatedmounts.internal.fork.ChildJvmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EventType;

@DisplayName("keepOnFailure copies a failed test's tmpfs and overlay layers out and says where")
class KeepOnFailureTests {

  static final String HOST = "/tmp/isolated-mounts-it-keep";
  static final String TMPFS = HOST + "/data";
  static final String LOWER = HOST + "/lower";
  static final String ABSENT = HOST + "/absent/deep";
  static final String TOP = "/isolated-mounts-it-keep-top";
  static final String READ_ONLY = HOST + "/ro";
  private static final Path ROOT_LISTING = Path.of("target/keep-root-listing.txt");
  private static final Path KEPT = Path.of("target/isolated-mounts");

  @BeforeAll
  static void makeHostDirectories() throws IOException {
    removeHostDirectories();
    Files.createDirectories(Path.of(TMPFS));
    Files.createDirectories(Path.of(LOWER));
    Files.writeString(Path.of(LOWER, "config"), "from the host");
    Files.writeString(Path.of(LOWER, "gone"), "deleted inside");
    Files.createDirectories(Path.of(LOWER, "remade"));
    Files.writeString(Path.of(LOWER, "remade", "old"), "hidden once remade");
  }

  @AfterAll
  static void removeHostDirectories() throws IOException {
    delete(Path.of(HOST));
  }

  @Test
  @DisplayName("the files are kept, the failure keeps its type and gains a note with the path and"
      + " a command that rebuilds the namespace")
  void keptOnFailure() throws IOException, InterruptedException {
    EngineExecutionResults results = Fixtures.run(KeepTestCase.class);

    Throwable failure = failure(results, "fails");
    assertThat(failure).isExactlyInstanceOf(AssertionError.class).hasMessage("boom");
    Path directory = KEPT.resolve("dev.isolatedmounts.it.KeepOnFailureTests_KeepTestCase.fails()");
    assertThat(failure.getSuppressed()).hasSize(1);
    String note = failure.getSuppressed()[0].getMessage();
    assertThat(note).startsWith("The mounts of this failed test were kept in " + directory + "/ (")
        .contains("To rebuild its namespace by hand: unshare ");
    assertThat(directory.resolve("tmpfs" + TMPFS + "/written")).hasContent("in the tmpfs");
    assertThat(directory.resolve("overlay" + LOWER + "/config")).hasContent("changed inside");
    assertThat(directory.resolve("overlay" + LOWER + "/new")).hasContent("created inside");
    assertThat(directory.resolve("overlay" + LOWER + ".deleted")).hasContent("gone");
    assertThat(directory.resolve("overlay" + LOWER + ".opaque")).hasContent("remade");
    assertThat(directory.resolve("overlay" + LOWER + "/remade/fresh")).hasContent("made inside");
    assertThat(directory.resolve("kept.txt")).content().contains("@Tmpfs(\"" + TMPFS + "\")");
    assertThat(reportEntries(results, "fails")).anySatisfy(entry ->
        assertThat(entry).containsEntry("isolatedmounts.kept", directory.toString()));
    // The host directories themselves are unchanged.
    assertThat(Path.of(TMPFS)).isEmptyDirectory();
    assertThat(Path.of(LOWER, "config")).hasContent("from the host");

    // The command really rebuilds the namespace: its shell sees the kept files in place.
    assertThat(reproduce(note, "cat " + TMPFS + "/written " + LOWER + "/config && ls " + LOWER
            + " " + LOWER + "/remade | tr '\\n' ' '"))
        .as("the kept files in place, the deleted one gone, the directory made again without the"
            + " host's entries")
        .isEqualTo("in the tmpfschanged inside" + LOWER + ": config new remade  " + LOWER
            + "/remade: fresh ");
    assertThat(Path.of(LOWER, "gone")).hasContent("deleted inside");
    assertThat(Path.of(TMPFS)).isEmptyDirectory();
  }

  @Test
  @DisplayName("for a target absent on the host, the command makes it as the extension does,"
      + " leaving nothing on the host")
  void absentTarget() throws IOException, InterruptedException {
    try (Stream<Path> root = Files.list(Path.of("/"))) {
      Files.write(ROOT_LISTING, root.map(entry -> entry.getFileName().toString()).toList());
    }
    EngineExecutionResults results = Fixtures.run(KeepAbsentTestCase.class);

    String note = failure(results, "fails").getSuppressed()[0].getMessage();
    // ls lists the directories named in its own order: TOP, HOST, TMPFS, READ_ONLY.
    assertThat(reproduce(note, "cat " + ABSENT + "/written && ls " + HOST + " " + TMPFS + " "
            + TOP + " " + READ_ONLY + " | tr '\\n' ' ' && ls -A / | grep -c -x -F -f "
            + ROOT_LISTING.toAbsolutePath() + " && { touch " + READ_ONLY + "/new 2>/dev/null"
            + " && echo writable || echo read-only; }"))
        .as("the kept file in place, the host's entries beside the new ones, and all of /; the"
            + " read-only bind covered for a target below it still read-only")
        .isEqualTo("in the tmpfs" + TOP + ": data  " + HOST + ": absent data lower ro  "
            + TMPFS + ": new  " + READ_ONLY + ": cache config gone remade "
            + Files.readAllLines(ROOT_LISTING).size() + "\nread-only\n");
    assertThat(Path.of(HOST, "absent")).doesNotExist();
    assertThat(Path.of(READ_ONLY)).doesNotExist();
    assertThat(Path.of(LOWER, "cache")).as("in the read-only bind's source").doesNotExist();
    assertThat(Path.of(TMPFS)).as("a host entry of the covered directory").isEmptyDirectory();
    assertThat(Path.of(TOP)).doesNotExist();
  }

  /**
   * Runs the reproduce command of a kept-mounts note with {@code script} as its shell; returns
   * what the script printed. The command must leave no temporary directory behind.
   */
  private static String reproduce(String note, String script)
      throws IOException, InterruptedException {
    String command = note.substring(note.indexOf("unshare "));
    Path shell = Files.writeString(Path.of("target/keep-check.sh"), "#!/bin/sh\n" + script + "\n");
    shell.toFile().setExecutable(true);
    Path temp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> tempBefore = listing(temp);
    Process checked = checkedRun(command, shell);
    String output = new String(checked.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(checked.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(listing(temp)).as("no temporary directory left").isEqualTo(tempBefore);
    return output;
  }

  private static List<Path> listing(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.filter(entry -> entry.getFileName().toString().startsWith("tmp."))
          .sorted().toList();
    }
  }

  @Test
  @DisplayName("a passing test, one without the setting or a failed set-up leave no directory")
  void nothingKept() throws IOException {
    delete(KEPT);

    EngineExecutionResults results = Fixtures.run(NotKeptTestCase.class);

    results.testEvents().assertStatistics(s -> s.succeeded(1).failed(2));
    assertThat(failure(results, "setUpFails")).hasMessageContaining("Could not apply @Tmpfs(\""
        + TMPFS + "/pom.xml\"): its target " + TMPFS + "/pom.xml is not a directory once the"
        + " test's earlier mounts are made; a tmpfs is mounted on a directory");
    assertThat(failure(results, "failsWithoutTheSetting").getSuppressed()).isEmpty();
    assertThat(KEPT).satisfiesAnyOf(
        kept -> assertThat(kept).doesNotExist(), kept -> assertThat(kept).isEmptyDirectory());
  }

  @Test
  @DisplayName("a child that exits (System.exit) or is ended on a timeout keeps its mounts as it"
      + " exits, and its failure says where")
  void keptAtExit() throws IOException {
    delete(KEPT);

    EngineExecutionResults results = Fixtures.run(DyingTestCase.class,
        Map.of("isolatedmounts.timeout", "10s")); // past the 1 s timeout's 5 s grace

    results.testEvents().assertStatistics(s -> s.failed(3));
    for (String test : List.of("exits", "hangs", "ignoresTimeout")) {
      Throwable failure = failure(results, test);
      Throwable noted = failure;
      if (test.equals("ignoresTimeout")) {
        // JUnit's TimeoutException, holding the failure of the child that it ended, and the note
        assertThat(failure).isInstanceOf(java.util.concurrent.TimeoutException.class);
        assertThat(failure.getSuppressed()).hasSize(2);
        failure = failure.getSuppressed()[1]; // the note came first, from within the callback
        assertThat(failure).hasMessageContaining("interrupted (by JUnit's timeout)");
        assertThat(failure.getSuppressed()).isEmpty();
      } else {
        assertThat(failure.getSuppressed()).as(test).hasSize(1);
      }
      assertThat(failure).as(test).isInstanceOf(ChildJvmException.class);
      if (!test.equals("exits")) {
        assertThat(failure).as(test).hasMessageContaining("it was asked to exit (SIGTERM) to keep"
            + " its mounts for keepOnFailure, and it and every process it started were ended");
      }
      Path directory = KEPT.resolve(
          "dev.isolatedmounts.it.KeepOnFailureTests_DyingTestCase." + test + "()");
      assertThat(noted.getSuppressed()[0]).as(test)
          .extracting(Throwable::getMessage)
          .asString().startsWith("The mounts of this failed test were kept in " + directory);
      assertThat(directory.resolve("tmpfs" + TMPFS + "/written")).hasContent("before " + test);
      assertThat(reportEntries(results, test)).anySatisfy(entry ->
          assertThat(entry).containsEntry("isolatedmounts.kept", directory.toString()));
    }
    assertThat(failure(results, "hangs")).hasMessageContaining("isolatedmounts.timeout");
    assertThat(Path.of(TMPFS)).isEmptyDirectory();
  }

  @Test
  @DisplayName("isolatedmounts.keepOnFailure=true turns it on for every isolated test, under a"
      + " read-only root too")
  void configured() {
    EngineExecutionResults results = Fixtures.run(ConfiguredTestCase.class,
        Map.of("isolatedmounts.keepOnFailure", "true"));

    assertThat(failure(results, "failsUnderReadOnlyRoot").getSuppressed()).hasSize(1);
    assertThat(KEPT.resolve("dev.isolatedmounts.it.KeepOnFailureTests_ConfiguredTestCase"
        + ".failsUnderReadOnlyRoot()/tmpfs" + Fixtures.VAR_LIB + "/state"))
        .hasContent("at failure");
  }

  /**
   * Under a read-only root, the child's own directory, which holds the one kept into, is bound
   * back into a {@code @Tmpfs("/tmp")}. Where the project itself is below {@code /tmp} (a CI
   * checkout), that tmpfs would hide the test's classes: then the declaration is refused, naming
   * the class path entry.
   */
  @Test
  @DisplayName("a @Tmpfs(\"/tmp\") under a read-only root is kept without the child's own"
      + " directory, or refused where it hides the project")
  void tmpUnderReadOnlyRoot() {
    EngineExecutionResults results = Fixtures.run(TmpTestCase.class,
        Map.of("isolatedmounts.keepOnFailure", "true"));

    Throwable failure = failure(results, "tmpUnderReadOnlyRoot");
    if (Path.of("").toAbsolutePath().startsWith("/tmp")) {
      assertThat(failure).isInstanceOf(
              org.junit.jupiter.api.extension.ExtensionConfigurationException.class)
          .hasMessageStartingWith("@Tmpfs(\"/tmp\") would hide /tmp/")
          .hasMessageContaining(", which is on the child JVM's class path");
      return;
    }
    assertThat(failure).hasMessage("boom");
    assertThat(failure.getSuppressed()).hasSize(1);
    Path kept = KEPT.resolve("dev.isolatedmounts.it.KeepOnFailureTests_TmpTestCase"
        + ".tmpUnderReadOnlyRoot()");
    assertThat(kept.resolve("kept.txt")).content().doesNotContain("not kept");
    assertThat(kept.resolve("tmpfs/tmp")).as("only what the test wrote in its tmpfs")
        .isDirectoryContaining(path -> path.getFileName().toString().equals("written"))
        .isDirectoryNotContaining(path -> !path.getFileName().toString().equals("written"));
    assertThat(kept.resolve("tmpfs/tmp/written")).hasContent("at failure");
  }

  private static Process checkedRun(String command, Path shell) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).redirectErrorStream(false);
    builder.environment().put("SHELL", shell.toAbsolutePath().toString());
    Process process = builder.start();
    process.getOutputStream().close();
    return process;
  }

  private static Throwable failure(EngineExecutionResults results, String test) {
    return results.testEvents().finished().failed().stream()
        .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains(test))
        .findFirst().orElseThrow()
        .getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
        .getThrowable().orElseThrow();
  }

  private static List<Map<String, String>> reportEntries(EngineExecutionResults results,
      String test) {
    return results.allEvents().stream()
        .filter(e -> e.getType() == EventType.REPORTING_ENTRY_PUBLISHED)
        .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains(test))
        .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
        .toList();
  }

  static void delete(Path directory) throws IOException {
    if (Files.exists(directory)) {
      try (Stream<Path> paths = Files.walk(directory)) {
        for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
          Files.delete(path);
        }
      }
    }
  }

  @IsolatedMounts(keepOnFailure = true)
  static class KeepTestCase {

    @Test
    @Tmpfs(TMPFS)
    @Overlay(LOWER)
    void fails() throws IOException {
      Files.writeString(Path.of(TMPFS, "written"), "in the tmpfs");
      Files.writeString(Path.of(LOWER, "config"), "changed inside");
      Files.writeString(Path.of(LOWER, "new"), "created inside");
      Files.delete(Path.of(LOWER, "gone"));
      Files.delete(Path.of(LOWER, "remade", "old"));
      Files.delete(Path.of(LOWER, "remade"));
      Files.createDirectory(Path.of(LOWER, "remade"));
      Files.writeString(Path.of(LOWER, "remade", "fresh"), "made inside");
      fail("boom");
    }
  }

  @IsolatedMounts(keepOnFailure = true)
  static class KeepAbsentTestCase {

    @Test
    @Tmpfs(ABSENT)
    @Tmpfs(TMPFS + "/new") // below a host entry of the directory covered for the first
    @Tmpfs(TOP + "/data") // only / holds it: a new root
    @Bind(source = LOWER, target = READ_ONLY, readOnly = true)
    @Tmpfs(READ_ONLY + "/cache") // covers the read-only bind's directory
    void fails() throws IOException {
      Files.writeString(Path.of(ABSENT, "written"), "in the tmpfs");
      fail("boom");
    }
  }

  static class NotKeptTestCase {

    @Test
    @IsolatedMounts(keepOnFailure = true)
    @Tmpfs(TMPFS)
    void passes() throws IOException {
      Files.writeString(Path.of(TMPFS, "written"), "x");
    }

    @Test
    @Tmpfs(TMPFS)
    void failsWithoutTheSetting() {
      fail("not kept");
    }

    @Test
    @IsolatedMounts(keepOnFailure = true)
    @dev.isolatedmounts.Bind(source = ".", target = TMPFS)
    @Tmpfs(TMPFS + "/pom.xml") // a file once the bind is made: found in the child, as it sets up
    void setUpFails() {
      fail("never runs");
    }
  }

  @IsolatedMounts(keepOnFailure = true)
  static class DyingTestCase {

    @Test
    @Tmpfs(TMPFS)
    void exits() throws IOException {
      Files.writeString(Path.of(TMPFS, "written"), "before exits");
      System.exit(3);
    }

    @Test
    @Tmpfs(TMPFS)
    void hangs() throws IOException, InterruptedException {
      Files.writeString(Path.of(TMPFS, "written"), "before hangs");
      Thread.sleep(Long.MAX_VALUE);
    }

    @Test
    @Tmpfs(TMPFS)
    @org.junit.jupiter.api.Timeout(1)
    void ignoresTimeout() throws IOException {
      Files.writeString(Path.of(TMPFS, "written"), "before ignoresTimeout");
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < end) {
        Thread.onSpinWait(); // deaf to the interrupt of JUnit's timeout
      }
    }
  }

  static class ConfiguredTestCase {

    @Test
    @IsolatedMounts(readOnlyRoot = true)
    @Tmpfs(Fixtures.VAR_LIB)
    void failsUnderReadOnlyRoot() throws IOException {
      Files.writeString(Path.of(Fixtures.VAR_LIB, "state"), "at failure");
      fail("boom");
    }
  }

  static class TmpTestCase {

    /**
     * The child's own directory, which holds the one kept into, is bound back into the new
     * {@code /tmp}; the bind below is a host directory. Neither is the tmpfs's to keep.
     */
    @Test
    @IsolatedMounts(readOnlyRoot = true)
    @Tmpfs("/tmp")
    @Bind(source = "/etc", target = "/tmp/bound", readOnly = true) // a source outside /tmp
    void tmpUnderReadOnlyRoot() throws IOException {
      Files.writeString(Path.of("/tmp/written"), "at failure");
      fail("boom");
    }
  }
}
